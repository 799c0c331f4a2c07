package io.strata.control.service;

import io.strata.config.cluster.ClusterConfig;
import io.strata.config.cluster.ConfigCommand;
import io.strata.config.cluster.ContainerEntry;
import io.strata.config.cluster.Health;
import io.strata.config.cluster.ProcessEntry;
import io.strata.control.raft.ControlPlaneMember;
import io.strata.control.service.ManagementMessages.Heartbeat;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs on every member and acts only on the leader: a container whose heartbeats stopped for
 * {@code downAfterMs} is marked DOWN; one heard from again (a heartbeat sent after it was
 * marked DOWN) is marked UP, with the release, pid and process health it reported.
 */
final class HealthMonitor implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HealthMonitor.class);
    private static final long PERIOD_MS = 500;

    private final ManagementService service;
    private final ControlPlaneMember member;
    private volatile boolean closed;
    private Thread thread;
    private long leaderSinceNanos = -1;

    HealthMonitor(ManagementService service, ControlPlaneMember member) {
        this.service = service;
        this.member = member;
    }

    void start() {
        thread = Thread.ofVirtual().name("health-monitor").start(this::run);
    }

    private void run() {
        while (!closed) {
            try {
                check();
            } catch (RuntimeException e) {
                LOG.debug("health check failed: {}", e.getMessage());
            }
            ManagementService.sleepQuietly(PERIOD_MS);
        }
    }

    private void check() {
        long now = service.context().clock().nanoTime();
        if (!member.isLeader()) {
            leaderSinceNanos = -1;
            return;
        }
        if (leaderSinceNanos < 0) {
            leaderSinceNanos = now;
        }
        long downAfterNs = TimeUnit.MILLISECONDS.toNanos(service.context().downAfterMs());
        ClusterConfig config = member.state().config();
        for (ContainerEntry container : config.containerList()) {
            HealthTable.Entry entry = service.healthTable().get(container.id());
            boolean fresh = entry != null && now - entry.receivedAtNanos() < downAfterNs;
            ConfigCommand.ReportHealth report = decide(container, entry, fresh, now - leaderSinceNanos > downAfterNs);
            if (report != null) {
                LOG.info("container {} ({}) is {}{}", container.id(), container.qualifiedName(), report.health(),
                        report.reason() == null ? "" : ": " + report.reason());
                member.submit(report);
            }
        }
    }

    private ConfigCommand.ReportHealth decide(ContainerEntry container, HealthTable.Entry entry, boolean fresh,
            boolean graceOver) {
        long nowMillis = service.context().clock().epochMillis();
        if (container.health() == Health.UP) {
            if (!fresh && graceOver) {
                long silentMs = entry == null ? service.context().downAfterMs()
                        : TimeUnit.NANOSECONDS.toMillis(service.context().clock().nanoTime() - entry.receivedAtNanos());
                return new ConfigCommand.ReportHealth(container.id(), Health.DOWN, nowMillis,
                        "no heartbeat for " + (silentMs / 1000) + " s", null, 0, 0, null);
            }
            if (fresh && changed(container, entry.heartbeat())) {
                return up(container, entry.heartbeat(), nowMillis);
            }
            return null;
        }
        if (fresh && entry.heartbeat().sentAtMillis() > container.healthSinceMillis()) {
            return up(container, entry.heartbeat(), nowMillis);
        }
        return null;
    }

    private static boolean changed(ContainerEntry container, Heartbeat heartbeat) {
        if (heartbeat.pid() != container.pid() || !heartbeat.release().equals(container.release())
                || (heartbeat.protocol() > 0 && heartbeat.protocol() != container.protocol())) {
            return true;
        }
        Map<Integer, Health> reported = heartbeat.processHealth();
        for (ProcessEntry process : container.processes()) {
            Health expected = reported == null ? Health.UP : reported.getOrDefault(process.slot(), Health.DOWN);
            if (process.health() != expected) {
                return true;
            }
        }
        return false;
    }

    private static ConfigCommand.ReportHealth up(ContainerEntry container, Heartbeat heartbeat, long nowMillis) {
        return new ConfigCommand.ReportHealth(container.id(), Health.UP, nowMillis, null, heartbeat.release(),
                heartbeat.startedAtMillis(), heartbeat.pid(), heartbeat.processHealth(), heartbeat.protocol());
    }

    @Override
    public void close() {
        closed = true;
        if (thread != null) {
            thread.interrupt();
        }
    }
}
