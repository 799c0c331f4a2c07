package io.strata.runtime.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.channels.Selector;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class SelectorIdleStrategyTest {
    @Test
    void aParkLastsUntilTheNextDueWorkAndNoLongerThanTheBound() {
        assertThat(SelectorIdleStrategy.parkMillis(Long.MAX_VALUE, 100)).isEqualTo(100);
        assertThat(SelectorIdleStrategy.parkMillis(250_000_000L, 100)).isEqualTo(100);
        assertThat(SelectorIdleStrategy.parkMillis(7_000_000L, 100)).isEqualTo(7);
        // rounded up: a timer due in 1.2 ms is not woken for 0.2 ms early, then busily re-parked
        assertThat(SelectorIdleStrategy.parkMillis(1_200_000L, 100)).isEqualTo(2);
        assertThat(SelectorIdleStrategy.parkMillis(1, 100)).isEqualTo(1);
        // due now (or overdue): no park at all, select(0) would block without end
        assertThat(SelectorIdleStrategy.parkMillis(0, 100)).isZero();
        assertThat(SelectorIdleStrategy.parkMillis(-5, 100)).isZero();
    }

    @Test
    void spinsThenYieldsThenAsksWhenWorkIsDueBeforeParking() throws Exception {
        AtomicInteger asked = new AtomicInteger();
        try (Selector selector = Selector.open()) {
            SelectorIdleStrategy idle = new SelectorIdleStrategy(selector, 2, 3, 100, () -> {
                asked.incrementAndGet();
                return 0;
            });
            for (int i = 0; i < 5; i++) {
                idle.idle(0);
            }
            assertThat(asked).as("spinning and yielding never park").hasValue(0);
            idle.idle(0);
            idle.idle(0);
            assertThat(asked).as("every park is bounded by the next due work").hasValue(2);
            idle.idle(1);
            idle.idle(0);
            assertThat(asked).as("work resets the back-off to spinning").hasValue(2);
        }
    }

    @Test
    void refusesAParkBoundBelowOneMillisecond() throws Exception {
        try (Selector selector = Selector.open()) {
            assertThatThrownBy(() -> new SelectorIdleStrategy(selector, 0, 0, 0)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("at least 1 ms");
        }
    }
}
