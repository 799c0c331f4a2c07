package io.strata.control.service;

import io.strata.control.service.ManagementMessages.Heartbeat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The latest heartbeat from each container and when it arrived (monotonic time). */
public final class HealthTable {
    public record Entry(Heartbeat heartbeat, long receivedAtNanos) {
    }

    private final Map<Integer, Entry> latest = new ConcurrentHashMap<>();

    public void record(Heartbeat heartbeat, long nowNanos) {
        latest.put(heartbeat.containerId(), new Entry(heartbeat, nowNanos));
    }

    public Entry get(int containerId) {
        return latest.get(containerId);
    }

    public void forget(int containerId) {
        latest.remove(containerId);
    }
}
