package io.strata.erasure;

import static io.strata.erasure.Shards.assertSameBytes;
import static io.strata.erasure.Shards.deepCopy;
import static io.strata.erasure.Shards.randomArrays;
import static io.strata.erasure.Shards.seedNote;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.strata.runtime.ErrorCode;
import io.strata.runtime.StrataException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Round trips: encode, lose shards, rebuild, and get back exactly what was encoded. */
class ReconstructTest {

    /** Every pattern of 1..P lost shards, for shapes small enough to enumerate and the largest one. */
    @Test
    void every_erasure_pattern_is_rebuilt() {
        long seed = Shards.BASE_SEED + 10;
        SplittableRandom random = new SplittableRandom(seed);
        int[][] shapes = {{1, 1}, {1, 4}, {2, 1}, {2, 2}, {3, 2}, {4, 2}, {4, 4}, {5, 3}, {6, 4}, {8, 2}, {16, 4}};
        for (int[] shape : shapes) {
            for (ErasureCoder coder : new ErasureCoder[] {ErasureCoder.create(shape[0], shape[1]),
                    ErasureCoder.createScalar(shape[0], shape[1])}) {
                int length = shape[0] == 16 ? 67 : 64 + 64 + 5;
                byte[][] stripe = encodedStripe(coder, random, length, 15);
                int patterns = rebuildEveryPattern(coder, stripe, length, "%d+%d, %s".formatted(shape[0], shape[1], seedNote(seed)));
                assertThat(patterns).isEqualTo(patternCount(shape[0] + shape[1], shape[1]));
            }
        }
    }

    private static int rebuildEveryPattern(ErasureCoder coder, byte[][] stripe, int length, String context) {
        int total = coder.totalShards();
        int patterns = 0;
        for (int lostMask = 1; lostMask < (1 << total); lostMask++) {
            if (Integer.bitCount(lostMask) > coder.parityShards()) {
                continue;
            }
            boolean[] present = new boolean[total];
            byte[][] damaged = deepCopy(stripe);
            for (int i = 0; i < total; i++) {
                present[i] = (lostMask & (1 << i)) == 0;
                if (!present[i]) {
                    // A lost shard gets a fresh buffer with stale bytes, as a reused buffer would have.
                    damaged[i] = new byte[length];
                    Arrays.fill(damaged[i], (byte) 0xEE);
                }
            }
            coder.reconstruct(damaged, present, 0, length);
            assertSameBytes(damaged, withZeroChunksMaterialised(stripe, length, lostMask),
                    "lost mask " + Integer.toBinaryString(lostMask) + ", " + context);
            patterns++;
        }
        return patterns;
    }

    /** A null (all-zero) shard that was lost comes back as real zeros in the buffer given for it. */
    private static byte[][] withZeroChunksMaterialised(byte[][] stripe, int length, int lostMask) {
        byte[][] expected = deepCopy(stripe);
        for (int i = 0; i < expected.length; i++) {
            if (expected[i] == null && (lostMask & (1 << i)) != 0) {
                expected[i] = new byte[length];
            }
        }
        return expected;
    }

    private static int patternCount(int total, int maxLost) {
        int count = 0;
        for (int lost = 1; lost <= maxLost; lost++) {
            long c = 1;
            for (int i = 1; i <= lost; i++) {
                c = c * (total - lost + i) / i;
            }
            count += (int) c;
        }
        return count;
    }

    /** Data shards (some null = zero with probability nullPercent%) followed by their parity. */
    private static byte[][] encodedStripe(ErasureCoder coder, SplittableRandom random, int length, int nullPercent) {
        byte[][] data = randomArrays(random, coder.dataShards(), length, nullPercent);
        byte[][] parity = new byte[coder.parityShards()][length];
        coder.encode(data, parity, 0, length);
        byte[][] stripe = Arrays.copyOf(data, coder.totalShards());
        System.arraycopy(parity, 0, stripe, coder.dataShards(), coder.parityShards());
        return stripe;
    }

    /** A 4 KiB write with D=4: one stored data chunk, three implicit zero chunks, P parity chunks. */
    @Test
    void a_short_extent_stores_one_data_chunk_and_rebuilds_it_from_parity() {
        ErasureCoder coder = ErasureCoder.create(4, 2);
        byte[] chunk = Shards.randomBytes(new SplittableRandom(Shards.BASE_SEED + 11), 4096);
        byte[][] parity = new byte[2][4096];
        coder.encode(new byte[][] {chunk, null, null, null}, parity, 0, 4096);

        byte[] rebuilt = new byte[4096];
        byte[][] shards = {rebuilt, null, null, null, parity[0], null};
        boolean[] present = {false, true, true, true, true, false};
        coder.reconstruct(shards, present, 0, 4096);

        assertThat(rebuilt).as(seedNote(Shards.BASE_SEED + 11)).isEqualTo(chunk);
        assertThat(shards[5]).as("a lost shard without a buffer is not wanted and stays null").isNull();
    }

    @Test
    void only_the_shards_given_a_buffer_are_rebuilt() {
        ErasureCoder coder = ErasureCoder.create(4, 2);
        byte[][] stripe = encodedStripe(coder, new SplittableRandom(Shards.BASE_SEED + 12), 300, 0);
        byte[][] shards = deepCopy(stripe);
        shards[1] = new byte[300];
        shards[4] = null;
        boolean[] present = {true, false, true, true, false, true};
        coder.reconstruct(shards, present, 0, 300);
        assertThat(shards[1]).isEqualTo(stripe[1]);
        assertThat(shards[4]).isNull();
    }

    @Test
    void off_heap_shards_are_rebuilt_in_place_with_offsets_respected() {
        long seed = Shards.BASE_SEED + 13;
        ErasureCoder coder = ErasureCoder.create(8, 2);
        int length = 65536 + 100;
        byte[][] stripe = encodedStripe(coder, new SplittableRandom(seed), length, 10);
        try (Arena arena = Arena.ofShared()) {
            MemorySegment[] shards = new MemorySegment[10];
            for (int i = 0; i < 10; i++) {
                shards[i] = stripe[i] == null ? null : arena.allocate(length, 4096).copyFrom(MemorySegment.ofArray(stripe[i]));
            }
            shards[2] = arena.allocate(length, 4096).fill((byte) 1);
            shards[9] = arena.allocate(length, 4096).fill((byte) 2);
            boolean[] present = {true, true, false, true, true, true, true, true, true, false};
            coder.reconstruct(shards, present);
            byte[] expected2 = stripe[2] == null ? new byte[length] : stripe[2];
            assertSameBytes(shards[2].toArray(ValueLayout.JAVA_BYTE), expected2, seedNote(seed));
            assertSameBytes(shards[9].toArray(ValueLayout.JAVA_BYTE), stripe[9], seedNote(seed));
        }
    }

    @Test
    void fewer_than_d_present_shards_is_a_readable_refusal() {
        ErasureCoder coder = ErasureCoder.create(4, 2);
        byte[][] shards = new byte[6][16];
        boolean[] present = {true, false, true, false, false, true};
        assertThatThrownBy(() -> coder.reconstruct(shards, present, 0, 16))
                .isInstanceOfSatisfying(StrataException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.UNAVAILABLE))
                .hasMessage("stripe 4+2 cannot be rebuilt: 3 of 6 shards present, at least 4 needed (present [0,2,5])");
    }

    @Test
    void nothing_missing_changes_nothing() {
        ErasureCoder coder = ErasureCoder.create(3, 2);
        byte[][] stripe = encodedStripe(coder, new SplittableRandom(Shards.BASE_SEED + 14), 100, 0);
        byte[][] shards = deepCopy(stripe);
        boolean[] present = new boolean[5];
        Arrays.fill(present, true);
        coder.reconstruct(shards, present, 0, 100);
        assertSameBytes(shards, stripe, seedNote(Shards.BASE_SEED + 14));
    }
}
