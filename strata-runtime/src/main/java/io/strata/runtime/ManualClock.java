package io.strata.runtime;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/** A clock that only moves when told to; for tests and simulations. */
public final class ManualClock implements Clock {
    private final AtomicLong nanos = new AtomicLong();
    private final long epochOffsetMillis;

    public ManualClock(long startEpochMillis) {
        this.epochOffsetMillis = startEpochMillis;
    }

    public void advance(long amount, TimeUnit unit) {
        nanos.addAndGet(unit.toNanos(amount));
    }

    @Override
    public long nanoTime() {
        return nanos.get();
    }

    @Override
    public long epochMillis() {
        return epochOffsetMillis + TimeUnit.NANOSECONDS.toMillis(nanos.get());
    }
}
