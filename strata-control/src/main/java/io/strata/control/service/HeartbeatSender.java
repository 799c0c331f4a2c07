package io.strata.control.service;

import io.strata.config.cluster.MemberEndpoint;
import io.strata.control.service.ManagementMessages.Heartbeat;
import io.strata.control.service.ManagementMessages.ContainerRuntimeStatus;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends this container's heartbeat to every member each interval, one virtual thread per member
 * so a member that does not answer delays no other.
 */
final class HeartbeatSender implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HeartbeatSender.class);

    private final ManagementService service;
    private final Map<String, Thread> links = new ConcurrentHashMap<>();
    private volatile boolean closed;
    private Thread supervisor;

    HeartbeatSender(ManagementService service) {
        this.service = service;
    }

    void start() {
        supervisor = Thread.ofVirtual().name("heartbeat-links").start(this::superviseLinks);
    }

    /** Keeps one link per current member: members can change with the configuration. */
    private void superviseLinks() {
        while (!closed) {
            List<MemberEndpoint> members = service.memberEndpoints();
            for (MemberEndpoint endpoint : members) {
                String key = endpoint.address() + ":" + endpoint.port();
                links.computeIfAbsent(key, k -> Thread.ofVirtual().name("heartbeat-" + k).start(() -> link(endpoint, k)));
            }
            ManagementService.sleepQuietly(2_000);
        }
    }

    private void link(MemberEndpoint endpoint, String key) {
        long intervalMs = service.context().heartbeatIntervalMs();
        int failures = 0;
        while (!closed && service.memberEndpoints().stream().anyMatch(m -> (m.address() + ":" + m.port()).equals(key))) {
            try {
                service.memberClients().call(endpoint, ManagementApi.HEARTBEAT, heartbeat(), (int) intervalMs * 2);
                failures = 0;
            } catch (RuntimeException e) {
                if (failures++ == 0) {
                    LOG.debug("heartbeat to {} failed: {}", key, e.getMessage());
                }
            }
            ManagementService.sleepQuietly(intervalMs);
        }
        links.remove(key);
    }

    private Heartbeat heartbeat() {
        ContainerRuntimeStatus status = service.context().runtime().status();
        return new Heartbeat(service.containerId(), service.context().hostname(), service.context().containerName(),
                status.release(), status.pid(), status.startedAtMillis(), service.context().runtime().processHealth(),
                status.draining(), service.context().clock().epochMillis(), service.context().release().protocol());
    }

    @Override
    public void close() {
        closed = true;
        if (supervisor != null) {
            supervisor.interrupt();
        }
        links.values().forEach(Thread::interrupt);
    }
}
