package io.strata.cli.local;

import com.fasterxml.jackson.core.type.TypeReference;
import io.strata.cli.BaseCommand;
import io.strata.cli.CliContext;
import io.strata.cli.output.Durations;
import io.strata.cli.output.Table;
import io.strata.config.agent.AgentApi;
import io.strata.config.agent.AgentInfo;
import io.strata.config.agent.ContainerNames;
import io.strata.config.agent.ContainerStatus;
import io.strata.config.agent.SetupRequest;
import io.strata.config.resources.ResourceFile;
import io.strata.protocol.rpc.ControlClient;
import io.strata.protocol.rpc.NoParams;
import io.strata.runtime.Json;
import io.strata.runtime.StrataException;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code strata local ...}: this server's containers, through its host agent. */
@Command(name = "local", description = "Manage this server's containers through its host agent.",
        subcommands = {LocalCommand.Setup.class, LocalCommand.Ps.class, LocalCommand.Start.class, LocalCommand.Stop.class,
            LocalCommand.Restart.class, LocalCommand.Rm.class, LocalCommand.Status.class, LocalResourcesCommand.class,
            LocalCommand.Rollback.class})
public final class LocalCommand {
    static final long READY_TIMEOUT_MS = 120_000;

    static List<ContainerStatus> ps(ControlClient agent) {
        return Json.mapper().convertValue(agent.call(AgentApi.PS, NoParams.INSTANCE), new TypeReference<List<ContainerStatus>>() { });
    }

    static void printPs(CliContext cli, List<ContainerStatus> containers) {
        if (cli.json()) {
            cli.printJson(containers);
            return;
        }
        long now = System.currentTimeMillis();
        Table table = new Table("CONTAINER", "STATE", "DESIRED", "UPTIME", "PORT", "PID", "STATUS", "RELEASE", "RESTARTS",
                "LAST FAILURE");
        for (ContainerStatus c : containers) {
            String failure = c.lastFailure() == null ? "" : c.lastFailure() + " (" + Durations.ago(c.lastFailureAtMillis(), now) + ")";
            table.row(c.name(), c.state(), c.desired(), c.pid() == 0 ? "" : Durations.since(c.startedAtMillis(), now),
                    c.basePort(), c.pid() == 0 ? "" : c.pid(), c.ready() ? "Ready" : "Not ready", c.release(), c.restarts(),
                    failure);
        }
        table.print(cli.out());
    }

    /** Waits until the named containers are ready, or one of them keeps failing. */
    static List<ContainerStatus> awaitReady(ControlClient agent, List<String> names) {
        long deadline = System.nanoTime() + READY_TIMEOUT_MS * 1_000_000;
        while (true) {
            List<ContainerStatus> all = ps(agent);
            List<ContainerStatus> selected = all.stream().filter(c -> names.isEmpty() || names.contains(c.name())).toList();
            if (selected.stream().allMatch(ContainerStatus::ready)) {
                return selected;
            }
            for (ContainerStatus c : selected) {
                if ("BACKOFF".equals(c.state()) && c.restarts() >= 2 && c.lastFailure() != null) {
                    throw StrataException.unavailable("container %s does not come up: %s", c.name(), c.lastFailure());
                }
            }
            if (System.nanoTime() > deadline) {
                throw StrataException.unavailable("containers %s not ready within %d s", names, READY_TIMEOUT_MS / 1000);
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw StrataException.unavailable("interrupted");
            }
        }
    }

    @Command(name = "setup", description = "Set up a new container on this server.", subcommands = SetupContainer.class)
    public static final class Setup {
    }

    @Command(name = "container", description = "Create a container from a resource file and start it.")
    public static final class SetupContainer extends BaseCommand {
        @Option(names = "--resources-path", paramLabel = "FILE",
                description = "The container's resource file (from 'strata resources generate').")
        Path resourcesPath;

        @Option(names = "--name", paramLabel = "NAME",
                description = "The container's name (with --cores; default 'default'), or a name overriding the file's.")
        String name;

        @Option(names = "--cores", paramLabel = "N",
                description = "Single-container layout: give the container N cores, roles allocated automatically (at most 19).")
        Integer cores;

        @Option(names = "--release", paramLabel = "RELEASE", description = "Installed release to run (default: the agent's).")
        String release;

        @Option(names = "--idle-strategy", paramLabel = "STRATEGY",
                description = "What idle processes do: busy-spin (production), yield, backoff (default), sleep.")
        String idleStrategy;

        @Option(names = "--join-ips", split = ",", paramLabel = "IP", description = "Management addresses of the cluster to join.")
        List<String> joinIps;

        @Option(names = "--no-start", description = "Create the container but do not start it.")
        boolean noStart;

        @Override
        protected void run(CliContext cli) {
            if ((resourcesPath == null) == (cores == null)) {
                throw StrataException.invalid("give either --resources-path FILE or --cores N (single-container layout)");
            }
            ResourceFile resources = null;
            if (resourcesPath != null) {
                resources = ResourceFile.read(resourcesPath);
                if (name != null) {
                    resources = resources.withName(name);
                }
            }
            try (ControlClient agent = cli.localAgent()) {
                ContainerStatus created = agent.call(AgentApi.SETUP, new SetupRequest(resources, name, cores, release, idleStrategy,
                        joinIps, !noStart), ContainerStatus.class);
                List<ContainerStatus> result = noStart ? List.of(created) : awaitReady(agent, List.of(created.name()));
                if (cli.json()) {
                    cli.printJson(result.getFirst());
                } else {
                    ContainerStatus status = result.getFirst();
                    cli.out().printf("container %s set up%s%n", status.name(),
                            noStart ? " (not started)" : " and ready (pid " + status.pid() + ", port " + status.basePort() + ")");
                    cli.out().flush();
                }
            }
        }
    }

    @Command(name = "ps", description = "List this server's containers.")
    public static final class Ps extends BaseCommand {
        @Override
        protected void run(CliContext cli) {
            try (ControlClient agent = cli.agent()) {
                printPs(cli, ps(agent));
            }
        }
    }

    abstract static class Named extends BaseCommand {
        @Parameters(paramLabel = "CONTAINER", arity = "0..*", description = "Containers (default: all of this server's).")
        List<String> names = List.of();

        abstract String method();

        boolean graceful() {
            return false;
        }

        boolean waitReady() {
            return false;
        }

        @Override
        protected void run(CliContext cli) {
            try (ControlClient agent = cli.localAgent()) {
                agent.call(method(), new ContainerNames(names, graceful()), 180_000);
                List<ContainerStatus> after = waitReady() ? awaitReady(agent, names) : ps(agent).stream()
                        .filter(c -> names.isEmpty() || names.contains(c.name())).toList();
                printPs(cli, after);
            }
        }
    }

    @Command(name = "start", description = "Start containers and wait until they are ready.")
    public static final class Start extends Named {
        @Override
        String method() {
            return AgentApi.START;
        }

        @Override
        boolean waitReady() {
            return true;
        }
    }

    @Command(name = "stop", description = "Stop containers (--graceful drains them first).")
    public static final class Stop extends Named {
        @Option(names = "--graceful", description = "Let in-flight work finish and hand work away before stopping.")
        boolean graceful;

        @Override
        String method() {
            return AgentApi.STOP;
        }

        @Override
        boolean graceful() {
            return graceful;
        }
    }

    @Command(name = "restart", description = {"Restart containers and wait until they are ready.",
            "A frontend container always hands its mounts over to the restarted one: applications see a pause, not an error."})
    public static final class Restart extends Named {
        @Option(names = "--graceful", description = "Drain before stopping (compute: hand bucket leadership away first).")
        boolean graceful;

        @Override
        String method() {
            return AgentApi.RESTART;
        }

        @Override
        boolean graceful() {
            return graceful;
        }

        @Override
        boolean waitReady() {
            return true;
        }
    }

    @Command(name = "rm", description = "Remove stopped containers from this server.")
    public static final class Rm extends BaseCommand {
        @Parameters(paramLabel = "CONTAINER", arity = "1..*")
        List<String> names;

        @Override
        protected void run(CliContext cli) {
            try (ControlClient agent = cli.localAgent()) {
                agent.call(AgentApi.REMOVE, new ContainerNames(names, false));
            }
            cli.out().printf("removed %s%n", String.join(", ", names));
            cli.out().flush();
        }
    }

    @Command(name = "rollback", description = "Return a container to the release it ran before, and restart it.")
    public static final class Rollback extends BaseCommand {
        @Parameters(paramLabel = "CONTAINER")
        String container;

        @Override
        protected void run(CliContext cli) {
            try (ControlClient agent = cli.localAgent()) {
                ContainerStatus status = agent.call(AgentApi.ROLLBACK,
                        new io.strata.config.agent.VersionRequest(null, null, container, true), ContainerStatus.class);
                cli.out().printf("container %s runs release %s again%n", status.name(), status.release());
                cli.out().flush();
            }
        }
    }

    @Command(name = "status", description = "This server: identity, cores, installed releases, cluster, containers.")
    public static final class Status extends BaseCommand {
        @Override
        protected void run(CliContext cli) {
            AgentInfo info;
            try (ControlClient agent = cli.agent()) {
                info = agent.call(AgentApi.STATUS, NoParams.INSTANCE, AgentInfo.class);
            }
            if (cli.json()) {
                cli.printJson(info);
                return;
            }
            var server = info.server();
            cli.out().printf("server: %s at %s, failure domain %s%n", server.hostname(), server.address(), server.failureDomain());
            cli.out().printf("cores: %s (%s)%n", server.describeCores(), switch (server.coreMapping()) {
                case MODULO -> "simulated: core k runs on CPU k mod " + Runtime.getRuntime().availableProcessors();
                case SHARED -> "simulated: processes are not pinned";
                case IDENTITY -> "this machine's CPUs";
            });
            cli.out().printf("agent: release %s on port %d; installed releases %s%n", info.agentRelease(), server.agentPort(),
                    info.installedReleases());
            cli.out().printf("cluster: %s%n", info.clusterId() == null ? "none (not joined)" : info.clusterId());
            printPs(cli, info.containers());
        }
    }
}
