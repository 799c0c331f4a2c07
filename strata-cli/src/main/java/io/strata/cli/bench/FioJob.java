package io.strata.cli.bench;

import io.strata.runtime.StrataException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The fio jobs of {@code strata bench}, the same on every target: direct IO, one file of the
 * bench's size, each job time-based for the bench's runtime. QD1 jobs use psync, QD16 libaio.
 */
enum FioJob {
    SEQ_WRITE("seq-write", "write", "1m", 1),
    SEQ_READ("seq-read", "read", "1m", 1),
    RANDREAD_QD1("randread-qd1", "randread", "4k", 1),
    RANDREAD_QD16("randread-qd16", "randread", "4k", 16),
    RANDWRITE_QD1("randwrite-qd1", "randwrite", "4k", 1),
    RANDWRITE_QD16("randwrite-qd16", "randwrite", "4k", 16);

    private final String jobName;
    private final String rw;
    private final String blockSize;
    private final int iodepth;

    FioJob(String jobName, String rw, String blockSize, int iodepth) {
        this.jobName = jobName;
        this.rw = rw;
        this.blockSize = blockSize;
        this.iodepth = iodepth;
    }

    String jobName() {
        return jobName;
    }

    /** Sequential jobs are compared by throughput, random ones by IOPS. */
    boolean sequential() {
        return blockSize.equals("1m");
    }

    boolean writes() {
        return rw.endsWith("write");
    }

    /** One line for --help and the results: what the job does. */
    String describe() {
        return String.format("%s: %s %s, iodepth %d (%s), direct", jobName, rw, blockSize, iodepth, engine());
    }

    private String engine() {
        return iodepth == 1 ? "psync" : "libaio";
    }

    static FioJob named(String name) {
        return Arrays.stream(values()).filter(j -> j.jobName.equals(name)).findFirst()
                .orElseThrow(() -> StrataException.invalid("no fio job named '%s'", name));
    }

    /** fio's arguments for this job on {@code [offset, offset + size)} of {@code file}, its JSON report written to {@code output}. */
    List<String> arguments(Path file, long offset, long size, int runtimeSeconds, Path output) {
        List<String> args = new ArrayList<>(common(jobName, file, offset, size, output));
        args.addAll(List.of("--rw=" + rw, "--bs=" + blockSize, "--ioengine=" + engine(), "--iodepth=" + iodepth,
                "--runtime=" + runtimeSeconds, "--time_based=1"));
        return args;
    }

    /**
     * fio's arguments that write the whole region once, so that every job finds the file laid out
     * (a read of a hole measures nothing): 1 MiB writes at iodepth 16, no time limit.
     */
    static List<String> prepareArguments(Path file, long offset, long size, Path output) {
        List<String> args = new ArrayList<>(common("prepare", file, offset, size, output));
        args.addAll(List.of("--rw=write", "--bs=1m", "--ioengine=libaio", "--iodepth=16"));
        return args;
    }

    private static List<String> common(String name, Path file, long offset, long size, Path output) {
        // fio splits --filename at colons; a colon in the path is escaped
        return List.of("--name=" + name, "--filename=" + file.toString().replace(":", "\\:"), "--offset=" + offset, "--size=" + size, "--direct=1",
                "--fallocate=none", "--output-format=json", "--output=" + output);
    }
}
