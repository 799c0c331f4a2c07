package io.strata.runtime.agent;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.Selector;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.agrona.concurrent.IdleStrategy;

/**
 * Backs off like Agrona's back-off strategy, but parks in {@link Selector#select(long)} instead
 * of {@code LockSupport.parkNanos}: an idle process sleeps in epoll and wakes the moment a frame
 * arrives or another thread calls {@link Selector#wakeup()}. That keeps a 2-core sandbox of many
 * processes quiet without adding a park's latency to every request.
 *
 * <p>Since input and wakeups end a park at once, its bound only matters for work that is due at a
 * time: a park never outlasts {@code nanosUntilDue} (the agent's next timer), and otherwise lasts
 * up to {@code maxParkMs}, so an idle process wakes a few times a second, not a hundred.
 */
public final class SelectorIdleStrategy implements IdleStrategy {
    private final Selector selector;
    private final int maxSpins;
    private final int maxYields;
    private final long maxParkMs;
    private final LongSupplier nanosUntilDue;
    private int spins;
    private int yields;

    public SelectorIdleStrategy(Selector selector, int maxSpins, int maxYields, long maxParkMs) {
        this(selector, maxSpins, maxYields, maxParkMs, () -> Long.MAX_VALUE);
    }

    /**
     * @param nanosUntilDue how long until the agent has work due by time (0 when it is due now,
     *     {@code Long.MAX_VALUE} when nothing is); called on the agent's thread
     */
    public SelectorIdleStrategy(Selector selector, int maxSpins, int maxYields, long maxParkMs, LongSupplier nanosUntilDue) {
        if (maxParkMs < 1) {
            throw new IllegalArgumentException("a park lasts at least 1 ms, not " + maxParkMs);
        }
        this.selector = selector;
        this.maxSpins = maxSpins;
        this.maxYields = maxYields;
        this.maxParkMs = maxParkMs;
        this.nanosUntilDue = nanosUntilDue;
    }

    @Override
    public void idle(int workCount) {
        if (workCount > 0) {
            reset();
        } else {
            idle();
        }
    }

    @Override
    public void idle() {
        if (spins < maxSpins) {
            spins++;
            Thread.onSpinWait();
        } else if (yields < maxYields) {
            yields++;
            Thread.yield();
        } else {
            park();
        }
    }

    private void park() {
        long parkMs = parkMillis(nanosUntilDue.getAsLong(), maxParkMs);
        try {
            if (parkMs == 0) {
                selector.selectNow();
            } else {
                selector.select(parkMs);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** How long to park: until the next due work (rounded up to a millisecond), at most {@code maxParkMs}; 0 when due now. */
    static long parkMillis(long nanosUntilDue, long maxParkMs) {
        if (nanosUntilDue <= 0) {
            return 0;
        }
        long dueMs = TimeUnit.NANOSECONDS.toMillis(nanosUntilDue) + (nanosUntilDue % 1_000_000 == 0 ? 0 : 1);
        return Math.min(dueMs, maxParkMs);
    }

    @Override
    public void reset() {
        spins = 0;
        yields = 0;
    }

    @Override
    public String alias() {
        return "selector-backoff";
    }
}
