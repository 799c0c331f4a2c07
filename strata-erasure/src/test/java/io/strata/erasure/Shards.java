package io.strata.erasure;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.random.RandomGenerator;

/** Helpers for the coder tests: random shards, and comparisons that report where and with which seed. */
final class Shards {
    /** Each run draws a new seed unless -Dstrata.test.seed=N repeats one; every failure message names it. */
    static final long BASE_SEED = Long.getLong("strata.test.seed", System.nanoTime());

    private Shards() {
    }

    static String seedNote(long seed) {
        return "seed " + seed + " (base " + BASE_SEED + "; rerun with -Dstrata.test.seed=" + BASE_SEED + ")";
    }

    static byte[] randomBytes(RandomGenerator random, int length) {
        byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        return bytes;
    }

    /** {@code count} arrays of {@code size} random bytes; each is null with probability {@code nullPercent}%. */
    static byte[][] randomArrays(RandomGenerator random, int count, int size, int nullPercent) {
        byte[][] arrays = new byte[count][];
        for (int i = 0; i < count; i++) {
            if (random.nextInt(100) >= nullPercent) {
                arrays[i] = randomBytes(random, size);
            }
        }
        return arrays;
    }

    static byte[][] deepCopy(byte[][] arrays) {
        byte[][] copy = new byte[arrays.length][];
        for (int i = 0; i < arrays.length; i++) {
            copy[i] = arrays[i] == null ? null : arrays[i].clone();
        }
        return copy;
    }

    static byte[] toArray(MemorySegment segment) {
        return segment == null ? null : segment.toArray(java.lang.foreign.ValueLayout.JAVA_BYTE);
    }

    static void assertSameBytes(byte[] actual, byte[] expected, String context) {
        if (actual == null || expected == null) {
            assertThat(actual).as(context).isEqualTo(expected);
            return;
        }
        assertThat(actual.length).as("length, %s", context).isEqualTo(expected.length);
        int mismatch = Arrays.mismatch(actual, expected);
        assertThat(mismatch).as("first differing byte (-1: none), %s", context).isEqualTo(-1);
    }

    static void assertSameBytes(byte[][] actual, byte[][] expected, String context) {
        assertThat(actual.length).as(context).isEqualTo(expected.length);
        for (int i = 0; i < actual.length; i++) {
            assertSameBytes(actual[i], expected[i], "shard " + i + ", " + context);
        }
    }
}
