package io.strata.compute.process;

import io.strata.compute.bucket.BucketCommand;
import io.strata.compute.bucket.BucketState;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Ends the grace of the files that linger, nameless and closed, in the buckets this process leads
 * ({@link BucketState#lingeringFileCount()}). It notes, by this process's clock, the number the
 * latest lingering file of each bucket had; once {@link #GRACE_NS} has passed since a note, the
 * files numbered up to it have lingered that long at least, and one {@code DropLingering}
 * destroys them. A new leader starts its notes afresh, so a file may linger longer, never less.
 */
final class LingeringGrace {
    /** Far longer than a lookup and the open that follows it take, also on a loaded machine. */
    static final long GRACE_NS = TimeUnit.SECONDS.toNanos(3);

    private final ComputeService service;
    /** Per bucket: (clock, latest number) notes, oldest first. */
    private final Map<Integer, ArrayDeque<long[]>> notes = new HashMap<>();
    /** Per bucket: the highest number whose grace is over. */
    private final Map<Integer, Long> graceOver = new HashMap<>();
    private final Set<Integer> dropping = new HashSet<>();

    LingeringGrace(ComputeService service) {
        this.service = service;
    }

    /** For a bucket this process leads. */
    void poll(int bucket, long nowNanos) {
        long latest = service.read(bucket, BucketState::lastLingeringNumber);
        ArrayDeque<long[]> noted = notes.computeIfAbsent(bucket, b -> new ArrayDeque<>());
        if (noted.isEmpty() || noted.peekLast()[1] != latest) {
            noted.addLast(new long[] {nowNanos, latest});
        }
        while (!noted.isEmpty() && nowNanos - noted.peekFirst()[0] >= GRACE_NS) {
            graceOver.merge(bucket, noted.pollFirst()[1], Math::max);
        }
        long upTo = graceOver.getOrDefault(bucket, 0L);
        if (!dropping.contains(bucket) && service.read(bucket, BucketState::oldestLingeringNumber) <= upTo) {
            dropping.add(bucket);
            service.submit(bucket, new BucketCommand.DropLingering(upTo), answer -> dropping.remove(bucket));
        }
    }

    /** For a bucket this process no longer leads. */
    void forget(int bucket) {
        notes.remove(bucket);
        graceOver.remove(bucket);
    }
}
