package io.strata.control.service;

import io.strata.config.Role;
import io.strata.config.agent.AgentApi;
import io.strata.config.agent.VersionRequest;
import io.strata.config.cluster.BucketEntry;
import io.strata.config.cluster.ClusterConfig;
import io.strata.config.cluster.ConfigCommand;
import io.strata.config.cluster.ContainerEntry;
import io.strata.config.cluster.Health;
import io.strata.config.cluster.ServerEntry;
import io.strata.config.cluster.UpgradeState;
import io.strata.config.ProcessIds;
import io.strata.control.raft.ControlPlaneMember;
import io.strata.protocol.rpc.ControlClient;
import io.strata.runtime.StrataException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a rolling upgrade from the control plane's leader, one container at a time: all drives
 * containers, then compute, then frontend. Before each step it waits for the gates (protection
 * full, every bucket led, at least 90% of drives and compute containers up); then it asks the
 * container's host agent to switch it to the new release and restart it gracefully (which hands
 * its work away first); then it waits until the container is back on the new release and healthy
 * for its role. A container that does not come back in time is rolled back to its release and the
 * upgrade stops with the reason. Every step is recorded in the configuration first, so a new
 * leader carries on where the last one was.
 */
final class UpgradeCoordinator implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(UpgradeCoordinator.class);
    private static final long PERIOD_MS = 1_000;
    private static final long STEP_TIMEOUT_MS = TimeUnit.MINUTES.toMillis(3);
    /** A container still down this long after its switch is not coming back on the new release. */
    private static final long DOWN_TIMEOUT_MS = TimeUnit.SECONDS.toMillis(60);

    private final ManagementService service;
    private final ControlPlaneMember member;
    private volatile boolean closed;
    private Thread thread;

    UpgradeCoordinator(ManagementService service, ControlPlaneMember member) {
        this.service = service;
        this.member = member;
    }

    void start() {
        thread = Thread.ofVirtual().name("upgrade-coordinator").start(this::run);
    }

    private void run() {
        while (!closed) {
            try {
                if (member.isLeader()) {
                    step();
                }
            } catch (RuntimeException e) {
                LOG.warn("upgrade step failed: {}", e.getMessage());
            }
            ManagementService.sleepQuietly(PERIOD_MS);
        }
    }

    private long now() {
        return service.context().clock().epochMillis();
    }

    private void record(UpgradeState next) {
        member.submit(new ConfigCommand.SetUpgrade(next));
    }

    private void step() {
        ClusterConfig config = member.state().config();
        UpgradeState upgrade = config.upgrade();
        if (upgrade == null || !UpgradeState.RUNNING.equals(upgrade.status())) {
            return;
        }
        if (upgrade.current() != null) {
            followCurrent(config, upgrade);
            return;
        }
        if (upgrade.remaining().isEmpty()) {
            record(upgrade.with("DONE", UpgradeState.COMPLETED, null, upgrade.done(), List.of(), null, now(),
                    "every container runs " + upgrade.targetRelease()));
            LOG.info("upgrade to {} completed", upgrade.targetRelease());
            return;
        }
        ContainerEntry next = config.container(upgrade.remaining().getFirst());
        String phase = phaseOf(next);
        String gate = gateProblem(config);
        if (gate != null) {
            if (!gate.equals(upgrade.lastProblem())) {
                record(upgrade.with(phase, UpgradeState.RUNNING, null, upgrade.done(), upgrade.remaining(), gate, now(), "waiting: " + gate));
            }
            return;
        }
        record(upgrade.with(phase, UpgradeState.RUNNING, next.id(), upgrade.done(), upgrade.remaining(), null, now(),
                "switching container " + next.id() + " (" + next.qualifiedName() + ") from " + next.release() + " to "
                        + upgrade.targetRelease()));
        switchRelease(config, next, upgrade.targetRelease());
    }

    /** Waits for the container being switched to come back healthy on the new release; rolls it back when it does not. */
    private void followCurrent(ClusterConfig config, UpgradeState upgrade) {
        ContainerEntry container = config.container(upgrade.current());
        boolean back = container.health() == Health.UP && container.release().equals(upgrade.targetRelease())
                && container.healthSinceMillis() >= upgrade.updatedAtMillis() - 1_000;
        if (back && healthyForRole(config, container)) {
            List<Integer> done = new ArrayList<>(upgrade.done());
            done.add(container.id());
            List<Integer> remaining = new ArrayList<>(upgrade.remaining());
            remaining.remove(Integer.valueOf(container.id()));
            record(upgrade.with(upgrade.phase(), UpgradeState.RUNNING, null, done, remaining, null, now(),
                    "container " + container.id() + " (" + container.qualifiedName() + ") runs " + upgrade.targetRelease()));
            return;
        }
        boolean stuckDown = container.health() == Health.DOWN && now() - upgrade.updatedAtMillis() > DOWN_TIMEOUT_MS;
        if (stuckDown || now() - upgrade.updatedAtMillis() > STEP_TIMEOUT_MS) {
            String problem = "container " + container.id() + " (" + container.qualifiedName() + ") did not come back healthy on "
                    + upgrade.targetRelease() + " within " + TimeUnit.MILLISECONDS.toSeconds(stuckDown ? DOWN_TIMEOUT_MS : STEP_TIMEOUT_MS) + " s"
                    + (container.lastFailure() == null ? "" : " (last failure: " + container.lastFailure() + ")")
                    + "; rolled it back, upgrade stopped";
            LOG.warn(problem);
            rollBack(config, container);
            record(upgrade.with(upgrade.phase(), UpgradeState.FAILED, null, upgrade.done(), upgrade.remaining(), problem, now(), problem));
        }
    }

    private static String phaseOf(ContainerEntry container) {
        List<Role> roles = container.roles();
        if (roles.size() > 1) {
            return "SINGLE";
        }
        return roles.isEmpty() ? "OTHER" : roles.getFirst() == Role.DRIVE ? "DRIVES" : roles.getFirst() == Role.COMPUTE ? "COMPUTE" : "FRONTEND";
    }

    /** Why the next step must wait, or null. */
    static String gateProblem(ClusterConfig config) {
        long degraded = config.dataPlane().buckets().stream().mapToLong(BucketEntry::degradedStripes).sum();
        if (degraded > 0) {
            return "protection is not full (" + degraded + " stripes degraded)";
        }
        for (BucketEntry bucket : config.dataPlane().buckets()) {
            ContainerEntry leader = bucket.leader() < 0 ? null : config.containers().get(ProcessIds.containerOf(bucket.leader()));
            if (leader == null || leader.health() != Health.UP) {
                return "bucket " + bucket.id() + " has no leader";
            }
        }
        List<ContainerEntry> backend = config.containerList().stream()
                .filter(c -> c.hasRole(Role.DRIVE) || c.hasRole(Role.COMPUTE)).toList();
        long up = backend.stream().filter(c -> c.health() == Health.UP).count();
        if (!backend.isEmpty() && up * 10 < backend.size() * 9L) {
            return up + " of " + backend.size() + " drives and compute containers are up; 90% are needed";
        }
        List<ContainerEntry> drivesDown = config.containerList().stream()
                .filter(c -> c.hasRole(Role.DRIVE) && c.health() != Health.UP).toList();
        if (!drivesDown.isEmpty()) {
            return "drives container " + drivesDown.getFirst().qualifiedName() + " is down";
        }
        return null;
    }

    /** Role-specific health: a drives container's missed stripes are repaired; every bucket has a leader again. */
    private static boolean healthyForRole(ClusterConfig config, ContainerEntry container) {
        if (container.hasRole(Role.DRIVE) || container.hasRole(Role.COMPUTE)) {
            return gateProblem(config) == null;
        }
        return true;
    }

    private void switchRelease(ClusterConfig config, ContainerEntry container, String release) {
        ServerEntry server = config.servers().get(container.hostname());
        try (ControlClient agent = ControlClient.connect(new InetSocketAddress(server.address(), server.agentPort()),
                service.memberCredentials(), "management")) {
            agent.call(AgentApi.VERSION_SET, new VersionRequest(null, release, container.name(), true), 120_000);
        } catch (StrataException e) {
            LOG.warn("switching {} to {} failed: {}", container.qualifiedName(), release, e.getMessage());
        }
    }

    private void rollBack(ClusterConfig config, ContainerEntry container) {
        ServerEntry server = config.servers().get(container.hostname());
        try (ControlClient agent = ControlClient.connect(new InetSocketAddress(server.address(), server.agentPort()),
                service.memberCredentials(), "management")) {
            agent.call(AgentApi.ROLLBACK, new VersionRequest(null, null, container.name(), true), 120_000);
        } catch (StrataException e) {
            LOG.warn("rolling {} back failed: {}", container.qualifiedName(), e.getMessage());
        }
    }

    @Override
    public void close() {
        closed = true;
        if (thread != null) {
            thread.interrupt();
        }
    }
}
