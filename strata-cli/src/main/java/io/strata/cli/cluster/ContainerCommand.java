package io.strata.cli.cluster;

import io.strata.cli.BaseCommand;
import io.strata.cli.CliContext;
import io.strata.cli.output.Durations;
import io.strata.cli.output.Table;
import io.strata.config.ProcessIds;
import io.strata.config.cluster.ClusterConfig;
import io.strata.config.cluster.ContainerEntry;
import io.strata.config.cluster.Health;
import io.strata.config.cluster.ProcessEntry;
import io.strata.control.service.ManagementApi;
import io.strata.control.service.ManagementMessages.AddServerRequest;
import io.strata.control.service.ManagementMessages.ClusterView;
import io.strata.control.service.ManagementMessages.ContainerRef;
import io.strata.protocol.rpc.ControlClient;
import io.strata.protocol.rpc.NoParams;
import io.strata.runtime.Json;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code strata cluster container}: list the cluster's containers, add a server's, (de)activate, remove. */
@Command(name = "container", description = "List the cluster's containers (default), or add, activate, deactivate, remove them.",
        subcommands = {ContainerCommand.Add.class, ContainerCommand.Activate.class, ContainerCommand.Deactivate.class,
            ContainerCommand.Remove.class})
public final class ContainerCommand extends BaseCommand {
    @Override
    protected void run(CliContext cli) {
        ClusterView view;
        try (ControlClient client = cli.management()) {
            view = client.call(ManagementApi.VIEW, NoParams.INSTANCE, ClusterView.class);
        }
        if (cli.json()) {
            cli.printJson(view.config().containerList());
            return;
        }
        print(cli, view.config());
    }

    static String status(ContainerEntry container) {
        if (!container.active()) {
            return "INACTIVE";
        }
        return container.health().name();
    }

    private static void print(CliContext cli, ClusterConfig config) {
        long now = System.currentTimeMillis();
        Table table = new Table("ID", "HOSTNAME", "CONTAINER", "IPS", "STATUS", "RELEASE", "FAILURE DOMAIN", "CORES", "MEMORY",
                "LAST FAILURE", "UPTIME");
        for (ContainerEntry c : config.containerList()) {
            String cores = c.processes().stream().filter(p -> p.coreId() != null).map(ProcessEntry::coreId).map(String::valueOf)
                    .collect(Collectors.joining(","));
            table.row(c.id(), c.hostname(), c.name(), c.address(), status(c), c.release(), c.failureDomain(), cores,
                    c.memoryBytes() == 0 ? "default" : c.memoryBytes() / (1024 * 1024) + " MiB",
                    c.lastFailure() == null ? "" : c.lastFailure(),
                    c.health() == Health.UP ? Durations.since(c.startedAtMillis(), now) : "");
        }
        table.print(cli.out());
    }

    @Command(name = "add", description = "Add a server whose containers are set up and running to the cluster.")
    public static final class Add extends BaseCommand {
        @Parameters(paramLabel = "SERVER", description = "The new server, host[:agent-port].")
        String server;

        @Override
        protected void run(CliContext cli) {
            var address = ClusterCreator.agentAddress(server);
            try (ControlClient client = cli.management()) {
                var added = client.call(ManagementApi.CONTAINER_ADD, new AddServerRequest(address.getHostString(), address.getPort()),
                        60_000);
                if (cli.json()) {
                    cli.printJson(added);
                } else {
                    for (var container : added) {
                        cli.out().printf("added container %d (%s/%s)%n", container.get("id").asInt(),
                                container.get("hostname").asText(), container.get("name").asText());
                    }
                    cli.out().flush();
                }
            }
        }
    }

    abstract static class ByReference extends BaseCommand {
        @Parameters(paramLabel = "CONTAINER", description = "Container id, host/name, or a name unique in the cluster.")
        String container;

        abstract String method();

        abstract String verb();

        @Override
        protected void run(CliContext cli) {
            try (ControlClient client = cli.management()) {
                ContainerEntry result = Json.fromTree(client.call(method(), new ContainerRef(container)), ContainerEntry.class);
                if (cli.json()) {
                    cli.printJson(result);
                } else {
                    cli.out().printf("%s container %d (%s)%n", verb(), result.id(), result.qualifiedName());
                    cli.out().flush();
                }
            }
        }
    }

    @Command(name = "activate", description = "Give a container work again.")
    public static final class Activate extends ByReference {
        @Override
        String method() {
            return ManagementApi.CONTAINER_ACTIVATE;
        }

        @Override
        String verb() {
            return "activated";
        }
    }

    @Command(name = "deactivate", description = "Keep a container in the cluster but give it no work.")
    public static final class Deactivate extends ByReference {
        @Override
        String method() {
            return ManagementApi.CONTAINER_DEACTIVATE;
        }

        @Override
        String verb() {
            return "deactivated";
        }
    }

    @Command(name = "remove", description = "Remove a deactivated container from the cluster.")
    public static final class Remove extends ByReference {
        @Override
        String method() {
            return ManagementApi.CONTAINER_REMOVE;
        }

        @Override
        String verb() {
            return "removed";
        }
    }

    static int processIdOf(int containerId, int slot) {
        return ProcessIds.processId(containerId, slot);
    }
}
