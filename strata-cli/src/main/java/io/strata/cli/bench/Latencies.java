package io.strata.cli.bench;

import java.util.Arrays;

/** Latencies of single operations in nanoseconds, kept whole, for the mean and percentiles. */
final class Latencies {
    private long[] values = new long[1024];
    private int count;

    void add(long nanos) {
        if (count == values.length) {
            values = Arrays.copyOf(values, values.length * 2);
        }
        values[count++] = nanos;
    }

    void addAll(Latencies other) {
        for (int i = 0; i < other.count; i++) {
            add(other.values[i]);
        }
    }

    int count() {
        return count;
    }

    double meanMicros() {
        if (count == 0) {
            return 0;
        }
        double sum = 0;
        for (int i = 0; i < count; i++) {
            sum += values[i];
        }
        return sum / count / 1000;
    }

    /** The nearest-rank percentile: the smallest latency at least {@code percent}% of the operations did not exceed. */
    double percentileMicros(double percent) {
        if (count == 0) {
            return 0;
        }
        long[] sorted = Arrays.copyOf(values, count);
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(percent / 100 * count);
        return sorted[Math.clamp(rank - 1, 0, count - 1)] / 1000.0;
    }
}
