package io.strata.cli.cluster;

import io.strata.cli.BaseCommand;
import io.strata.cli.CliContext;
import io.strata.cli.output.Table;
import io.strata.config.cluster.ClusterConfig;
import io.strata.config.cluster.ContainerEntry;
import io.strata.config.cluster.DriveEntry;
import io.strata.config.cluster.Health;
import io.strata.control.service.Capacity;
import io.strata.control.service.ManagementApi;
import io.strata.control.service.ManagementMessages.ClusterView;
import io.strata.control.service.ManagementMessages.DriveAddRequest;
import io.strata.protocol.rpc.ControlClient;
import io.strata.protocol.rpc.NoParams;
import io.strata.runtime.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code strata cluster drive}: list the cluster's drives (default) or format and add some. */
@Command(name = "drive", description = "List the cluster's drives (default), or add drives to a container.",
        subcommands = DriveCommand.Add.class)
public final class DriveCommand extends BaseCommand {
    public record DriveRow(int id, String uuid, int containerId, String container, String hostname, String path, long sizeBytes,
            long usedBytes, String status, String failureDomain) {
    }

    @Override
    protected void run(CliContext cli) {
        ClusterView view;
        try (ControlClient client = cli.management()) {
            view = client.call(ManagementApi.VIEW, NoParams.INSTANCE, ClusterView.class);
        }
        List<DriveRow> rows = rows(view.config());
        if (cli.json()) {
            cli.printJson(rows);
            return;
        }
        Table table = new Table("ID", "UUID", "CONTAINER", "HOSTNAME", "PATH", "SIZE", "USED", "STATUS", "FAILURE DOMAIN");
        for (DriveRow row : rows) {
            table.row(row.id(), row.uuid().substring(0, 8), row.containerId() + " " + row.container(), row.hostname(), row.path(),
                    Capacity.describe(row.sizeBytes()), Capacity.describe(row.usedBytes()), row.status(), row.failureDomain());
        }
        table.print(cli.out());
    }

    static List<DriveRow> rows(ClusterConfig config) {
        List<DriveRow> rows = new ArrayList<>();
        for (DriveEntry drive : config.dataPlane().drives().values()) {
            ContainerEntry container = config.containers().get(drive.containerId());
            String status = !drive.active() ? "INACTIVE" : container == null ? "ORPHANED"
                    : container.health() == Health.UP ? "UP" : "DOWN";
            rows.add(new DriveRow(drive.id(), drive.uuid(), drive.containerId(), container == null ? "-" : container.name(),
                    container == null ? "-" : container.hostname(), drive.path(), drive.regionBytes() * drive.regionCount(),
                    drive.usedBytes(), status, container == null ? "-" : container.failureDomain()));
        }
        return rows;
    }

    @Command(name = "add", description = "Format drives (block devices, or files standing in for them) and add them to a container.")
    public static final class Add extends BaseCommand {
        @Parameters(index = "0", paramLabel = "CONTAINER", description = "The drives container: id, host/name, or a unique name.")
        String container;

        @Parameters(index = "1..*", arity = "1..*", paramLabel = "PATH", description = "Drive paths on that container's server.")
        List<String> paths;

        @Option(names = "--force", description = "Format even a drive that holds a Strata superblock (of this or another cluster).")
        boolean force;

        @Override
        protected void run(CliContext cli) {
            try (ControlClient client = cli.management()) {
                DriveEntry[] added = Json.fromTree(client.call(ManagementApi.DRIVE_ADD, new DriveAddRequest(container, paths, force),
                        180_000), DriveEntry[].class);
                if (cli.json()) {
                    cli.printJson(List.of(added));
                    return;
                }
                for (DriveEntry drive : added) {
                    cli.out().printf("added drive %d (%s, %s, %d regions of %s)%n", drive.id(), drive.path(),
                            Capacity.describe(drive.regionBytes() * drive.regionCount()), drive.regionCount(),
                            Capacity.describe(drive.regionBytes()));
                }
                cli.out().flush();
            }
        }
    }

    static Map<String, Object> summary(ClusterConfig config) {
        return Map.of("rawBytes", Capacity.rawBytes(config), "usableBytes", Capacity.usableBytes(config));
    }
}
