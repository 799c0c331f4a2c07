package io.strata.frontend.fs;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** A process that takes a mount over never numbers requests or handles as its predecessor did. */
class MountCountersTest {
    private static final long NOW = Instant.parse("2026-11-25T20:00:00Z").toEpochMilli();

    @Test
    void aSuccessorStartsAboveEverythingItsPredecessorNumbered() {
        AtomicLong first = MountCounters.requestIds(NOW);
        AtomicLong firstHandles = MountCounters.handles(NOW);
        long lastRequest = 0;
        long lastHandle = 0;
        // the predecessor works flat out for 2 s: far more requests and opens than a frontend serves
        for (int i = 0; i < 100_000; i++) {
            lastRequest = first.getAndIncrement();
            lastHandle = firstHandles.getAndIncrement();
        }
        long successorStart = NOW + 2_000;
        assertThat(MountCounters.requestIds(successorStart).get()).isGreaterThan(lastRequest);
        assertThat(MountCounters.handles(successorStart).get()).isGreaterThan(lastHandle);
    }

    @Test
    void theCountersFitTheirBitsForDecades() {
        long in2100 = Instant.parse("2100-01-01T00:00:00Z").toEpochMilli();
        assertThat(MountCounters.requestIds(in2100).get()).isPositive();
        assertThat(MountCounters.handles(in2100).get()).isEqualTo(in2100 << MountCounters.HANDLE_SHIFT)
                .isLessThanOrEqualTo(MountCounters.HANDLE_MASK);
        assertThat(MountCounters.requestIds(NOW).get()).as("not the 1 every process used to start from").isGreaterThan(1L << 40);
    }
}
