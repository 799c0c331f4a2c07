package io.strata.compute.process;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.runtime.ManualClock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class StrandedFollowerWatchTest {
    private final ManualClock clock = new ManualClock(0);
    private final List<StrandedFollowerWatch.Follower> now = new ArrayList<>();
    private final List<Integer> rebuilt = new ArrayList<>();
    private final StrandedFollowerWatch watch = new StrandedFollowerWatch(() -> List.copyOf(now), clock, rebuilt::add);

    /** Bucket 3's replica in term 3 holding only term 1's entry 0, counted as committed, its leader heard 100 ms ago. */
    private static StrandedFollowerWatch.Follower stranded() {
        return new StrandedFollowerWatch.Follower(3, "p21@group-3", 3, 1, 1, 0, 100);
    }

    private void sampleEvery5sFor(int seconds) {
        for (int elapsed = 0; elapsed < seconds; elapsed += 5) {
            watch.poll();
            clock.advance(5, TimeUnit.SECONDS);
        }
        watch.poll();
    }

    @Test
    void aReplicaStrandedForTheWholeWindowIsRebuiltOnce() {
        now.add(stranded());
        sampleEvery5sFor(5);
        assertThat(rebuilt).isEmpty();
        clock.advance(5, TimeUnit.SECONDS);
        assertThat(watch.poll()).containsExactly(3);
        sampleEvery5sFor(55);
        assertThat(rebuilt).containsExactly(3);
    }

    @Test
    void oneStillStrandedAMinuteLaterIsRebuiltAgain() {
        now.add(stranded());
        sampleEvery5sFor(10);
        assertThat(rebuilt).containsExactly(3);
        sampleEvery5sFor(60);
        assertThat(rebuilt).containsExactly(3, 3);
    }

    @Test
    void aReplicaThatMovesOnStartsItsWindowAgain() {
        now.add(stranded());
        sampleEvery5sFor(5);
        now.set(0, new StrandedFollowerWatch.Follower(3, "p21@group-3", 3, 2, 1, 1, 100));
        clock.advance(5, TimeUnit.SECONDS);
        watch.poll();
        now.set(0, stranded());
        sampleEvery5sFor(5);
        assertThat(rebuilt).isEmpty();
        clock.advance(5, TimeUnit.SECONDS);
        watch.poll();
        assertThat(rebuilt).containsExactly(3);
    }

    @Test
    void healthyOrCutOffReplicasAreLeftAlone() {
        // a young group's follower holding its leader's own first entry, committed
        now.add(new StrandedFollowerWatch.Follower(1, "p21@group-1", 2, 1, 2, 0, 100));
        // an old entry not counted as committed: the leader's entries replace it
        now.add(new StrandedFollowerWatch.Follower(2, "p21@group-2", 3, 1, 1, -1, 100));
        // a follower past the first entry
        now.add(new StrandedFollowerWatch.Follower(4, "p21@group-4", 3, 2, 1, 1, 100));
        // the signature, but no leader heard lately: cut off, not stranded
        now.add(new StrandedFollowerWatch.Follower(5, "p21@group-5", 3, 1, 1, 0, 5000));
        now.add(new StrandedFollowerWatch.Follower(6, "p21@group-6", 3, 1, 1, 0, -1));
        // an empty log
        now.add(new StrandedFollowerWatch.Follower(7, "p21@group-7", 3, 0, -1, -1, 100));
        sampleEvery5sFor(120);
        assertThat(rebuilt).isEmpty();
    }
}
