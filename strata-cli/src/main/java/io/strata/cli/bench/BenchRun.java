package io.strata.cli.bench;

import io.strata.cli.CliContext;
import io.strata.cli.fs.MountCommand;
import io.strata.cli.sandbox.Sandbox;
import io.strata.cli.sandbox.SandboxState;
import io.strata.config.server.ServerIdentity;
import io.strata.fuse.FuseMount;
import io.strata.fuse.MemoryFilesystem;
import io.strata.fuse.MountOptions;
import io.strata.resources.ByteSizes;
import io.strata.runtime.Clock;
import io.strata.runtime.Json;
import io.strata.runtime.Release;
import io.strata.runtime.SafeFiles;
import io.strata.runtime.StrataException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** One run of {@code strata bench}: the checks, every target in turn, the report; and undoing all it started. */
final class BenchRun {
    /** The sandbox the strata targets run on: what 'strata sandbox up' starts by default, in the subnet and core mapping given. */
    static Sandbox.Options sandboxOptions(String subnet, ServerIdentity.CoreMapping coreMapping) {
        return new Sandbox.Options(6, "multi", 8, 2, subnet, 16 * ByteSizes.GIB, coreMapping);
    }
    static final String FILE = "bench.dat";

    private final CliContext cli;
    private final BenchOptions options;
    private final Path work;
    private final Path out;
    private final PrintWriter progress;
    private final long started = System.nanoTime();
    private final Instant startedAt = Instant.now();
    private final List<Measurement> measurements = new ArrayList<>();
    private final List<BenchReport.Failure> failures = new ArrayList<>();
    private final Map<String, Double> prepareSeconds = new LinkedHashMap<>();
    private final List<String> notes = new ArrayList<>();
    private Cleanup cleanup;
    private Fio fio;
    private final Sandbox.Options sandboxOptions;
    private SandboxState sandbox;
    private Cleanup.Action sandboxAction;
    private String sandboxFailure;

    BenchRun(CliContext cli, BenchOptions options, Path out) {
        this.cli = cli;
        this.options = options;
        this.sandboxOptions = sandboxOptions(options.subnet(), options.coreMapping());
        this.work = cli.home().root().resolve("bench");
        this.out = out != null ? out.toAbsolutePath().normalize() : work;
        this.progress = cli.json() ? cli.err() : cli.out();
    }

    void run() {
        Path fioBinary = BenchPreflight.requireFio(Fio.find(System.getenv("PATH")));
        BenchPreflight.requireRoot(options, uid());
        Optional<SandboxState> existing = new Sandbox(cli.home(), progress).state();
        BenchPreflight.refuseRunningSandbox(existing, existing.map(Sandbox::isRunning).orElse(false));
        String dist = null;
        if (options.needsSandbox()) {
            dist = BenchPreflight.requireDistribution(distribution());
            BenchPreflight.requireFreeSubnet(sandboxOptions.subnet(), BenchPreflight.answeringAgent(sandboxOptions.subnet(),
                    sandboxOptions.servers()));
        }
        if (options.targets().contains(BenchOptions.GLUSTERFS)) {
            BenchPreflight.requirePeer(GlusterPeer.unavailableHere());
        }
        SafeFiles.createDirectories(work);
        BenchPreflight.requireSpace(options, usableBytes(work), work);
        String fioVersion = Fio.version(fioBinary);

        step(String.format(Locale.ROOT, "bench: targets %s; jobs %s; a %s file, %d s per fio job after %d s of warm-up; about %d min of jobs plus setting up",
                String.join(",", options.targets()), String.join(",", options.jobs()), ByteSizes.describe(options.sizeBytes()),
                options.runtimeSeconds(), options.warmupSeconds(), Math.max(1, Math.round(options.estimatedSeconds() / 60.0))));
        cleanup = new Cleanup(progress);
        cleanup.installHook();
        fio = new Fio(fioBinary, out.resolve("fio"), cleanup);
        try {
            // a bench killed with -9 may have left mounts and files behind; this one removes its mountpoints at the end
            Path mounts = work.resolve("mnt");
            removeMountpoints(mounts);
            SafeFiles.deleteRecursively(work.resolve("raw"));
            cleanup.register("remove the mountpoints " + mounts, () -> removeMountpoints(mounts));
            for (String target : options.targets()) {
                if (cleanup.cancelled()) {
                    break;
                }
                try {
                    runTarget(target, dist);
                } catch (RuntimeException e) {
                    if (cleanup.cancelled()) {
                        break;
                    }
                    failures.add(new BenchReport.Failure(target, e.getMessage()));
                    step(target + " failed: " + e.getMessage());
                }
                if (sandboxAction != null && !laterTargetNeedsSandbox(target)) {
                    sandboxAction.close();
                    sandboxAction = null;
                }
            }
        } finally {
            cleanup.close();
        }
        cleanup.checkNotCancelled();
        report(fioVersion);
    }

    private void runTarget(String target, String dist) {
        switch (target) {
            case BenchOptions.RAW -> {
                Path dir = work.resolve("raw");
                SafeFiles.createDirectories(dir);
                Cleanup.Action remove = cleanup.register("remove " + dir, () -> SafeFiles.deleteRecursively(dir));
                try {
                    runJobs(target, List.of(dir));
                } finally {
                    remove.close();
                }
            }
            case BenchOptions.FUSE -> {
                Path dir = work.resolve("mnt").resolve("fuse");
                SafeFiles.createDirectories(dir);
                MemoryFilesystem ceiling = new MemoryFilesystem(MemoryFilesystem.Options.defaults()
                        .withStorage(MemoryFilesystem.Storage.DISCARD).withDirectIo(true), Clock.SYSTEM);
                // the frontend's mount options, so that only what is behind the FUSE layer differs
                FuseMount mount = FuseMount.mount(dir, MountOptions.defaults().withFsName("strata-bench-ceiling")
                        .withRequestBuffers(64), ceiling);
                Cleanup.Action unmount = cleanup.register("unmount the FUSE ceiling " + dir, () -> {
                    mount.close();
                    removeMountpoints(dir);
                });
                try {
                    step("fuse: a file system that stores nothing mounted at " + dir + " by this JVM");
                    runJobs(target, List.of(dir));
                } finally {
                    unmount.close();
                }
            }
            case BenchOptions.STRATA -> {
                startSandbox(dist);
                runJobs(target, List.of(Path.of(sandbox.mountpoint()).resolve("strata-bench")));
            }
            case BenchOptions.STRATA3 -> {
                startSandbox(dist);
                List<Path> mounts = new ArrayList<>(List.of(Path.of(sandbox.mountpoint())));
                List<Cleanup.Action> unmounts = new ArrayList<>();
                try {
                    for (SandboxState.Server server : sandbox.servers().subList(1, 3)) {
                        Path dir = work.resolve("mnt").resolve(server.hostname());
                        SafeFiles.createDirectories(dir);
                        CliContext onServer = cli.forHost(server.address());
                        MountCommand.mount(onServer, "default", dir);
                        unmounts.add(cleanup.register("unmount " + dir, () -> unmountStrata(onServer, dir)));
                        mounts.add(dir);
                        step("strata3: mounted filesystem default at " + dir + " (served by " + server.hostname() + ")");
                    }
                    runJobs(target, mounts.stream().map(m -> m.resolve("strata-bench")).toList());
                } finally {
                    unmounts.reversed().forEach(Cleanup.Action::close);
                }
            }
            case BenchOptions.GLUSTERFS -> {
                Path dir = work.resolve("mnt").resolve("glusterfs");
                try (GlusterPeer peer = new GlusterPeer(work.resolve("gluster"), dir, cleanup, this::step)) {
                    peer.start();
                    runJobs(target, List.of(dir));
                }
            }
            default -> throw StrataException.invalid("unknown target %s", target);
        }
    }

    private static void unmountStrata(CliContext onServer, Path dir) {
        try {
            MountCommand.unmount(onServer, dir);
        } finally {
            removeMountpoints(dir);
        }
    }

    /** Detaches what is still mounted under {@code dir} and removes it; never deletes through a mount that stays. */
    static void removeMountpoints(Path dir) {
        Sandbox.detachMounts(dir);
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/mounts"))) {
                String[] fields = line.split(" ");
                if (fields.length > 1 && Path.of(fields[1]).startsWith(dir)) {
                    throw StrataException.unavailable("%s is still mounted; not removing %s", fields[1], dir);
                }
            }
        } catch (IOException e) {
            throw StrataException.unavailable("cannot read /proc/self/mounts: %s", e.getMessage());
        }
        SafeFiles.deleteRecursively(dir);
    }

    private void startSandbox(String dist) {
        if (sandbox != null) {
            return;
        }
        if (sandboxFailure != null) {
            throw StrataException.unavailable("the sandbox did not start: %s", sandboxFailure);
        }
        Sandbox sandboxes = new Sandbox(cli.home(), progress, cleanup::cancelled);
        sandboxAction = cleanup.register("stop the sandbox", () -> {
            if (failures.stream().anyMatch(f -> f.target().startsWith(BenchOptions.STRATA))) {
                keepLogs(cli.home().sandboxDir().resolve("servers"), out.resolve("sandbox-logs"));
            }
            sandboxes.down();
        });
        step("starting a sandbox of " + sandboxOptions.servers() + " servers on " + sandboxOptions.subnet() + ".1-"
                + sandboxOptions.servers() + " for the strata targets");
        try {
            sandbox = sandboxes.up(sandboxOptions, Path.of(dist));
        } catch (RuntimeException e) {
            if (cleanup.cancelled()) {
                throw e;
            }
            // a sandbox that did not come up is stopped by up() itself, its folder kept for the logs
            sandboxAction.discard();
            sandboxAction = null;
            sandboxFailure = e.getMessage();
            throw e;
        }
        cleanup.checkNotCancelled();
        noteFirstWrite(sandboxes);
    }

    /** Notes how long the new sandbox's filesystem took to take its first write, when that was long. */
    private void noteFirstWrite(Sandbox sandboxes) {
        sandboxes.secondsUntilWritable().filter(seconds -> seconds > 5).ifPresent(seconds -> notes.add(String.format(Locale.ROOT,
                "strata: the new filesystem took its first write %.1f s after it was mounted", seconds)));
    }

    /** Copies the sandbox's logs (agents and containers) before 'down' removes them, for a strata target that failed. */
    private void keepLogs(Path servers, Path to) {
        SafeFiles.deleteRecursively(to);
        try (Stream<Path> files = Files.walk(servers)) {
            for (Path log : files.filter(f -> f.getFileName().toString().endsWith(".log")).toList()) {
                Path copy = to.resolve(servers.relativize(log));
                Files.createDirectories(copy.getParent());
                Files.copy(log, copy);
            }
            step("a strata target failed: the sandbox's logs are kept in " + to);
        } catch (IOException e) {
            step("warning: cannot keep the sandbox's logs: " + e.getMessage());
        }
    }

    private boolean laterTargetNeedsSandbox(String target) {
        List<String> later = options.targets().subList(options.targets().indexOf(target) + 1, options.targets().size());
        return later.contains(BenchOptions.STRATA) || later.contains(BenchOptions.STRATA3);
    }

    /** Every selected job on the target's folders: one folder, or one per mount of the same file system. */
    private void runJobs(String target, List<Path> dirs) {
        for (Path dir : dirs) {
            SafeFiles.createDirectories(dir);
        }
        if (!options.fioJobs().isEmpty()) {
            Path file = dirs.getFirst().resolve(FILE);
            if (size(file) < options.sizeBytes()) {
                step(target + ": writing the " + ByteSizes.describe(options.sizeBytes()) + " file every job works on");
                double seconds = fio.prepare(target, List.of(new Fio.Region(file, 0, options.sizeBytes())));
                prepareSeconds.put(target, seconds);
                step(String.format(Locale.ROOT, "%s: written in %.1f s", target, seconds));
            }
            List<Fio.Region> regions = new ArrayList<>();
            List<long[]> parts = options.parts(dirs.size());
            for (int i = 0; i < dirs.size(); i++) {
                regions.add(new Fio.Region(dirs.get(i).resolve(FILE), parts.get(i)[0], parts.get(i)[1]));
            }
            if (options.warmupSeconds() > 0) {
                step(String.format(Locale.ROOT, "%s: warming up, every job %d s unmeasured", target, options.warmupSeconds()));
                for (FioJob job : options.fioJobs()) {
                    cleanup.checkNotCancelled();
                    fio.run(target, job, regions, options.warmupSeconds());
                }
            }
            for (FioJob job : options.fioJobs()) {
                cleanup.checkNotCancelled();
                record(fio.run(target, job, regions, options.runtimeSeconds()));
            }
        }
        if (options.metadata()) {
            if (options.warmupSeconds() > 0) {
                cleanup.checkNotCancelled();
                new MetadataJob(options.metaThreads(), options.warmupSeconds(), options.metaFileBytes(), cleanup::cancelled)
                        .run(target, dirs);
            }
            cleanup.checkNotCancelled();
            MetadataJob meta = new MetadataJob(options.metaThreads(), options.metaSeconds(), options.metaFileBytes(), cleanup::cancelled);
            meta.run(target, dirs).forEach(this::record);
        }
    }

    private void record(Measurement m) {
        measurements.add(m);
        step(String.format(Locale.ROOT, "%s %s: %s%.0f %s, mean %s, p99 %s", m.target(), m.job(),
                m.mibPerSecond() == null ? "" : String.format(Locale.ROOT, "%.1f MiB/s, ", m.mibPerSecond()), m.iops(),
                m.job().startsWith(BenchJobs.META) ? "ops/s" : "IOPS", BenchReport.latency(m.meanLatencyUs()),
                BenchReport.latency(m.p99LatencyUs())));
    }

    private void report(String fioVersion) {
        List<BenchReport.Row> rows = BenchReport.rows(measurements, BenchJobs.rows(options.jobs()), options.targets(), options.peer());
        Path json = out.resolve("results.json");
        Path chart = out.resolve("chart.png");
        Map<String, String> definitions = new LinkedHashMap<>();
        options.fioJobs().forEach(j -> definitions.put(j.jobName(), j.describe()));
        if (options.metadata()) {
            definitions.put(BenchJobs.META, String.format(Locale.ROOT, "%d threads per mount, each in its own folder: create files "
                    + "of %d bytes for %d s, stat them for %d s, delete them all", options.metaThreads(), options.metaFileBytes(),
                    options.metaSeconds(), options.metaSeconds()));
        }
        BenchReport.Results results = new BenchReport.Results(startedAt.toString(), (System.nanoTime() - started) / 1e9,
                new BenchReport.Settings(options.targets(), options.peer(), options.jobs(), definitions, options.sizeBytes(),
                        options.runtimeSeconds(), options.warmupSeconds(), options.metaThreads(), options.metaSeconds(), options.metaFileBytes()),
                new BenchReport.Environment(fioVersion, Runtime.getRuntime().availableProcessors(), System.getProperty("os.version"),
                        Release.current().version(), work.resolve("raw").toString(),
                        options.needsSandbox() ? sandboxOptions.servers() + " servers on " + sandboxOptions.subnet() + ".1-"
                                + sandboxOptions.servers() + ", " + sandboxOptions.layout() + " layout, 4+2, "
                                + ByteSizes.describe(sandboxOptions.driveBytes()) + " drive files, "
                                + (sandboxOptions.coreMapping() == ServerIdentity.CoreMapping.SHARED ? "processes not pinned"
                                        : "core k of every server pinned to CPU k mod " + Runtime.getRuntime().availableProcessors()) : null,
                        options.peer() == null ? null : "GlusterFS disperse " + GlusterPeer.BRICKS + " redundancy "
                                + GlusterPeer.REDUNDANCY + ", bricks on " + GlusterPeer.BRICK_HOST + " in " + work.resolve("gluster")),
                rows, prepareSeconds, notes, failures, json.toString(), chart.toString());
        SafeFiles.createDirectories(out);
        SafeFiles.writeAtomically(json, Json.toPrettyString(results).getBytes(StandardCharsets.UTF_8));
        BarChart.write(chart, "strata bench " + startedAt.toString().substring(0, 16).replace('T', ' ') + " UTC, "
                + ByteSizes.describe(options.sizeBytes()) + " file, " + options.runtimeSeconds() + " s per job after " + options.warmupSeconds()
                + " s of warm-up", rows, options.targets());
        if (cli.json()) {
            cli.printJson(results);
        } else {
            cli.out().println();
            BenchReport.table(rows, options.peer()).print(cli.out());
            cli.out().println();
            notes.forEach(note -> cli.out().println("note: " + note));
            cli.out().println("results: " + json);
            cli.out().println("chart:   " + chart);
            cli.out().flush();
        }
        if (!failures.isEmpty()) {
            throw StrataException.unavailable("%s (the other results are in %s)", failures.stream()
                    .map(f -> f.target() + " failed: " + f.message()).reduce((a, b) -> a + "; " + b).orElseThrow(), json);
        }
    }

    private void step(String message) {
        progress.printf(Locale.ROOT, "[%5.1fs] %s%n", (System.nanoTime() - started) / 1e9, message);
        progress.flush();
    }

    private static String distribution() {
        return System.getenv("STRATA_DIST") != null ? System.getenv("STRATA_DIST") : System.getProperty("strata.dist");
    }

    private static long size(Path file) {
        try {
            return Files.exists(file) ? Files.size(file) : 0;
        } catch (IOException e) {
            return 0;
        }
    }

    private static long usableBytes(Path dir) {
        try {
            return Files.getFileStore(dir).getUsableSpace();
        } catch (IOException e) {
            throw StrataException.unavailable("cannot tell the free space at %s: %s", dir, e.getMessage());
        }
    }

    private static int uid() {
        try {
            return (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
        } catch (IOException | UnsupportedOperationException e) {
            return -1;
        }
    }
}
