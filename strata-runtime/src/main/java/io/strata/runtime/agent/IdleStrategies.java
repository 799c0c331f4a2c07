package io.strata.runtime.agent;

import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.BusySpinIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.NoOpIdleStrategy;
import org.agrona.concurrent.SleepingMillisIdleStrategy;
import org.agrona.concurrent.YieldingIdleStrategy;

/**
 * What a role process does when a duty cycle found no work: one setting, not a code path.
 *
 * <ul>
 *   <li>{@code busy-spin}: never leaves the core (production, one dedicated core per process);
 *   <li>{@code yield}: gives the core to others between cycles;
 *   <li>{@code backoff}: spins, yields, then parks (the sandbox default, so a 2-core laptop stays
 *       usable); an agent with a selector parks in it and wakes on input at once;
 *   <li>{@code sleep}: parks 1 ms between idle cycles (cheapest, slowest to react).
 * </ul>
 */
public final class IdleStrategies {
    public static final String BUSY_SPIN = "busy-spin";
    public static final String YIELD = "yield";
    public static final String BACKOFF = "backoff";
    public static final String SLEEP = "sleep";
    public static final String DEFAULT = BACKOFF;

    private static final long BACKOFF_MIN_PARK_NS = TimeUnit.MICROSECONDS.toNanos(20);
    private static final long BACKOFF_MAX_PARK_NS = TimeUnit.MILLISECONDS.toNanos(1);

    /** Longest pause of an idle process; input, a wakeup or its next timer ends it earlier. */
    private static final long SELECTOR_MAX_PARK_MS = 100;

    private IdleStrategies() {
    }

    public static IdleStrategy parse(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case BUSY_SPIN -> new BusySpinIdleStrategy();
            case YIELD -> new YieldingIdleStrategy();
            case BACKOFF -> new BackoffIdleStrategy(20, 50, BACKOFF_MIN_PARK_NS, BACKOFF_MAX_PARK_NS);
            case SLEEP -> new SleepingMillisIdleStrategy(1);
            case "none" -> NoOpIdleStrategy.INSTANCE;
            default -> throw io.strata.runtime.StrataException.invalid(
                    "unknown idle strategy '%s' (expected %s, %s, %s or %s)", name, BUSY_SPIN, YIELD, BACKOFF, SLEEP);
        };
    }

    /**
     * As {@link #parse(String)}, for an agent that polls {@code selector}: the parking strategies
     * park in the selector, so network input and {@link Selector#wakeup()} end the pause at once;
     * {@code nanosUntilDue} (the agent's next timer) bounds a park.
     */
    public static IdleStrategy parse(String name, java.nio.channels.Selector selector, java.util.function.LongSupplier nanosUntilDue) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case BACKOFF -> new SelectorIdleStrategy(selector, 20, 50, SELECTOR_MAX_PARK_MS, nanosUntilDue);
            case SLEEP -> new SelectorIdleStrategy(selector, 0, 0, 1);
            default -> parse(name);
        };
    }

    public static boolean isKnown(String name) {
        try {
            parse(name);
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }
}
