package io.strata.erasure;

import static io.strata.erasure.Shards.assertSameBytes;
import static io.strata.erasure.Shards.deepCopy;
import static io.strata.erasure.Shards.randomArrays;
import static io.strata.erasure.Shards.randomBytes;
import static io.strata.erasure.Shards.seedNote;
import static io.strata.erasure.Shards.toArray;
import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The vector coder must produce exactly the scalar reference's bytes, whatever the memory and shape. */
class VectorScalarEquivalenceTest {
    private static final int[][] SHAPES = {
        {1, 1}, {2, 1}, {3, 2}, {4, 2}, {5, 3}, {6, 4}, {8, 2}, {10, 4}, {12, 4}, {15, 3}, {16, 1}, {16, 4}};
    private static final int[] LENGTHS = {0, 1, 31, 63, 64, 65, 127, 129, 4095, 4096};
    private static final int[] OFFSETS = {0, 3};

    @Test
    void byte_arrays_with_offsets_and_zero_chunks() {
        long seed = Shards.BASE_SEED;
        SplittableRandom random = new SplittableRandom(seed);
        for (int[] shape : SHAPES) {
            ErasureCoder vector = ErasureCoder.create(shape[0], shape[1]);
            ErasureCoder scalar = ErasureCoder.createScalar(shape[0], shape[1]);
            for (int length : LENGTHS) {
                for (int offset : OFFSETS) {
                    String context = "%d+%d length %d offset %d, %s".formatted(shape[0], shape[1], length, offset, seedNote(seed));
                    compareArrays(vector, scalar, random, length, offset, context);
                }
            }
        }
    }

    /** Parity must match, and bytes outside [offset, offset + length) of the parity arrays must be untouched. */
    private static void compareArrays(ErasureCoder vector, ErasureCoder scalar, SplittableRandom random,
            int length, int offset, String context) {
        int size = offset + length + 5;
        int nullPercent = random.nextInt(4) == 0 ? 100 : 25;
        byte[][] data = randomArrays(random, vector.dataShards(), size, nullPercent);
        byte[][] before = randomArrays(random, vector.parityShards(), size, 0);
        byte[][] vectorParity = deepCopy(before);
        byte[][] scalarParity = deepCopy(before);
        vector.encode(data, vectorParity, offset, length);
        scalar.encode(data, scalarParity, offset, length);
        assertSameBytes(vectorParity, scalarParity, context);
        for (int p = 0; p < before.length; p++) {
            for (int i = 0; i < size; i++) {
                if (i < offset || i >= offset + length) {
                    assertThat(vectorParity[p][i]).as("byte %d outside the range, %s", i, context).isEqualTo(before[p][i]);
                }
            }
        }
    }

    @Test
    void every_kind_of_segment_gives_the_reference_parity() {
        long seed = Shards.BASE_SEED + 1;
        SplittableRandom random = new SplittableRandom(seed);
        for (int[] shape : new int[][] {{4, 2}, {8, 2}, {6, 3}, {16, 4}}) {
            for (int length : new int[] {4096 + 17, 200, 64}) {
                String context = "%d+%d length %d, %s".formatted(shape[0], shape[1], length, seedNote(seed));
                compareSegmentKinds(shape[0], shape[1], length, random, context);
            }
        }
    }

    private static void compareSegmentKinds(int d, int p, int length, SplittableRandom random, String context) {
        ErasureCoder vector = ErasureCoder.create(d, p);
        byte[][] data = randomArrays(random, d, length, 20);
        byte[][] expected = new byte[p][length];
        ErasureCoder.createScalar(d, p).encode(data, expected, 0, length);
        try (Arena arena = Arena.ofConfined()) {
            for (SegmentKind kind : SegmentKind.values()) {
                MemorySegment[] dataSegments = new MemorySegment[d];
                for (int i = 0; i < d; i++) {
                    dataSegments[i] = data[i] == null ? null : kind.input(arena, data[i]);
                }
                MemorySegment[] parity = new MemorySegment[p];
                for (int i = 0; i < p; i++) {
                    parity[i] = kind.output(arena, length);
                }
                vector.encode(dataSegments, parity);
                for (int i = 0; i < p; i++) {
                    assertSameBytes(toArray(parity[i]), expected[i], "parity " + i + ", " + kind + ", " + context);
                }
            }
        }
    }

    /** Each kind sends the vector kernel down a different loop (address, byte[] or plain segment). */
    enum SegmentKind {
        NATIVE {
            MemorySegment input(Arena arena, byte[] bytes) {
                return arena.allocate(bytes.length, 4096).copyFrom(MemorySegment.ofArray(bytes));
            }

            MemorySegment output(Arena arena, int length) {
                return arena.allocate(length, 4096);
            }
        },
        NATIVE_UNALIGNED {
            MemorySegment input(Arena arena, byte[] bytes) {
                return arena.allocate(bytes.length + 3).asSlice(3).copyFrom(MemorySegment.ofArray(bytes));
            }

            MemorySegment output(Arena arena, int length) {
                return arena.allocate(length + 7).asSlice(7);
            }
        },
        HEAP_BYTES_SLICED {
            MemorySegment input(Arena arena, byte[] bytes) {
                byte[] larger = new byte[bytes.length + 9];
                System.arraycopy(bytes, 0, larger, 9, bytes.length);
                return MemorySegment.ofArray(larger).asSlice(9);
            }

            MemorySegment output(Arena arena, int length) {
                return MemorySegment.ofArray(new byte[length + 5]).asSlice(5);
            }
        },
        READ_ONLY_HEAP_INPUTS {
            MemorySegment input(Arena arena, byte[] bytes) {
                return MemorySegment.ofArray(bytes.clone()).asReadOnly();
            }

            MemorySegment output(Arena arena, int length) {
                return MemorySegment.ofArray(new byte[length]);
            }
        },
        HEAP_LONGS {
            MemorySegment input(Arena arena, byte[] bytes) {
                return longBacked(bytes.length).copyFrom(MemorySegment.ofArray(bytes));
            }

            MemorySegment output(Arena arena, int length) {
                return longBacked(length);
            }
        },
        NATIVE_IN_HEAP_OUT {
            MemorySegment input(Arena arena, byte[] bytes) {
                return NATIVE.input(arena, bytes);
            }

            MemorySegment output(Arena arena, int length) {
                return MemorySegment.ofArray(new byte[length]);
            }
        };

        abstract MemorySegment input(Arena arena, byte[] bytes);

        abstract MemorySegment output(Arena arena, int length);

        private static MemorySegment longBacked(int length) {
            return MemorySegment.ofArray(new long[(length + 7) / 8 + 1]).asSlice(8, length);
        }
    }

    @Test
    void one_mebibyte_plus_seven_off_heap() {
        long seed = Shards.BASE_SEED + 2;
        SplittableRandom random = new SplittableRandom(seed);
        int length = (1 << 20) + 7;
        for (int[] shape : new int[][] {{4, 2}, {10, 4}}) {
            String context = "%d+%d length %d, %s".formatted(shape[0], shape[1], length, seedNote(seed));
            byte[][] data = randomArrays(random, shape[0], length, 20);
            byte[][] expected = new byte[shape[1]][length];
            ErasureCoder.createScalar(shape[0], shape[1]).encode(data, expected, 0, length);
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment[] dataSegments = new MemorySegment[shape[0]];
                for (int i = 0; i < shape[0]; i++) {
                    dataSegments[i] = data[i] == null ? null : SegmentKind.NATIVE.input(arena, data[i]);
                }
                MemorySegment[] parity = new MemorySegment[shape[1]];
                for (int i = 0; i < shape[1]; i++) {
                    parity[i] = arena.allocate(length, 4096).fill((byte) 0x5A);
                }
                ErasureCoder.create(shape[0], shape[1]).encode(dataSegments, parity);
                for (int i = 0; i < shape[1]; i++) {
                    assertSameBytes(parity[i].toArray(ValueLayout.JAVA_BYTE), expected[i], "parity " + i + ", " + context);
                }
            }
        }
    }

    @Test
    void reconstruction_matches_the_reference_for_random_patterns() {
        long seed = Shards.BASE_SEED + 3;
        SplittableRandom random = new SplittableRandom(seed);
        for (int[] shape : SHAPES) {
            ErasureCoder vector = ErasureCoder.create(shape[0], shape[1]);
            ErasureCoder scalar = ErasureCoder.createScalar(shape[0], shape[1]);
            for (int attempt = 0; attempt < 20; attempt++) {
                int length = LENGTHS[random.nextInt(LENGTHS.length)] + random.nextInt(3);
                String context = "%d+%d length %d attempt %d, %s".formatted(shape[0], shape[1], length, attempt, seedNote(seed));
                compareReconstruction(vector, scalar, random, length, context);
            }
        }
    }

    /** Arbitrary bytes in every shard (not a codeword): both coders must still compute the same function. */
    private static void compareReconstruction(ErasureCoder vector, ErasureCoder scalar, SplittableRandom random,
            int length, String context) {
        int total = vector.totalShards();
        boolean[] present = new boolean[total];
        java.util.Arrays.fill(present, true);
        int missing = 1 + random.nextInt(vector.parityShards());
        for (int erased = 0; erased < missing; ) {
            int shard = random.nextInt(total);
            if (present[shard]) {
                present[shard] = false;
                erased++;
            }
        }
        byte[][] shards = randomArrays(random, total, length, 20);
        for (int i = 0; i < total; i++) {
            if (!present[i]) {
                shards[i] = randomBytes(random, length);
            }
        }
        byte[][] fromVector = deepCopy(shards);
        byte[][] fromScalar = deepCopy(shards);
        vector.reconstruct(fromVector, present, 0, length);
        scalar.reconstruct(fromScalar, present, 0, length);
        assertSameBytes(fromVector, fromScalar, "missing " + missing + ", " + context);
    }
}
