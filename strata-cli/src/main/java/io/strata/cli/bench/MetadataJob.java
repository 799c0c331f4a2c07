package io.strata.cli.bench;

import io.strata.runtime.StrataException;
import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * The metadata job: on every root (mount) at once, {@code threads} threads each in a folder of its
 * own create small files for a while, then stat them round and round for as long, then delete
 * them all. Each phase gives operations per second over all threads and roots, and the mean and
 * 99th percentile latency of one operation.
 */
final class MetadataJob {
    /** How long past its phases the job may take: the last operations of each phase, and deleting every file. */
    static final long STUCK_SECONDS = 300;

    private final int threads;
    private final long phaseNanos;
    private final byte[] content;
    private final BooleanSupplier cancelled;

    MetadataJob(int threads, int phaseSeconds, long fileBytes, BooleanSupplier cancelled) {
        this.threads = threads;
        this.phaseNanos = phaseSeconds * 1_000_000_000L;
        this.content = new byte[Math.toIntExact(fileBytes)];
        Arrays.fill(content, (byte) 'x');
        this.cancelled = cancelled;
    }

    /** What one thread did in each phase: the latency of every operation, in nanoseconds. */
    private static final class Worker {
        final Path folder;
        final List<Path> files = new ArrayList<>();
        final Latencies[] phases = {new Latencies(), new Latencies(), new Latencies()};
        volatile RuntimeException failure;

        Worker(Path folder) {
            this.folder = folder;
        }
    }

    /** Runs on every root at once; the rows meta-create, meta-stat and meta-delete. */
    List<Measurement> run(String target, List<Path> roots) {
        List<Worker> workers = new ArrayList<>();
        for (int r = 0; r < roots.size(); r++) {
            for (int t = 0; t < threads; t++) {
                workers.add(new Worker(roots.get(r).resolve("meta-" + (r + 1)).resolve("thread-" + t)));
            }
        }
        long[] phaseStart = new long[4];
        CyclicBarrier barrier = new CyclicBarrier(workers.size(), () -> phaseStart[nextPhase(phaseStart)] = System.nanoTime());
        List<Thread> running = new ArrayList<>();
        for (Worker worker : workers) {
            // daemons: a thread stuck in a file system that no longer answers must not keep the JVM alive
            running.add(Thread.ofPlatform().daemon().name("strata-bench-meta").start(() -> work(worker, barrier)));
        }
        long deadline = System.nanoTime() + 3 * phaseNanos + TimeUnit.SECONDS.toNanos(STUCK_SECONDS);
        for (Thread thread : running) {
            try {
                if (!thread.join(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())))) {
                    throw StrataException.unavailable("the metadata job on %s did not end %d s after its phases should have",
                            target, STUCK_SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw StrataException.unavailable("interrupted");
            }
        }
        for (Worker worker : workers) {
            if (worker.failure != null) {
                throw StrataException.unavailable("the metadata job failed on %s: %s", target, worker.failure.getMessage());
            }
        }
        if (cancelled.getAsBoolean()) {
            throw StrataException.unavailable("interrupted");
        }
        String[] rows = {BenchJobs.META_CREATE, BenchJobs.META_STAT, BenchJobs.META_DELETE};
        List<Measurement> measurements = new ArrayList<>();
        for (int phase = 0; phase < 3; phase++) {
            Latencies all = new Latencies();
            for (Worker worker : workers) {
                all.addAll(worker.phases[phase]);
            }
            double seconds = (phaseStart[phase + 1] - phaseStart[phase]) / 1e9;
            measurements.add(new Measurement(target, rows[phase], null, all.count() / seconds, all.meanMicros(),
                    all.percentileMicros(99)));
        }
        return measurements;
    }

    private static int nextPhase(long[] phaseStart) {
        for (int i = 0; i < phaseStart.length; i++) {
            if (phaseStart[i] == 0) {
                return i;
            }
        }
        throw new IllegalStateException("more phases than expected");
    }

    /**
     * One thread: waits for every thread at each phase's start and after the last, so that each
     * phase is timed from the moment all threads start it to the moment the last one ends it.
     */
    private void work(Worker worker, CyclicBarrier barrier) {
        try {
            try {
                Files.createDirectories(worker.folder);
            } catch (IOException e) {
                worker.failure = failure("create the folder", worker.folder, e);
            }
            await(barrier);
            if (worker.failure == null) {
                create(worker);
            }
            await(barrier);
            if (worker.failure == null) {
                stat(worker);
            }
            await(barrier);
            delete(worker);
            await(barrier);
        } catch (RuntimeException e) {
            if (worker.failure == null) {
                worker.failure = e;
            }
            barrier.reset();
        }
    }

    private void create(Worker worker) {
        long end = System.nanoTime() + phaseNanos;
        for (int i = 0; System.nanoTime() < end && !cancelled.getAsBoolean(); i++) {
            Path file = worker.folder.resolve("f" + i);
            long started = System.nanoTime();
            try {
                Files.write(file, content, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            } catch (IOException e) {
                worker.failure = failure("create", file, e);
                return;
            }
            worker.phases[0].add(System.nanoTime() - started);
            worker.files.add(file);
        }
    }

    private void stat(Worker worker) {
        if (worker.files.isEmpty()) {
            return;
        }
        long end = System.nanoTime() + phaseNanos;
        for (int i = 0; System.nanoTime() < end && !cancelled.getAsBoolean(); i++) {
            Path file = worker.files.get(i % worker.files.size());
            long started = System.nanoTime();
            try {
                Files.readAttributes(file, BasicFileAttributes.class);
            } catch (IOException e) {
                worker.failure = failure("stat", file, e);
                return;
            }
            worker.phases[1].add(System.nanoTime() - started);
        }
    }

    /** Deletes every file the thread created (also after a failure, to leave nothing behind), then its folder. */
    private void delete(Worker worker) {
        for (Path file : worker.files) {
            long started = System.nanoTime();
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                if (worker.failure == null) {
                    worker.failure = failure("delete", file, e);
                }
                continue;
            }
            worker.phases[2].add(System.nanoTime() - started);
        }
        try {
            Files.deleteIfExists(worker.folder);
        } catch (IOException e) {
            // the folder goes with the target's own clean-up
        }
    }

    /** {@code create /m/f0: Input/output error}, or the exception's kind where the file system gave no reason. */
    static StrataException failure(String what, Path file, IOException e) {
        String reason = e instanceof FileSystemException fs && fs.getReason() != null ? fs.getReason()
                : e.getClass().getSimpleName() + (e instanceof FileSystemException ? "" : ": " + e.getMessage());
        return StrataException.unavailable("%s %s: %s", what, file, reason);
    }

    private static void await(CyclicBarrier barrier) {
        try {
            barrier.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw StrataException.unavailable("interrupted");
        } catch (BrokenBarrierException e) {
            throw StrataException.unavailable("another thread of the metadata job failed");
        }
    }
}
