package io.strata.cli.fs;

import io.strata.cli.BaseCommand;
import io.strata.cli.CliContext;
import io.strata.cli.output.Table;
import io.strata.config.cluster.ClusterConfig;
import io.strata.config.cluster.FilesystemEntry;
import io.strata.control.service.Capacity;
import io.strata.control.service.ManagementApi;
import io.strata.control.service.ManagementMessages.ClusterView;
import io.strata.control.service.ManagementMessages.FilesystemRequest;
import io.strata.protocol.rpc.ControlClient;
import io.strata.protocol.rpc.NoParams;
import io.strata.resources.ByteSizes;
import io.strata.runtime.Json;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code strata fs}: list filesystems (default), create and delete them. */
@Command(name = "fs", description = "List filesystems with used and capacity (default), create or delete them.",
        subcommands = {FsCommand.Create.class, FsCommand.Delete.class})
public final class FsCommand extends BaseCommand {
    public record FsRow(int id, String name, long usedBytes, long capacityBytes, long reservedBytes) {
    }

    @Override
    protected void run(CliContext cli) {
        ClusterView view;
        try (ControlClient client = cli.management()) {
            view = client.call(ManagementApi.VIEW, NoParams.INSTANCE, ClusterView.class);
        }
        ClusterConfig config = view.config();
        List<FsRow> rows = config.dataPlane().filesystems().values().stream()
                .map(f -> new FsRow(f.id(), f.name(), f.usedBytes(), f.capacityBytes(), f.reservedBytes())).toList();
        if (cli.json()) {
            cli.printJson(rows);
            return;
        }
        Table table = new Table("ID", "FILESYSTEM", "USED", "CAPACITY", "USE%");
        for (FsRow row : rows) {
            table.row(row.id(), row.name(), Capacity.describe(row.usedBytes()), Capacity.describe(row.capacityBytes()),
                    String.format("%.1f%%", 100.0 * row.usedBytes() / Math.max(1, row.capacityBytes())));
        }
        table.print(cli.out());
        cli.out().printf("usable capacity %s, given to filesystems %s%n", Capacity.describe(Capacity.usableBytes(config)),
                Capacity.describe(config.dataPlane().filesystems().values().stream().mapToLong(FilesystemEntry::capacityBytes).sum()));
        cli.out().flush();
    }

    @Command(name = "create", description = "Create a filesystem of the given capacity.")
    public static final class Create extends BaseCommand {
        @Parameters(paramLabel = "NAME")
        String name;

        @Option(names = "--capacity", required = true, paramLabel = "SIZE", description = "e.g. 100GiB, 2TiB")
        String capacity;

        @Override
        protected void run(CliContext cli) {
            long bytes = ByteSizes.parse(capacity);
            try (ControlClient client = cli.management()) {
                FilesystemEntry fs = Json.fromTree(client.call(ManagementApi.FS_CREATE, new FilesystemRequest(name, bytes)),
                        FilesystemEntry.class);
                if (cli.json()) {
                    cli.printJson(fs);
                } else {
                    cli.out().printf("created filesystem %s (id %d, %s)%n", fs.name(), fs.id(), Capacity.describe(fs.capacityBytes()));
                    cli.out().flush();
                }
            }
        }
    }

    @Command(name = "delete", description = "Delete a filesystem and everything in it.")
    public static final class Delete extends BaseCommand {
        @Parameters(paramLabel = "NAME")
        String name;

        @Override
        protected void run(CliContext cli) {
            try (ControlClient client = cli.management()) {
                client.call(ManagementApi.FS_DELETE, new FilesystemRequest(name, 0));
            }
            cli.out().printf("deleted filesystem %s%n", name);
            cli.out().flush();
        }
    }
}
