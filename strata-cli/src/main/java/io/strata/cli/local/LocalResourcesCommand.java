package io.strata.cli.local;

import com.fasterxml.jackson.core.type.TypeReference;
import io.strata.cli.BaseCommand;
import io.strata.cli.CliContext;
import io.strata.cli.output.Table;
import io.strata.config.agent.AgentApi;
import io.strata.config.agent.ContainerNames;
import io.strata.config.agent.ResourcesEdit;
import io.strata.config.agent.ResourcesView;
import io.strata.config.resources.Nic;
import io.strata.config.resources.ProcessSlot;
import io.strata.config.resources.ResourceFile;
import io.strata.config.server.Ranges;
import io.strata.protocol.rpc.ControlClient;
import io.strata.resources.GeneratorOptions;
import io.strata.resources.NetSpec;
import io.strata.runtime.Json;
import io.strata.runtime.StrataException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code strata local resources}: a container's running and staged resources. Edits are staged
 * (and checked against the server and its other containers at once); {@code apply} restarts the
 * container on them and brings the last good ones back if it does not come up.
 */
@Command(name = "resources", description = "Show (default), stage changes to, and apply containers' resources.",
        subcommands = {LocalResourcesCommand.Cores.class, LocalResourcesCommand.Memory.class, LocalResourcesCommand.BasePort.class,
            LocalResourcesCommand.FailureDomain.class, LocalResourcesCommand.Net.class, LocalResourcesCommand.Import.class,
            LocalResourcesCommand.Export.class, LocalResourcesCommand.Apply.class, LocalResourcesCommand.Discard.class})
public final class LocalResourcesCommand extends BaseCommand {
    @Option(names = {"-C", "--container"}, paramLabel = "CONTAINER", description = "One container (default: all).")
    String container;

    @Override
    protected void run(CliContext cli) {
        try (ControlClient agent = cli.agent()) {
            print(cli, views(agent, container));
        }
    }

    static List<ResourcesView> views(ControlClient agent, String container) {
        return Json.mapper().convertValue(agent.call(AgentApi.RESOURCES,
                new ContainerNames(container == null ? List.of() : List.of(container), false)), new TypeReference<List<ResourcesView>>() { });
    }

    static void print(CliContext cli, List<ResourcesView> views) {
        if (cli.json()) {
            cli.printJson(views);
            return;
        }
        Table table = new Table("CONTAINER", "", "CORES", "MEMORY", "BASE PORT", "FAILURE DOMAIN", "NICS", "OUTCOME OF LAST APPLY");
        for (ResourcesView view : views) {
            row(table, view.container(), "running", view.running(), view.outcome());
            if (view.staged() != null) {
                row(table, view.container(), "staged", view.staged(), "");
            }
        }
        table.print(cli.out());
    }

    private static void row(Table table, String name, String which, ResourceFile file, String outcome) {
        String cores = file.roleProcesses().stream().map(p -> p.role().wireName().charAt(0) + ":" + p.coreId())
                .collect(Collectors.joining(","));
        table.row(name, which, cores, file.memoryBytes() == 0 ? "default" : file.memoryBytes() / (1024 * 1024) + " MiB",
                file.basePort(), file.failureDomain(), file.nics().stream().map(Nic::name).collect(Collectors.joining(",")),
                outcome == null ? "" : outcome);
    }

    abstract static class Edit extends BaseCommand {
        @Option(names = {"-C", "--container"}, paramLabel = "CONTAINER", required = true, description = "The container to change.")
        String container;

        abstract ResourcesEdit edit();

        @Override
        protected void run(CliContext cli) {
            try (ControlClient agent = cli.localAgent()) {
                List<ResourcesView> views = Json.mapper().convertValue(agent.call(AgentApi.RESOURCES_EDIT, edit()),
                        new TypeReference<List<ResourcesView>>() { });
                print(cli, views);
                if (!cli.json()) {
                    cli.out().println("staged; 'strata local resources apply' restarts the container on them");
                    cli.out().flush();
                }
            }
        }
    }

    @Command(name = "cores", description = "Give the container's role processes these cores, in slot order.")
    public static final class Cores extends Edit {
        @Parameters(paramLabel = "CORE-IDS", description = "e.g. 2,3,5-7")
        String coreIds;

        @Override
        ResourcesEdit edit() {
            return new ResourcesEdit(container, Ranges.parse(coreIds), null, null, null, null, null, false);
        }
    }

    @Command(name = "memory", description = "Set the container's memory (e.g. 4GiB; 0 for the default).")
    public static final class Memory extends Edit {
        @Parameters(paramLabel = "SIZE")
        String size;

        @Override
        ResourcesEdit edit() {
            long bytes = "0".equals(size) ? 0 : GeneratorOptions.builder().computeMemory(size).build().computeMemoryBytes();
            return new ResourcesEdit(container, null, bytes, null, null, null, null, false);
        }
    }

    @Command(name = "base-port", description = "Move the container's 100 ports to start at PORT.")
    public static final class BasePort extends Edit {
        @Parameters(paramLabel = "PORT")
        int port;

        @Override
        ResourcesEdit edit() {
            return new ResourcesEdit(container, null, null, port, null, null, null, false);
        }
    }

    @Command(name = "failure-domain", description = "Set the failure domain of every container of this server.")
    public static final class FailureDomain extends BaseCommand {
        @Parameters(paramLabel = "NAME")
        String name;

        @Override
        protected void run(CliContext cli) {
            try (ControlClient agent = cli.localAgent()) {
                print(cli, Json.mapper().convertValue(agent.call(AgentApi.RESOURCES_EDIT,
                        new ResourcesEdit(null, null, null, null, name, null, null, false)), new TypeReference<List<ResourcesView>>() { }));
            }
        }
    }

    @Command(name = "net", description = "Set the container's NICs: NAME[/IP[,IP...][/NETMASK-BITS[/GATEWAY]]] ...")
    public static final class Net extends Edit {
        @Parameters(paramLabel = "NIC", arity = "1..*")
        List<String> nics;

        @Override
        ResourcesEdit edit() {
            List<Nic> parsed = nics.stream().map(NetSpec::parse)
                    .map(spec -> new Nic(spec.name(), null, spec.ips(), spec.netmaskBits(), spec.gateway(), null)).toList();
            return new ResourcesEdit(container, null, null, null, null, parsed, null, false);
        }
    }

    @Command(name = "import", description = "Stage a whole resource file for the container.")
    public static final class Import extends Edit {
        @Parameters(paramLabel = "FILE")
        Path file;

        @Override
        ResourcesEdit edit() {
            return new ResourcesEdit(container, null, null, null, null, null, ResourceFile.read(file), false);
        }
    }

    @Command(name = "export", description = "Write the container's running resources to a file.")
    public static final class Export extends BaseCommand {
        @Option(names = {"-C", "--container"}, paramLabel = "CONTAINER", required = true)
        String container;

        @Parameters(paramLabel = "FILE")
        Path file;

        @Override
        protected void run(CliContext cli) {
            try (ControlClient agent = cli.agent()) {
                views(agent, container).getFirst().running().write(file);
            }
            cli.out().println(file);
            cli.out().flush();
        }
    }

    @Command(name = "discard", description = "Drop the container's staged changes.")
    public static final class Discard extends Edit {
        @Override
        ResourcesEdit edit() {
            return new ResourcesEdit(container, null, null, null, null, null, null, true);
        }
    }

    @Command(name = "apply", description = "Restart containers on their staged resources; the last good ones return if they do not come up.")
    public static final class Apply extends BaseCommand {
        @Option(names = {"-C", "--container"}, paramLabel = "CONTAINER", description = "One container (default: every one with staged changes).")
        String container;

        @Override
        protected void run(CliContext cli) {
            try (ControlClient agent = cli.localAgent()) {
                List<ResourcesView> views = Json.mapper().convertValue(agent.call(AgentApi.RESOURCES_APPLY,
                        new ContainerNames(container == null ? List.of() : List.of(container), false), 300_000),
                        new TypeReference<List<ResourcesView>>() { });
                print(cli, views);
                for (ResourcesView view : views) {
                    if (view.outcome() != null && view.outcome().startsWith("fell back")) {
                        throw StrataException.unavailable("container %s %s", view.container(), view.outcome());
                    }
                }
            }
        }
    }

    static String describe(ProcessSlot slot) {
        return slot.role().wireName() + "@" + slot.coreId();
    }
}
