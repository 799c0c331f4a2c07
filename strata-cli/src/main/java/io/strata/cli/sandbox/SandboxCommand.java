package io.strata.cli.sandbox;

import io.strata.cli.BaseCommand;
import io.strata.cli.CliContext;
import io.strata.runtime.StrataException;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code strata sandbox up|down|status}: a cluster of simulated servers on this machine. */
@Command(name = "sandbox", description = "Run a cluster of simulated servers on this machine.",
        subcommands = {SandboxCommand.Up.class, SandboxCommand.Down.class, SandboxCommand.Status.class})
public final class SandboxCommand {

    @Command(name = "up", description = "Start N simulated servers and form them into a cluster.")
    public static final class Up extends BaseCommand {
        @Option(names = "--servers", defaultValue = "6", description = "Simulated servers (default ${DEFAULT-VALUE}).")
        int servers;

        @Option(names = "--layout", defaultValue = "multi",
                description = "multi (drives0, compute0, frontend0 per server) or single (one 'default' container). Default ${DEFAULT-VALUE}.")
        String layout;

        @Option(names = "--cores", defaultValue = "8", description = "Simulated cores per server (default ${DEFAULT-VALUE}).")
        int cores;

        @Option(names = "--compute-processes", defaultValue = "2", description = "Compute processes per server (default ${DEFAULT-VALUE}).")
        int computeProcesses;

        @Option(names = "--core-mapping", defaultValue = "modulo",
                description = "modulo: core k of a server is pinned to CPU k mod nproc, so every rule about cores is checked for real; "
                        + "shared: no process is pinned, for measuring speed (what strata bench uses). Default ${DEFAULT-VALUE}.")
        String coreMapping;

        @Option(names = "--drive-size", defaultValue = "16GiB", description = "Size of each server's drive file (sparse; default ${DEFAULT-VALUE}).")
        String driveSize;

        @Option(names = "--subnet", defaultValue = "127.0.1", hidden = true,
                description = "The loopback /24 the servers live in (server N at SUBNET.N); tests use their own.")
        String subnet;

        @Override
        protected void run(CliContext cli) {
            String dist = System.getenv("STRATA_DIST") != null ? System.getenv("STRATA_DIST") : System.getProperty("strata.dist");
            if (dist == null || dist.isBlank()) {
                throw StrataException.invalid("STRATA_DIST is not set: start the sandbox with ./strata sandbox up");
            }
            Sandbox sandbox = new Sandbox(cli.home(), cli.out());
            SandboxState state = sandbox.up(new Sandbox.Options(servers, layout, cores, computeProcesses, subnet,
                    io.strata.resources.ByteSizes.parse(driveSize), Sandbox.coreMapping(coreMapping)), Path.of(dist));
            cli.out().println();
            cli.out().println("The sandbox is up; filesystem 'default' is mounted at " + state.mountpoint() + ". Try:");
            cli.out().println("  ./strata status                      the cluster at a glance");
            cli.out().println("  ./strata cluster container           every container, its state and release");
            cli.out().println("  ./strata cluster process             every process with its core and port");
            cli.out().println("  ./strata fs                          filesystems, used and capacity");
            cli.out().println("  ./strata cluster drive               the drives, their containers and use");
            cli.out().println("  ./strata -H " + state.servers().getLast().address() + " local ps        one server's containers");
            cli.out().println("  ./strata sandbox down                stop it all");
            cli.out().flush();
        }
    }

    @Command(name = "down", description = "Stop the sandbox: every agent and container, and remove its folder.")
    public static final class Down extends BaseCommand {
        @Override
        protected void run(CliContext cli) {
            new Sandbox(cli.home(), cli.out()).down();
        }
    }

    @Command(name = "status", description = "Whether a sandbox runs, and its servers.")
    public static final class Status extends BaseCommand {
        @Override
        protected void run(CliContext cli) {
            var state = new Sandbox(cli.home(), cli.out()).state();
            if (cli.json()) {
                cli.printJson(state.orElse(null));
                return;
            }
            if (state.isEmpty()) {
                cli.out().println("no sandbox");
            } else {
                boolean running = Sandbox.isRunning(state.get());
                cli.out().printf("sandbox %s: %d servers, %s layout, release %s, cluster %s%n", running ? "running" : "stopped",
                        state.get().servers().size(), state.get().layout(), state.get().release(), state.get().clusterId());
                for (SandboxState.Server server : state.get().servers()) {
                    boolean alive = ProcessHandle.of(server.agentPid()).map(ProcessHandle::isAlive).orElse(false);
                    cli.out().printf("  %s  %s  agent pid %d %s  %s%n", server.hostname(), server.address(), server.agentPid(),
                            alive ? "running" : "stopped", server.root());
                }
            }
            cli.out().flush();
        }
    }
}
