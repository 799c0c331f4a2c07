package io.strata.cli;

import io.strata.cli.output.Durations;
import io.strata.config.Role;
import io.strata.config.cluster.ClusterConfig;
import io.strata.config.cluster.ContainerEntry;
import io.strata.config.cluster.Health;
import io.strata.config.cluster.ProcessEntry;
import io.strata.control.service.ManagementMessages.ClusterView;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;

/** {@code strata status}: the one screen an operator reads at a glance. */
@Command(name = "status", description = "Show the cluster's state on one screen.")
public final class StatusCommand extends BaseCommand {
    public record Summary(String status, int containersUp, int containersDown, Map<String, String> containersByRole,
            int processesUp, int processesTotal, Integer leaderContainerId, List<Integer> controlMembers,
            Map<String, Long> releases, String activeRelease, long degradedStripes, String protection) {
    }

    @Override
    protected void run(CliContext cli) {
        ClusterView view = cli.clusterView();
        Summary summary = summarize(view);
        if (cli.json()) {
            cli.printJson(Map.of("view", view, "summary", summary));
            return;
        }
        print(cli.out(), view, summary);
    }

    static Summary summarize(ClusterView view) {
        ClusterConfig config = view.config();
        int up = (int) config.containerList().stream().filter(c -> c.health() == Health.UP).count();
        int down = config.containers().size() - up;
        Map<String, String> byRole = new LinkedHashMap<>();
        for (Role role : List.of(Role.DRIVE, Role.COMPUTE, Role.FRONTEND)) {
            List<ContainerEntry> withRole = config.containerList().stream().filter(c -> c.hasRole(role)).toList();
            if (!withRole.isEmpty()) {
                long roleUp = withRole.stream().filter(c -> c.health() == Health.UP).count();
                byRole.put(role.wireName(), roleUp + "/" + withRole.size() + " UP");
            }
        }
        List<ProcessEntry> roleProcesses = config.processes().stream().filter(p -> p.role() != Role.MANAGEMENT).toList();
        int processesUp = (int) roleProcesses.stream().filter(p -> p.health() == Health.UP).count();
        Map<String, Long> releases = config.containerList().stream()
                .collect(Collectors.groupingBy(ContainerEntry::release, TreeMap::new, Collectors.counting()));
        String status = !config.isCreated() ? "NOT CREATED"
                : view.leaderContainerId() == null ? "NO LEADER"
                : down == 0 && processesUp == roleProcesses.size() ? "OK" : "DEGRADED";
        long degraded = config.dataPlane().buckets().stream().mapToLong(io.strata.config.cluster.BucketEntry::degradedStripes).sum();
        return new Summary(status, up, down, byRole, processesUp, roleProcesses.size(), view.leaderContainerId(),
                config.controlMembers(), releases, config.activeRelease(), degraded,
                degraded == 0 ? "Fully protected" : "Degraded");
    }

    private static void print(PrintWriter out, ClusterView view, Summary summary) {
        ClusterConfig config = view.config();
        if (!config.isCreated()) {
            out.println("status: NOT CREATED (this server has not joined a cluster; see 'strata cluster create')");
            out.flush();
            return;
        }
        long now = System.currentTimeMillis();
        out.printf("cluster: %s (%s), created %s%n", config.name(), config.clusterId(), Durations.ago(config.createdAtMillis(), now));
        out.printf("status: %s (%d containers UP, %d DOWN)%n", summary.status(), summary.containersUp(), summary.containersDown());
        out.printf("containers: %s%n", summary.containersByRole().entrySet().stream()
                .map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", ")));
        out.printf("processes: %d of %d role processes UP%n", summary.processesUp(), summary.processesTotal());
        if (config.protection() != null) {
            long degraded = config.dataPlane().buckets().stream().mapToLong(io.strata.config.cluster.BucketEntry::degradedStripes).sum();
            String state = degraded == 0 ? "Fully protected" : degraded + " stripes degraded, repairing those whose drives are back";
            out.printf("protection: %s (%s); hot spare %d failure domains; %d failure domains; %d buckets%n", config.protection(),
                    state, config.protection().hotSpare(), config.failureDomainCount(), config.bucketCount());
        }
        if (!config.dataPlane().drives().isEmpty()) {
            long raw = io.strata.control.service.Capacity.rawBytes(config);
            long used = config.dataPlane().filesystems().values().stream().mapToLong(io.strata.config.cluster.FilesystemEntry::usedBytes).sum();
            out.printf("drives: %d, raw %s, usable %s; filesystems: %d holding %s%n", config.dataPlane().drives().size(),
                    io.strata.control.service.Capacity.describe(raw),
                    io.strata.control.service.Capacity.describe(io.strata.control.service.Capacity.usableBytes(config)),
                    config.dataPlane().filesystems().size(), io.strata.control.service.Capacity.describe(used));
        }
        String leader = summary.leaderContainerId() == null ? "none (election in progress)"
                : "container " + summary.leaderContainerId() + " (" + config.container(summary.leaderContainerId()).qualifiedName() + ")";
        out.printf("control plane: leader %s; members %s%n", leader, summary.controlMembers());
        out.printf("releases: %s; active %s%n", summary.releases().entrySet().stream()
                .map(e -> e.getKey() + " (" + e.getValue() + " containers)").collect(Collectors.joining(", ")),
                summary.activeRelease());
        if (config.upgrade() != null && config.upgrade().isActive()) {
            var upgrade = config.upgrade();
            out.printf("upgrade: to %s %s, phase %s, %d done, %d left%s%n", upgrade.targetRelease(), upgrade.status(), upgrade.phase(),
                    upgrade.done().size(), upgrade.remaining().size(), upgrade.current() == null ? "" : ", switching container " + upgrade.current());
        }
        out.printf("active protocol: %d%n", config.activeProtocol());
        for (ContainerEntry container : config.containerList()) {
            if (container.health() == Health.DOWN) {
                out.printf("DOWN: container %d %s since %s%s%n", container.id(), container.qualifiedName(),
                        Durations.ago(container.healthSinceMillis(), now),
                        container.lastFailure() == null ? "" : ": " + container.lastFailure());
            }
        }
        if (view.stale()) {
            out.printf("warning: answered by container %d from a copy %d s old (no member reachable)%n", view.answeredBy(),
                    view.ageMs() / 1000);
        }
        out.flush();
    }
}
