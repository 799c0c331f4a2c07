package io.strata.compute.process;

import io.strata.runtime.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Notices a bucket leader whose Raft log appender keeps sending to a follower that does not
 * advance. Ratis's appender loops without waiting while a follower is behind; when the
 * follower's answers never let it catch up, that thread and the follower's network thread each
 * burn much of a core for as long as it lasts, while the bucket goes on with its other follower.
 *
 * <p>The one case found (a suite run of 2026-11-26, on a loaded machine): a new group's first
 * leader (term 1) wrote its configuration entry at index 0 and lost its leadership before any
 * follower had it; the next leader (term 2) wrote its own at index 0 and, its followers' next
 * index being 0, sent heartbeats with no previous entry and its commit index 0. Ratis 3.3.0's
 * follower then counts index 0 as committed (its {@code effectiveCommitIndex} takes index 0
 * as matched when there is no previous entry), although what it holds there is term 1's entry.
 * From then on it answers entries from 0 with "already committed, send from 1" and entries
 * from 1 with "your previous entry (term 2, index 0) is not mine, send from 0", without end.
 * {@code StrandedFollowerTest} makes it happen at will. The stuck member cures itself
 * ({@link StrandedFollowerWatch}: its replica is rebuilt empty); this watch says loudly, with
 * the indices that tell it apart, what the leader sees meanwhile, or if any other case makes the
 * appender spin.
 *
 * <p>A follower counts as stuck when, over a window of at least {@link #WINDOW_NS}, its appender
 * used at least {@link #HOT_SHARE} of a core (the loop got 10-20 % of one on that loaded machine;
 * an appender that only sends heartbeats uses well under 1 %), its match index did not move,
 * and it is behind the leader's log. A follower that advances, or an idle appender, is never
 * reported. Each stuck follower is reported at most once per {@link #REPEAT_NS}. Runs on the
 * compute process's thread.
 */
final class AppenderWatch {
    private static final Logger LOG = LoggerFactory.getLogger(AppenderWatch.class);
    static final long WINDOW_NS = TimeUnit.SECONDS.toNanos(10);
    static final long REPEAT_NS = TimeUnit.SECONDS.toNanos(60);
    static final double HOT_SHARE = 0.10;

    /**
     * What the leader knows of one follower now, and the CPU its appender thread used so far
     * ({@code appenderCpuNanos} is -1 when the thread is not found).
     */
    record Replication(int bucket, String leader, String follower, long matchIndex, long nextIndex, long leaderNextIndex,
            long appenderCpuNanos) {
        String key() {
            return bucket + "/" + follower;
        }
    }

    /** Where the watch reads the replications of the groups this process leads. */
    @FunctionalInterface
    interface Probe {
        List<Replication> replications();
    }

    private record Start(long atNanos, Replication replication) {
    }

    private final Probe probe;
    private final Clock clock;
    private final Map<String, Start> windows = new HashMap<>();
    private final Map<String, Long> lastReported = new HashMap<>();

    AppenderWatch(Probe probe, Clock clock) {
        this.probe = probe;
        this.clock = clock;
    }

    /** Takes a sample; returns (and logs) what it found stuck. */
    List<String> poll() {
        long now = clock.nanoTime();
        List<String> stuck = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (Replication current : probe.replications()) {
            String key = current.key();
            seen.add(key);
            Start start = windows.get(key);
            if (start == null || current.matchIndex() != start.replication().matchIndex()
                    || current.appenderCpuNanos() < start.replication().appenderCpuNanos()) {
                // a new follower, one that advanced, or a new appender thread: a new window starts
                windows.put(key, new Start(now, current));
                continue;
            }
            long elapsed = now - start.atNanos();
            if (elapsed < WINDOW_NS) {
                continue;
            }
            windows.put(key, new Start(now, current));
            String verdict = verdict(start.replication(), current, elapsed);
            Long reported = lastReported.get(key);
            if (verdict != null && (reported == null || now - reported >= REPEAT_NS)) {
                lastReported.put(key, now);
                LOG.warn(verdict);
                stuck.add(verdict);
            }
        }
        windows.keySet().retainAll(seen);
        lastReported.keySet().retainAll(seen);
        return stuck;
    }

    /** Why the follower looks stuck over the window, or null when it does not. */
    static String verdict(Replication before, Replication after, long elapsedNanos) {
        if (before.appenderCpuNanos() < 0 || after.appenderCpuNanos() < 0 || after.matchIndex() != before.matchIndex()
                || after.matchIndex() + 1 >= after.leaderNextIndex()) {
            return null;
        }
        double share = (double) (after.appenderCpuNanos() - before.appenderCpuNanos()) / elapsedNanos;
        if (share < HOT_SHARE) {
            return null;
        }
        return String.format("bucket %d: leader %s has been sending to follower %s for %d s, its appender using %.0f %% of a core, "
                + "and the follower does not advance (match index %d, next index %d, leader's log ends before %d): "
                + "replication to it is stuck in Ratis (a follower holding another term's entry it counts as committed answers so, "
                + "and rebuilds its replica by itself within a minute)",
                after.bucket(), after.leader(), after.follower(), TimeUnit.NANOSECONDS.toSeconds(elapsedNanos), share * 100,
                after.matchIndex(), after.nextIndex(), after.leaderNextIndex());
    }
}
