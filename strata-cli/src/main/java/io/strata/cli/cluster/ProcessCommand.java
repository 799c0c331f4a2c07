package io.strata.cli.cluster;

import io.strata.cli.BaseCommand;
import io.strata.cli.CliContext;
import io.strata.cli.output.Table;
import io.strata.config.Role;
import io.strata.config.cluster.ClusterConfig;
import io.strata.config.cluster.ContainerEntry;
import io.strata.config.cluster.ProcessEntry;
import io.strata.control.service.ManagementApi;
import io.strata.control.service.ManagementMessages.ClusterView;
import io.strata.protocol.rpc.ControlClient;
import io.strata.protocol.rpc.NoParams;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code strata cluster process}: every process of the cluster with its core and port. */
@Command(name = "process", description = "List the cluster's processes: id, container, slot, role, core, port, status, release.")
public final class ProcessCommand extends BaseCommand {
    @Option(names = "--role", paramLabel = "ROLE", description = "Only processes of this role: management, drive, compute, frontend.")
    String role;

    public record ProcessRow(int id, int containerId, int slot, String container, String hostname, String address, String status,
            String role, Integer core, int port, String release, String failureDomain) {
    }

    @Override
    protected void run(CliContext cli) {
        Role filter = role == null ? null : Role.parse(role);
        ClusterView view;
        try (ControlClient client = cli.management()) {
            view = client.call(ManagementApi.VIEW, NoParams.INSTANCE, ClusterView.class);
        }
        List<ProcessRow> rows = rows(view.config(), filter);
        if (cli.json()) {
            cli.printJson(rows);
            return;
        }
        Table table = new Table("ID", "CONTAINER ID", "SLOT", "CONTAINER", "HOSTNAME", "IPS", "STATUS", "ROLE", "CORE", "PORT",
                "RELEASE", "FAILURE DOMAIN");
        for (ProcessRow row : rows) {
            table.row(row.id(), row.containerId(), row.slot(), row.container(), row.hostname(), row.address(), row.status(),
                    row.role(), row.core() == null ? "any" : row.core(), row.port(), row.release(), row.failureDomain());
        }
        table.print(cli.out());
    }

    static List<ProcessRow> rows(ClusterConfig config, Role filter) {
        List<ProcessRow> rows = new ArrayList<>();
        for (ContainerEntry container : config.containerList()) {
            for (ProcessEntry process : container.processes()) {
                if (filter != null && process.role() != filter) {
                    continue;
                }
                String status = !container.active() ? "INACTIVE" : process.health().name();
                rows.add(new ProcessRow(process.id(), container.id(), process.slot(), container.name(), container.hostname(),
                        container.address(), status, process.role().wireName(), process.coreId(), process.port(),
                        container.release(), container.failureDomain()));
            }
        }
        return rows;
    }
}
