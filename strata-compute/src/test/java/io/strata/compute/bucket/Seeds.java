package io.strata.compute.bucket;

/** Seeds for randomized tests: {@code -Dstrata.seed=N} replays one, otherwise a fresh one each run. */
final class Seeds {
    private Seeds() {
    }

    static long next() {
        return Long.getLong("strata.seed", System.nanoTime());
    }
}
