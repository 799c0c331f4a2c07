package io.strata.runtime;

/**
 * Time, as every component sees it. Components never call {@link System#nanoTime()} themselves,
 * so a scenario can run on a clock a test moves by hand.
 */
public interface Clock {
    /** Monotonic nanoseconds, for durations and timeouts. */
    long nanoTime();

    /** Wall-clock milliseconds since the epoch, for what a person reads (uptime, last failure). */
    long epochMillis();

    Clock SYSTEM = new Clock() {
        @Override
        public long nanoTime() {
            return System.nanoTime();
        }

        @Override
        public long epochMillis() {
            return System.currentTimeMillis();
        }
    };
}
