package io.strata.compute.process;

import io.strata.runtime.Clock;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds this process's follower replicas that Ratis 3.3.0 leaves stranded, and has them rebuilt.
 *
 * <p>How one gets stranded (see {@link AppenderWatch} for what the leader sees): a new group's
 * first leader writes its configuration entry at index 0 and loses its leadership before any
 * follower has it. The next leader writes its own entry at index 0 in a later term and, while
 * that member's next index is 0, sends it heartbeats with no previous entry and commit index 0,
 * which Ratis's follower takes as "index 0 is committed". From then on that member holds another
 * term's entry it counts as committed, refuses the leader's entry 0 ("already committed") and its
 * entry 1 ("previous entry not found"), and the leader's appender loops on it for good.
 *
 * <p>The signature, all of which must hold over {@link #WINDOW_NS} while the log does not move:
 * the replica follows a leader it heard from within {@link #LEADER_HEARD_MS}; its log holds
 * exactly one entry, index 0, from an older term than the current one, and counts it committed.
 * A healthy follower in that term holds its leader's first entry of the term too (at index 0 if
 * the leader's log was empty, else beyond it), so it never matches for long.
 *
 * <p>The cure is a new replica: the member drops its group folder and joins again with an empty
 * log, and the leader sends it everything (entries, or a snapshot once the log is purged). Its
 * one entry was never part of any commit (the group committed another term's entry there), so
 * nothing is lost; the bucket keeps its quorum with the other two members meanwhile. Each bucket
 * is rebuilt at most once per {@link #REPEAT_NS}. Runs on the compute process's thread; the
 * rebuild itself is handed to {@code rebuild}.
 */
final class StrandedFollowerWatch {
    private static final Logger LOG = LoggerFactory.getLogger(StrandedFollowerWatch.class);
    static final long WINDOW_NS = TimeUnit.SECONDS.toNanos(10);
    static final long REPEAT_NS = TimeUnit.SECONDS.toNanos(60);
    static final long LEADER_HEARD_MS = 3000;

    /**
     * One follower replica of this process now: its term, its log's next index, the term of its
     * entry at index 0 (-1 when it has none), its commit index, and how long ago it last heard
     * from its leader (-1 when it knows no leader).
     */
    record Follower(int bucket, String member, long term, long logNextIndex, long firstEntryTerm, long commitIndex,
            long leaderSilentMs) {
        boolean strandedNow() {
            return logNextIndex == 1 && commitIndex == 0 && firstEntryTerm >= 0 && firstEntryTerm < term
                    && leaderSilentMs >= 0 && leaderSilentMs <= LEADER_HEARD_MS;
        }
    }

    /** Where the watch reads this process's follower replicas. */
    @FunctionalInterface
    interface Probe {
        List<Follower> followers();
    }

    private final Probe probe;
    private final Clock clock;
    private final IntConsumer rebuild;
    private final Map<Integer, Long> strandedSince = new HashMap<>();
    private final Map<Integer, Long> lastRebuilt = new HashMap<>();

    StrandedFollowerWatch(Probe probe, Clock clock, IntConsumer rebuild) {
        this.probe = probe;
        this.clock = clock;
        this.rebuild = rebuild;
    }

    /** Takes a sample; returns the buckets whose replica it had rebuilt. */
    Set<Integer> poll() {
        long now = clock.nanoTime();
        Set<Integer> rebuilt = new HashSet<>();
        Set<Integer> stranded = new HashSet<>();
        for (Follower follower : probe.followers()) {
            if (!follower.strandedNow()) {
                continue;
            }
            int bucket = follower.bucket();
            stranded.add(bucket);
            long since = strandedSince.computeIfAbsent(bucket, b -> now);
            Long last = lastRebuilt.get(bucket);
            if (now - since < WINDOW_NS || (last != null && now - last < REPEAT_NS)) {
                continue;
            }
            LOG.warn("bucket {}: replica {} has held only a stale entry 0 (term {}, counted as committed) in term {} for {} s "
                    + "while its leader keeps sending: Ratis cannot bring it up to date, so it is rebuilt empty and the leader "
                    + "sends it everything again", bucket, follower.member(), follower.firstEntryTerm(), follower.term(),
                    TimeUnit.NANOSECONDS.toSeconds(now - since));
            lastRebuilt.put(bucket, now);
            strandedSince.remove(bucket);
            rebuilt.add(bucket);
            rebuild.accept(bucket);
        }
        strandedSince.keySet().retainAll(stranded);
        return rebuilt;
    }
}
