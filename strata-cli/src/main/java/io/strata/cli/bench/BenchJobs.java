package io.strata.cli.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** The jobs one selects ({@code --jobs}) and the rows they give: the fio jobs one row each, {@code meta} three. */
final class BenchJobs {
    static final String META = "meta";
    static final String META_CREATE = "meta-create";
    static final String META_STAT = "meta-stat";
    static final String META_DELETE = "meta-delete";

    private BenchJobs() {
    }

    /** Every selectable job, in the order they run. */
    static List<String> selectable() {
        List<String> names = new ArrayList<>(Arrays.stream(FioJob.values()).map(FioJob::jobName).toList());
        names.add(META);
        return names;
    }

    /** The rows the selected jobs give, in the order they run. */
    static List<String> rows(List<String> selected) {
        List<String> rows = new ArrayList<>();
        for (String job : selected) {
            if (job.equals(META)) {
                rows.addAll(List.of(META_CREATE, META_STAT, META_DELETE));
            } else {
                rows.add(job);
            }
        }
        return rows;
    }

    static boolean comparedByThroughput(String row) {
        return !row.startsWith(META + "-") && FioJob.named(row).sequential();
    }

    /** The figure a row is compared by: MiB/s for sequential jobs, operations per second for the rest. */
    static double headline(String row, Double mibPerSecond, double iops) {
        return mibPerSecond != null && comparedByThroughput(row) ? mibPerSecond : iops;
    }

    /** The unit of the figure a row is compared by. */
    static String unit(String row) {
        if (row.startsWith(META + "-")) {
            return "ops/s";
        }
        return comparedByThroughput(row) ? "MiB/s" : "IOPS";
    }
}
