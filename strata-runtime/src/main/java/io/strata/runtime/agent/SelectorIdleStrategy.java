package io.strata.runtime.agent;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.Selector;
import org.agrona.concurrent.IdleStrategy;

/**
 * Backs off like Agrona's back-off strategy, but parks in {@link Selector#select(long)} instead
 * of {@code LockSupport.parkNanos}: an idle process sleeps in epoll and wakes the moment a frame
 * arrives or another thread calls {@link Selector#wakeup()}. That keeps a 2-core sandbox of many
 * processes quiet without adding a park's latency to every request.
 */
public final class SelectorIdleStrategy implements IdleStrategy {
    private final Selector selector;
    private final int maxSpins;
    private final int maxYields;
    private final long maxParkMs;
    private int spins;
    private int yields;

    public SelectorIdleStrategy(Selector selector, int maxSpins, int maxYields, long maxParkMs) {
        this.selector = selector;
        this.maxSpins = maxSpins;
        this.maxYields = maxYields;
        this.maxParkMs = maxParkMs;
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
            try {
                selector.select(maxParkMs);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
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
