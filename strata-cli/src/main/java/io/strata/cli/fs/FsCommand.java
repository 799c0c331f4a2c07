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
import io.strata.resources.ByteSizes;
import io.strata.runtime.Json;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code strata fs}: list filesystems (default), create, resize and delete them. */
@Command(name = "fs", description = "List filesystems with used and capacity (default), create, resize or delete them.",
        subcommands = {FsCommand.Create.class, FsCommand.Update.class, FsCommand.Delete.class})
public final class FsCommand extends BaseCommand {
    public record FsRow(int id, String name, long usedBytes, long capacityBytes, long reservedBytes) {
    }

    @Override
    protected void run(CliContext cli) {
        ClusterView view = cli.clusterView();
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

    /** A command naming a filesystem and a capacity for it (create, update): asks, then prints the entry or a message. */
    abstract static class Sized extends BaseCommand {
        @Parameters(paramLabel = "NAME")
        String name;

        @Option(names = "--capacity", required = true, paramLabel = "SIZE", description = "e.g. 100GiB, 2TiB")
        String capacity;

        void ask(CliContext cli, String api, java.util.function.Function<FilesystemEntry, String> message) {
            long bytes = ByteSizes.parse(capacity);
            FilesystemEntry fs;
            try (ControlClient client = cli.management()) {
                fs = Json.fromTree(client.call(api, new FilesystemRequest(name, bytes)), FilesystemEntry.class);
            }
            if (cli.json()) {
                cli.printJson(fs);
            } else {
                cli.out().println(message.apply(fs));
                cli.out().flush();
            }
        }
    }

    @Command(name = "create", description = "Create a filesystem of the given capacity.")
    public static final class Create extends Sized {
        @Override
        protected void run(CliContext cli) {
            ask(cli, ManagementApi.FS_CREATE, fs -> String.format("created filesystem %s (id %d, %s)", fs.name(), fs.id(),
                    Capacity.describe(fs.capacityBytes())));
        }
    }

    @Command(name = "update", description = "Give a filesystem a new capacity (never below what it already holds).")
    public static final class Update extends Sized {
        @Override
        protected void run(CliContext cli) {
            ask(cli, ManagementApi.FS_RESIZE, fs -> String.format("filesystem %s now has %s", fs.name(),
                    Capacity.describe(fs.capacityBytes())));
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
