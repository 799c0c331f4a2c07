package io.strata.config.cluster;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;

/**
 * A rolling upgrade as the control plane keeps it: the release it moves to, the phase (drives,
 * then compute, then frontend containers), the container being switched, what is done and what
 * is left, and the last problem. {@code status} is RUNNING, PAUSED, ABORTED, FAILED or COMPLETED.
 * Every step is recorded here before and after it happens, so a new control-plane leader takes
 * the upgrade over where the last one left it.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record UpgradeState(
        String targetRelease,
        String phase,
        String status,
        Integer current,
        List<Integer> done,
        List<Integer> remaining,
        String lastProblem,
        long startedAtMillis,
        long updatedAtMillis,
        boolean allowDisruptive,
        List<String> log) {

    public static final String RUNNING = "RUNNING";
    public static final String PAUSED = "PAUSED";
    public static final String ABORTED = "ABORTED";
    public static final String FAILED = "FAILED";
    public static final String COMPLETED = "COMPLETED";

    public UpgradeState {
        done = done == null ? List.of() : List.copyOf(done);
        remaining = remaining == null ? List.of() : List.copyOf(remaining);
        log = log == null ? List.of() : List.copyOf(log.size() > 200 ? log.subList(log.size() - 200, log.size()) : log);
    }

    public boolean isActive() {
        return RUNNING.equals(status) || PAUSED.equals(status);
    }

    public UpgradeState with(String newPhase, String newStatus, Integer newCurrent, List<Integer> newDone, List<Integer> newRemaining,
            String problem, long atMillis, String logLine) {
        List<String> nextLog = new java.util.ArrayList<>(log);
        if (logLine != null) {
            nextLog.add(java.time.Instant.ofEpochMilli(atMillis) + " " + logLine);
        }
        return new UpgradeState(targetRelease, newPhase, newStatus, newCurrent, newDone, newRemaining, problem, startedAtMillis,
                atMillis, allowDisruptive, nextLog);
    }
}
