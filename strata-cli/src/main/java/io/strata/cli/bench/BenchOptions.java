package io.strata.cli.bench;

import io.strata.cli.sandbox.Sandbox;
import io.strata.config.server.ServerIdentity;
import io.strata.resources.ByteSizes;
import io.strata.runtime.StrataException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What one {@code strata bench} run does, checked: the targets in the order they run (the peer
 * last), the jobs, the size of the file every fio job works on and how long each job runs.
 */
record BenchOptions(List<String> targets, String peer, List<String> jobs, long sizeBytes, int runtimeSeconds, int warmupSeconds,
        int metaThreads,
        int metaSeconds, long metaFileBytes, String subnet, ServerIdentity.CoreMapping coreMapping) {
    static final String RAW = "raw";
    static final String FUSE = "fuse";
    static final String STRATA = "strata";
    static final String STRATA3 = "strata3";
    static final String GLUSTERFS = "glusterfs";
    static final List<String> OWN_TARGETS = List.of(RAW, FUSE, STRATA, STRATA3);
    /** Room for the sandbox beyond the fio file: its drive files' metadata, logs, the Raft logs. */
    static final long SANDBOX_ROOM_BYTES = 20 * ByteSizes.GIB;
    static final long OTHER_ROOM_BYTES = ByteSizes.GIB;

    BenchOptions {
        targets = List.copyOf(targets);
        jobs = List.copyOf(jobs);
    }

    /** Checks and orders what was given on the command line; each mistake is one line saying what is allowed. */
    static BenchOptions of(List<String> targets, String peer, List<String> jobs, String size, int runtimeSeconds, int warmupSeconds,
            int metaThreads,
            int metaSeconds, String metaFileSize, String subnet, String coreMapping) {
        Set<String> chosen = new LinkedHashSet<>();
        for (String target : targets) {
            String name = target.strip();
            if (name.equals(GLUSTERFS)) {
                throw StrataException.invalid("glusterfs is the peer: give it with --peer glusterfs, not in --targets");
            }
            if (!OWN_TARGETS.contains(name)) {
                throw StrataException.invalid("--targets: unknown target '%s' (choose from %s)", name, String.join(", ", OWN_TARGETS));
            }
            chosen.add(name);
        }
        if (peer != null && !peer.equals(GLUSTERFS)) {
            throw StrataException.invalid("--peer must be glusterfs, not '%s'", peer);
        }
        List<String> ordered = new ArrayList<>(OWN_TARGETS.stream().filter(chosen::contains).toList());
        if (peer != null) {
            ordered.add(peer);
        }
        if (ordered.isEmpty()) {
            throw StrataException.invalid("--targets: choose at least one of %s", String.join(", ", OWN_TARGETS));
        }
        Set<String> wanted = new LinkedHashSet<>();
        for (String job : jobs) {
            String name = job.strip();
            if (!BenchJobs.selectable().contains(name)) {
                throw StrataException.invalid("--jobs: unknown job '%s' (choose from %s)", name,
                        String.join(", ", BenchJobs.selectable()));
            }
            wanted.add(name);
        }
        if (wanted.isEmpty()) {
            throw StrataException.invalid("--jobs: choose at least one of %s", String.join(", ", BenchJobs.selectable()));
        }
        long sizeBytes = ByteSizes.parse(size);
        if (sizeBytes < 64 * ByteSizes.MIB || sizeBytes > 64 * ByteSizes.GIB || sizeBytes % ByteSizes.MIB != 0) {
            throw StrataException.invalid("--size must be a whole number of MiB from 64MiB to 64GiB, not %s", size);
        }
        if (runtimeSeconds < 1 || runtimeSeconds > 600) {
            throw StrataException.invalid("--runtime must be 1 to 600 seconds, not %d", runtimeSeconds);
        }
        if (warmupSeconds < 0 || warmupSeconds > 600) {
            throw StrataException.invalid("--warmup must be 0 to 600 seconds, not %d", warmupSeconds);
        }
        if (metaThreads < 1 || metaThreads > 256) {
            throw StrataException.invalid("--meta-threads must be 1 to 256, not %d", metaThreads);
        }
        if (metaSeconds < 1 || metaSeconds > 600) {
            throw StrataException.invalid("--meta-seconds must be 1 to 600, not %d", metaSeconds);
        }
        long metaFileBytes = ByteSizes.parse(metaFileSize);
        if (metaFileBytes > ByteSizes.MIB) {
            throw StrataException.invalid("--meta-file-size must be at most 1MiB, not %s", metaFileSize);
        }
        if (subnet == null || !subnet.matches("127\\.\\d{1,3}\\.\\d{1,3}")) {
            throw StrataException.invalid("--subnet must be a loopback /24 such as 127.0.8, not '%s'", subnet);
        }
        ServerIdentity.CoreMapping mapping = Sandbox.coreMapping(coreMapping);
        List<String> orderedJobs = BenchJobs.selectable().stream().filter(wanted::contains).toList();
        return new BenchOptions(ordered, peer, orderedJobs, sizeBytes, runtimeSeconds, warmupSeconds, metaThreads, metaSeconds, metaFileBytes,
                subnet, mapping);
    }

    boolean needsSandbox() {
        return targets.contains(STRATA) || targets.contains(STRATA3);
    }

    List<FioJob> fioJobs() {
        return jobs.stream().filter(j -> !j.equals(BenchJobs.META)).map(FioJob::named).toList();
    }

    boolean metadata() {
        return jobs.contains(BenchJobs.META);
    }

    /**
     * The free space the run needs where its files live: the fio file on the raw disk, the fio file
     * once more with 4+2 parity on the sandbox's drives and on the peer's bricks, and room for the
     * sandbox (or a little for everything else).
     */
    long neededBytes() {
        long bytes = 0;
        if (targets.contains(RAW)) {
            bytes += sizeBytes;
        }
        if (needsSandbox()) {
            bytes += sizeBytes * 6 / 4 + SANDBOX_ROOM_BYTES;
        } else {
            bytes += OTHER_ROOM_BYTES;
        }
        if (targets.contains(GLUSTERFS)) {
            bytes += sizeBytes * 6 / 4;
        }
        return bytes;
    }

    /**
     * The parts of the fio file that {@code mounts} mounts work on at once: whole MiB, the last one
     * taking what is left.
     */
    List<long[]> parts(int mounts) {
        long part = sizeBytes / mounts / ByteSizes.MIB * ByteSizes.MIB;
        List<long[]> parts = new ArrayList<>();
        for (int i = 0; i < mounts; i++) {
            parts.add(new long[] {i * part, i == mounts - 1 ? sizeBytes - i * part : part});
        }
        return parts;
    }

    /** A rough length of the run in seconds, setting up the sandbox and laying files out aside. */
    long estimatedSeconds() {
        long perTarget = (long) fioJobs().size() * (runtimeSeconds + 2) + (metadata() ? 3L * metaSeconds + 2 : 0);
        if (warmupSeconds > 0) {
            perTarget += (long) fioJobs().size() * (warmupSeconds + 1) + (metadata() ? 3L * warmupSeconds + 2 : 0);
        }
        return perTarget * targets.size();
    }
}
