package io.strata.cli.bench;

import io.strata.cli.BaseCommand;
import io.strata.cli.CliContext;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code strata bench}: the same fio and metadata jobs on the raw disk, the FUSE ceiling, Strata and a peer. */
@Command(name = "bench", description = {
    "Run the same jobs on the raw disk, on the FUSE ceiling (a file system that stores nothing, mounted by Strata's FUSE layer "
        + "in this JVM), on a Strata sandbox of 6 servers (4+2) through one mount and through mounts on 3 servers at once, "
        + "and with --peer glusterfs on a GlusterFS dispersed 4+2 volume on this machine.",
    "Jobs (fio, direct IO, time-based): seq-write and seq-read (1 MiB, iodepth 1), randread and randwrite (4 KiB) at "
        + "iodepth 1 (psync) and 16 (libaio); meta: threads each in its own folder create, stat, then delete small files.",
    "Prints a table (MiB/s, IOPS, mean and p99 completion latency, ratio to the raw disk and to the peer); writes "
        + "results.json and chart.png to --out. Refuses while a sandbox runs; undoes everything it started, also on Ctrl-C."})
public final class BenchCommand extends BaseCommand {
    static final String SUBNET = "127.0.8";

    @Option(names = "--targets", split = ",", defaultValue = "raw,fuse,strata,strata3", paramLabel = "TARGET",
            description = "Targets: raw, fuse, strata, strata3 (default ${DEFAULT-VALUE}).")
    List<String> targets;

    @Option(names = "--peer", paramLabel = "SYSTEM", description = "Also measure a peer: glusterfs.")
    String peer;

    @Option(names = "--jobs", split = ",", paramLabel = "JOB",
            defaultValue = "seq-write,seq-read,randread-qd1,randread-qd16,randwrite-qd1,randwrite-qd16,meta",
            description = "Jobs (default: all, ${DEFAULT-VALUE}).")
    List<String> jobs;

    @Option(names = "--size", defaultValue = "512MiB", paramLabel = "SIZE", description = "The file every fio job works on (default ${DEFAULT-VALUE}).")
    String size;

    @Option(names = "--runtime", defaultValue = "10", paramLabel = "SECONDS",
            description = "How long each fio job runs (default ${DEFAULT-VALUE}).")
    int runtime;

    @Option(names = "--warmup", defaultValue = "6", paramLabel = "SECONDS",
            description = "Before measuring a target, run each job this long unmeasured (0: no warm-up; default ${DEFAULT-VALUE}). "
                    + "Strata's processes are JVMs that compile their hot paths in the first minutes; every target is warmed the same way.")
    int warmup;

    @Option(names = "--meta-threads", defaultValue = "8", paramLabel = "N",
            description = "Threads of the metadata job, per mount (default ${DEFAULT-VALUE}).")
    int metaThreads;

    @Option(names = "--meta-seconds", defaultValue = "3", paramLabel = "SECONDS",
            description = "How long the metadata job creates, then stats (default ${DEFAULT-VALUE}).")
    int metaSeconds;

    @Option(names = "--meta-file-size", defaultValue = "4KiB", paramLabel = "SIZE",
            description = "What the metadata job writes into each file it creates (default ${DEFAULT-VALUE}).")
    String metaFileSize;

    @Option(names = "--subnet", defaultValue = BenchCommand.SUBNET, paramLabel = "127.X.Y",
            description = "The loopback /24 of the bench's sandbox (default ${DEFAULT-VALUE}: apart from 'strata sandbox up', "
                    + "which uses 127.0.1).")
    String subnet;

    @Option(names = "--core-mapping", defaultValue = "shared", paramLabel = "shared|modulo",
            description = "How the sandbox's processes meet the CPUs (default ${DEFAULT-VALUE}: not pinned; modulo pins core k of "
                    + "every server to CPU k mod nproc, as 'strata sandbox up' does).")
    String coreMapping;

    @Option(names = "--out", paramLabel = "DIR", description = "Where results.json, chart.png and fio's reports go "
            + "(default: $STRATA_HOME/bench).")
    Path out;

    @Override
    protected void run(CliContext cli) {
        BenchOptions options = BenchOptions.of(targets, peer, jobs, size, runtime, warmup, metaThreads, metaSeconds, metaFileSize, subnet, coreMapping);
        new BenchRun(cli, options, out).run();
    }
}
