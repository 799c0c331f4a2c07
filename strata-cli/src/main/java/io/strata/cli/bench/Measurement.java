package io.strata.cli.bench;

import java.util.List;

/**
 * One job's figures on one target: throughput (null for metadata jobs, which count operations),
 * operations per second, and the mean and 99th percentile latency of one operation in microseconds.
 */
record Measurement(String target, String job, Double mibPerSecond, double iops, double meanLatencyUs, double p99LatencyUs) {

    /**
     * The figures of one job run on several mounts at once: throughput and operations add up, the
     * mean latency is the mean of the mounts' means, the 99th percentile the worst of theirs.
     */
    static Measurement combine(String target, String job, List<Measurement> parts) {
        if (parts.isEmpty()) {
            throw new IllegalArgumentException("nothing to combine for " + target + " " + job);
        }
        Double mib = parts.stream().allMatch(p -> p.mibPerSecond() != null)
                ? parts.stream().mapToDouble(Measurement::mibPerSecond).sum() : null;
        double iops = parts.stream().mapToDouble(Measurement::iops).sum();
        double mean = parts.stream().mapToDouble(Measurement::meanLatencyUs).average().orElse(0);
        double p99 = parts.stream().mapToDouble(Measurement::p99LatencyUs).max().orElse(0);
        return new Measurement(target, job, mib, iops, mean, p99);
    }

    double headline() {
        return BenchJobs.headline(job, mibPerSecond, iops);
    }
}
