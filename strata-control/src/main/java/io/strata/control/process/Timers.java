package io.strata.control.process;

import io.strata.runtime.Clock;
import java.util.PriorityQueue;
import java.util.concurrent.TimeUnit;

/** Work a role process does later, on its own thread: retries after a pause, periodic chores. */
public final class Timers {
    private record Timer(long dueNanos, long sequence, Runnable task) {
    }

    private final Clock clock;
    private final PriorityQueue<Timer> timers = new PriorityQueue<>((a, b) -> a.dueNanos != b.dueNanos
            ? Long.compare(a.dueNanos, b.dueNanos) : Long.compare(a.sequence, b.sequence));
    private long sequence;

    public Timers(Clock clock) {
        this.clock = clock;
    }

    public void after(long delayMs, Runnable task) {
        timers.add(new Timer(clock.nanoTime() + TimeUnit.MILLISECONDS.toNanos(delayMs), sequence++, task));
    }

    /** How long until the next timer is due: 0 if one is due now, {@code Long.MAX_VALUE} if there is none. */
    public long nanosUntilNext() {
        Timer next = timers.peek();
        return next == null ? Long.MAX_VALUE : Math.max(0, next.dueNanos() - clock.nanoTime());
    }

    /** Runs what is due; returns how many ran. */
    public int poll() {
        int ran = 0;
        long now = clock.nanoTime();
        while (!timers.isEmpty() && timers.peek().dueNanos() <= now && ran < 1024) {
            timers.poll().task().run();
            ran++;
        }
        return ran;
    }
}
