package io.strata.compute.process;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.compute.process.AppenderWatch.Replication;
import io.strata.runtime.ManualClock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class AppenderWatchTest {
    private final ManualClock clock = new ManualClock(0);
    private final List<Replication> now = new ArrayList<>();
    private final AppenderWatch watch = new AppenderWatch(() -> List.copyOf(now), clock);

    /** One follower of bucket 7: its match index, the leader's next index, and its appender's CPU so far in ms. */
    private void follower(long match, long leaderNext, long cpuMillis) {
        now.clear();
        now.add(new Replication(7, "p261@group-25510A5380E5", "p21", match, match + 1, leaderNext,
                TimeUnit.MILLISECONDS.toNanos(cpuMillis)));
    }

    private List<String> after(long seconds) {
        clock.advance(seconds, TimeUnit.SECONDS);
        return watch.poll();
    }

    @Test
    void aFollowerThatDoesNotAdvanceWhileItsAppenderBurnsACoreIsReported() {
        follower(1203, 1310, 0);
        assertThat(watch.poll()).isEmpty();
        follower(1203, 1310, 2_500);
        assertThat(after(5)).isEmpty();
        follower(1203, 1310, 5_000);
        List<String> stuck = after(5);
        assertThat(stuck).hasSize(1);
        assertThat(stuck.getFirst()).contains("bucket 7", "p21", "50 %", "match index 1203", "before 1310");
    }

    @Test
    void theLoopIsReportedAlsoWhenALoadedMachineGivesItLittleOfACore() {
        // the case seen: 63 s of CPU in 317 s, on a machine with a load average of 69
        follower(0, 3, 0);
        watch.poll();
        follower(0, 3, 1_500);
        assertThat(after(10)).singleElement().asString().contains("15 %");
    }

    @Test
    void aLoopBelowATenthOfACoreIsNotReported() {
        follower(0, 3, 0);
        watch.poll();
        follower(0, 3, 500);
        assertThat(after(10)).as("5 %: below the threshold").isEmpty();
        follower(0, 3, 1_500);
        assertThat(after(10)).as("10 %: at the threshold").hasSize(1);
    }

    @Test
    void aBusyFollowerThatAdvancesIsNotReported() {
        follower(100, 5_000, 0);
        watch.poll();
        for (int i = 1; i <= 6; i++) {
            follower(100 + i * 500, 5_000, i * 4_000L);
            assertThat(after(5)).isEmpty();
        }
    }

    @Test
    void anIdleAppenderOrAFollowerThatCaughtUpIsNotReported() {
        follower(1203, 1310, 0);
        watch.poll();
        follower(1203, 1310, 100);
        assertThat(after(10)).as("behind, but its appender waits").isEmpty();

        follower(1309, 1310, 100);
        watch.poll();
        follower(1309, 1310, 8_000);
        assertThat(after(10)).as("caught up: nothing to send").isEmpty();
    }

    @Test
    void aStuckFollowerIsReportedOncePerMinuteAndAgainWhileItLasts() {
        follower(1203, 1310, 0);
        watch.poll();
        long cpu = 0;
        int reports = 0;
        for (int i = 0; i < 24; i++) { // two minutes, sampled every 5 s
            cpu += 4_000;
            follower(1203, 1310, cpu);
            reports += after(5).size();
        }
        assertThat(reports).isEqualTo(2);
    }

    @Test
    void anAppenderThreadThatWasReplacedStartsANewWindow() {
        follower(1203, 1310, 0);
        watch.poll();
        follower(1203, 1310, 9_000);
        assertThat(after(5)).isEmpty();
        follower(1203, 1310, 10); // a new leader term: a new thread, its CPU counted from zero
        assertThat(after(10)).isEmpty();
    }

    @Test
    void anAppenderWhoseThreadIsNotFoundIsNeverReported() {
        now.clear();
        now.add(new Replication(7, "p261@group-25510A5380E5", "p21", 1203, 1204, 1310, -1));
        watch.poll();
        assertThat(after(30)).isEmpty();
    }
}
