package io.strata.erasure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.strata.runtime.ErrorCode;
import io.strata.runtime.StrataException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** Shapes, argument checks and sharing of one coder. */
class ErasureCoderTest {

    @Test
    void shapes_outside_the_supported_range_are_refused_with_their_values() {
        assertRefused(0, 2, "erasure coding 0+2: data shards must be 1..16, not 0");
        assertRefused(17, 2, "erasure coding 17+2: data shards must be 1..16, not 17");
        assertRefused(4, 0, "erasure coding 4+0: parity shards must be 1..4, not 0");
        assertRefused(4, 5, "erasure coding 4+5: parity shards must be 1..4, not 5");
        assertRefused(-1, -1, "erasure coding -1+-1: data shards must be 1..16, not -1");
    }

    private static void assertRefused(int d, int p, String message) {
        assertThatThrownBy(() -> ErasureCoder.create(d, p))
                .isInstanceOfSatisfying(StrataException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT))
                .hasMessage(message);
        assertThatThrownBy(() -> ErasureCoder.createScalar(d, p)).hasMessage(message);
    }

    @Test
    void the_extreme_shapes_are_accepted() {
        assertThat(ErasureCoder.create(1, 1).totalShards()).isEqualTo(2);
        ErasureCoder largest = ErasureCoder.create(16, 4);
        assertThat(largest.dataShards()).isEqualTo(16);
        assertThat(largest.parityShards()).isEqualTo(4);
        assertThat(largest.totalShards()).isEqualTo(ErasureCoder.MAX_TOTAL_SHARDS);
    }

    @Test
    void wrong_buffer_counts_and_lengths_are_programmer_errors() {
        ErasureCoder coder = ErasureCoder.create(4, 2);
        assertThatThrownBy(() -> coder.encode(new byte[3][8], new byte[2][8], 0, 8))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("4 data shards expected, got 3");
        assertThatThrownBy(() -> coder.encode(new byte[4][8], new byte[][] {new byte[8], null}, 0, 8))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("parity shard 1 has no buffer");
        assertThatThrownBy(() -> coder.encode(new byte[4][8], new byte[2][8], 4, 8))
                .isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> coder.reconstruct(new byte[6][8], new boolean[5], 0, 8))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("6 present flags expected, got 5");
        MemorySegment[] data = {seg(8), seg(8), seg(9), seg(8)};
        assertThatThrownBy(() -> coder.encode(data, new MemorySegment[] {seg(8), seg(8)}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("data shard 2 is 9 bytes but data shard 0 is 8 bytes: all shards of a stripe have one length");
        MemorySegment[] readOnlyParity = {seg(8), seg(8).asReadOnly()};
        assertThatThrownBy(() -> coder.encode(new MemorySegment[4], readOnlyParity))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("parity shard 1 is read-only and cannot be written");
    }

    private static MemorySegment seg(int length) {
        return MemorySegment.ofArray(new byte[length]);
    }

    @Test
    void all_zero_data_gives_zero_parity_without_any_data_buffer() {
        ErasureCoder coder = ErasureCoder.create(4, 2);
        byte[][] parity = new byte[2][300];
        Arrays.fill(parity[0], (byte) 7);
        Arrays.fill(parity[1], (byte) 7);
        coder.encode(new byte[4][], parity, 0, 300);
        assertThat(parity[0]).containsOnly(0);
        assertThat(parity[1]).containsOnly(0);
    }

    @Test
    void closed_or_foreign_thread_segments_fail_with_the_segment_api_errors() throws Exception {
        ErasureCoder coder = ErasureCoder.create(2, 1);
        Arena closed = Arena.ofConfined();
        MemorySegment[] data = {closed.allocate(256), closed.allocate(256)};
        MemorySegment[] parity = {closed.allocate(256)};
        closed.close();
        assertThatThrownBy(() -> coder.encode(data, parity)).isInstanceOf(IllegalStateException.class);

        try (Arena confined = Arena.ofConfined()) {
            MemorySegment[] owned = {confined.allocate(256), confined.allocate(256)};
            MemorySegment[] ownedParity = {confined.allocate(256)};
            try (ExecutorService other = Executors.newSingleThreadExecutor()) {
                Future<?> attempt = other.submit(() -> coder.encode(owned, ownedParity));
                assertThatThrownBy(attempt::get).hasCauseInstanceOf(WrongThreadException.class);
            }
        }
    }

    /** One coder shared by threads rebuilding different patterns (the decode cache is filled concurrently). */
    @Test
    void one_coder_serves_concurrent_threads() throws Exception {
        ErasureCoder coder = ErasureCoder.create(6, 3);
        long seed = Shards.BASE_SEED + 20;
        byte[][] data = Shards.randomArrays(new SplittableRandom(seed), 6, 1000, 0);
        byte[][] parity = new byte[3][1000];
        coder.encode(data, parity, 0, 1000);
        List<Future<?>> results = new ArrayList<>();
        try (ExecutorService threads = Executors.newFixedThreadPool(2)) {
            for (int t = 0; t < 2; t++) {
                int threadIndex = t;
                results.add(threads.submit(() -> rebuildRepeatedly(coder, data, parity, threadIndex)));
            }
            for (Future<?> result : results) {
                result.get();
            }
        }
    }

    private static void rebuildRepeatedly(ErasureCoder coder, byte[][] data, byte[][] parity, int threadIndex) {
        try (Arena arena = Arena.ofConfined()) {
            for (int round = 0; round < 200; round++) {
                int lostA = (round + threadIndex) % 9;
                int lostB = (round * 7 + 3 + threadIndex) % 9;
                MemorySegment[] shards = new MemorySegment[9];
                boolean[] present = new boolean[9];
                for (int i = 0; i < 9; i++) {
                    byte[] original = i < 6 ? data[i] : parity[i - 6];
                    present[i] = i != lostA && i != lostB;
                    shards[i] = arena.allocate(1000);
                    if (present[i]) {
                        shards[i].copyFrom(MemorySegment.ofArray(original));
                    }
                }
                coder.reconstruct(shards, present);
                for (int i = 0; i < 9; i++) {
                    byte[] original = i < 6 ? data[i] : parity[i - 6];
                    assertThat(shards[i].toArray(ValueLayout.JAVA_BYTE)).as("round %d shard %d", round, i).isEqualTo(original);
                }
            }
        }
    }
}
