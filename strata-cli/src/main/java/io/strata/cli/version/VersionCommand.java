package io.strata.cli.version;

import com.fasterxml.jackson.core.type.TypeReference;
import io.strata.cli.BaseCommand;
import io.strata.cli.CliContext;
import io.strata.cli.output.Table;
import io.strata.config.agent.AgentApi;
import io.strata.config.agent.ContainerStatus;
import io.strata.config.agent.VersionEntry;
import io.strata.config.agent.VersionRequest;
import io.strata.config.cluster.ServerEntry;
import io.strata.control.service.ManagementMessages.ClusterView;
import io.strata.protocol.rpc.ControlClient;
import io.strata.protocol.rpc.NoParams;
import io.strata.runtime.Json;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code strata version}: the releases installed on a server (or every server) and the containers running each. */
@Command(name = "version", description = "List installed releases (default), install, switch a container, remove.",
        subcommands = {VersionCommand.Install.class, VersionCommand.Set.class, VersionCommand.Remove.class})
public final class VersionCommand extends BaseCommand {
    @Option(names = "--all", description = "Every server of the cluster, not only this one.")
    boolean all;

    @Override
    protected void run(CliContext cli) {
        Map<String, List<VersionEntry>> byServer = new LinkedHashMap<>();
        for (String host : hosts(cli, all)) {
            try (ControlClient agent = cli.forHost(host).agent()) {
                byServer.put(host, Json.mapper().convertValue(agent.call(AgentApi.VERSION_LIST, NoParams.INSTANCE),
                        new TypeReference<List<VersionEntry>>() { }));
            }
        }
        if (cli.json()) {
            cli.printJson(byServer);
            return;
        }
        Table table = new Table("SERVER", "RELEASE", "PROTOCOL", "AGENT", "CONTAINERS", "ROLLS BACK TO IT");
        byServer.forEach((host, entries) -> entries.forEach(e -> table.row(host, e.release(), e.protocol(), e.agent() ? "yes" : "",
                String.join(",", e.runningIn()), String.join(",", e.previousOf()))));
        table.print(cli.out());
    }

    /** This server, or with {@code all} every server in the cluster's configuration. */
    static List<String> hosts(CliContext cli, boolean all) {
        if (!all) {
            return List.of(cli.host());
        }
        ClusterView view = cli.clusterView();
        return new ArrayList<>(view.config().servers().values().stream().map(ServerEntry::address).toList());
    }

    @Command(name = "install", description = "Install a release archive (strata-<release>.tar.gz) beside the others.")
    public static final class Install extends BaseCommand {
        @Parameters(paramLabel = "ARCHIVE")
        Path archive;

        @Option(names = "--all", description = "On every server of the cluster this CLI can administer (the sandbox's).")
        boolean all;

        @Override
        protected void run(CliContext cli) {
            for (String host : hosts(cli, all)) {
                try (ControlClient agent = cli.forHost(host).localAgent()) {
                    VersionEntry installed = agent.call(AgentApi.VERSION_INSTALL,
                            new VersionRequest(archive.toAbsolutePath().toString(), null, null, false), VersionEntry.class);
                    cli.out().printf("%s: installed release %s (protocol %d)%n", host, installed.release(), installed.protocol());
                    cli.out().flush();
                }
            }
        }
    }

    @Command(name = "set", description = "Switch a container to another installed release (effective at its next start).")
    public static final class Set extends BaseCommand {
        @Parameters(paramLabel = "RELEASE")
        String release;

        @Option(names = "--container", required = true, paramLabel = "CONTAINER")
        String container;

        @Option(names = "--restart", description = "Restart the container now, gracefully.")
        boolean restart;

        @Override
        protected void run(CliContext cli) {
            try (ControlClient agent = cli.localAgent()) {
                agent.call(AgentApi.VERSION_SET, new VersionRequest(null, release, container, restart), 300_000);
                cli.out().printf("container %s runs release %s%s%n", container, release, restart ? " now" : " from its next start");
                cli.out().flush();
            }
        }
    }

    @Command(name = "remove", description = "Remove an installed release no container runs.")
    public static final class Remove extends BaseCommand {
        @Parameters(paramLabel = "RELEASE")
        String release;

        @Override
        protected void run(CliContext cli) {
            try (ControlClient agent = cli.localAgent()) {
                agent.call(AgentApi.VERSION_REMOVE, new VersionRequest(null, release, null, false));
            }
            cli.out().printf("removed release %s%n", release);
            cli.out().flush();
        }
    }
}
