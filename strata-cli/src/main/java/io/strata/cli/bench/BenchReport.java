package io.strata.cli.bench;

import io.strata.cli.output.Table;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** The results of a run: a row per job and target with its ratio to the raw disk and to the peer, as a table and as JSON. */
final class BenchReport {
    private BenchReport() {
    }

    /**
     * One job on one target. {@code vsRaw} and {@code vsPeer} divide the figure the job is compared
     * by (MiB/s for sequential jobs, operations per second for the rest) by the raw disk's and the
     * peer's; null where those did not run.
     */
    record Row(String job, String target, String unit, Double mibPerSecond, double iops, double meanLatencyUs, double p99LatencyUs,
            Double vsRaw, Double vsPeer) {
    }

    record Failure(String target, String message) {
    }

    record Settings(List<String> targets, String peer, List<String> jobs, Map<String, String> jobDefinitions, long sizeBytes,
            int runtimeSeconds, int warmupSeconds, int metaThreads, int metaSeconds, long metaFileBytes) {
    }

    record Environment(String fio, int cpus, String kernel, String release, String rawFolder, String sandbox, String peer) {
    }

    /**
     * The whole run, as results.json holds it. {@code prepareSeconds}: how long writing each
     * target's file took; {@code notes}: what happened that the figures do not show.
     */
    record Results(String startedAt, double seconds, Settings settings, Environment environment, List<Row> rows,
            Map<String, Double> prepareSeconds, List<String> notes, List<Failure> failures, String json, String chart) {
    }

    /** The rows, job by job in the order they ran, each job's targets in the order they ran. */
    static List<Row> rows(List<Measurement> measurements, List<String> jobRows, List<String> targets, String peer) {
        List<Row> rows = new ArrayList<>();
        for (String job : jobRows) {
            Optional<Measurement> raw = find(measurements, BenchOptions.RAW, job);
            Optional<Measurement> peered = peer == null ? Optional.empty() : find(measurements, peer, job);
            for (String target : targets) {
                Optional<Measurement> found = find(measurements, target, job);
                if (found.isEmpty()) {
                    continue;
                }
                Measurement m = found.get();
                rows.add(new Row(job, target, BenchJobs.unit(job), m.mibPerSecond(), m.iops(), m.meanLatencyUs(), m.p99LatencyUs(),
                        ratio(m, raw), ratio(m, peered)));
            }
        }
        return rows;
    }

    private static Optional<Measurement> find(List<Measurement> measurements, String target, String job) {
        return measurements.stream().filter(m -> m.target().equals(target) && m.job().equals(job)).findFirst();
    }

    private static Double ratio(Measurement m, Optional<Measurement> base) {
        if (base.isEmpty() || base.get().headline() <= 0) {
            return null;
        }
        return m.headline() / base.get().headline();
    }

    static Table table(List<Row> rows, String peer) {
        List<String> header = new ArrayList<>(List.of("JOB", "TARGET", "MiB/s", "IOPS", "MEAN", "P99", "VS RAW"));
        if (peer != null) {
            header.add("VS " + peer.toUpperCase(Locale.ROOT));
        }
        Table table = new Table(header.toArray(String[]::new));
        for (Row row : rows) {
            List<Object> cells = new ArrayList<>(List.of(row.job(), row.target(),
                    row.mibPerSecond() == null ? "-" : String.format(Locale.ROOT, "%.1f", row.mibPerSecond()),
                    String.format(Locale.ROOT, "%.0f", row.iops()), latency(row.meanLatencyUs()), latency(row.p99LatencyUs()),
                    ratio(row.vsRaw())));
            if (peer != null) {
                cells.add(ratio(row.vsPeer()));
            }
            table.row(cells.toArray());
        }
        return table;
    }

    /** {@code 85 us}, {@code 3.42 ms}, {@code 1.20 s}. */
    static String latency(double micros) {
        if (micros < 1000) {
            return String.format(Locale.ROOT, "%.0f us", micros);
        }
        if (micros < 1_000_000) {
            return String.format(Locale.ROOT, "%.2f ms", micros / 1000);
        }
        return String.format(Locale.ROOT, "%.2f s", micros / 1_000_000);
    }

    static String ratio(Double ratio) {
        if (ratio == null) {
            return "-";
        }
        return String.format(Locale.ROOT, ratio < 0.01 ? "%.4fx" : "%.2fx", ratio);
    }
}
