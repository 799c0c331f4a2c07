package io.strata.control.process;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.runtime.ManualClock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class TimersTest {
    @Test
    void tellsHowLongUntilTheNextTimerAndRunsTimersWhenDue() {
        ManualClock clock = new ManualClock(0);
        Timers timers = new Timers(clock);
        assertThat(timers.nanosUntilNext()).isEqualTo(Long.MAX_VALUE);

        List<String> ran = new ArrayList<>();
        timers.after(50, () -> ran.add("late"));
        timers.after(10, () -> ran.add("early"));
        assertThat(timers.nanosUntilNext()).isEqualTo(TimeUnit.MILLISECONDS.toNanos(10));

        clock.advance(4, TimeUnit.MILLISECONDS);
        assertThat(timers.nanosUntilNext()).isEqualTo(TimeUnit.MILLISECONDS.toNanos(6));
        assertThat(timers.poll()).isZero();

        clock.advance(6, TimeUnit.MILLISECONDS);
        assertThat(timers.nanosUntilNext()).isZero();
        assertThat(timers.poll()).isEqualTo(1);
        assertThat(ran).containsExactly("early");
        assertThat(timers.nanosUntilNext()).isEqualTo(TimeUnit.MILLISECONDS.toNanos(40));

        clock.advance(100, TimeUnit.MILLISECONDS);
        assertThat(timers.nanosUntilNext()).as("an overdue timer is due now, not in negative time").isZero();
        assertThat(timers.poll()).isEqualTo(1);
        assertThat(ran).containsExactly("early", "late");
        assertThat(timers.nanosUntilNext()).isEqualTo(Long.MAX_VALUE);
    }
}
