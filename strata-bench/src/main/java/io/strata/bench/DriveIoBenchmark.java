package io.strata.bench;

import io.strata.drive.store.ChunkStatus;
import io.strata.drive.store.DirectIoMode;
import io.strata.drive.store.Drive;
import io.strata.drive.store.DriveFormatter;
import io.strata.drive.store.DriveIo;
import io.strata.drive.store.DriveIoOptions;
import io.strata.drive.store.DriveIoStats;
import io.strata.drive.store.DriveLayout;
import io.strata.drive.store.DriveOp;
import io.strata.drive.store.DriveOptions;
import io.strata.drive.store.DurabilityMode;
import io.strata.drive.store.FormatRequest;
import io.strata.drive.store.IoBuffer;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.locks.LockSupport;

/**
 * The drive storage engine against plain {@code FileChannel} with O_DIRECT on the same file system:
 * sequential 1 MiB chunk writes (durable) and reads, and 4 KiB random reads at queue depth 1 and 16.
 * A main, not JMH: each case is an IO-bound loop of seconds, where JMH's forking and warm-up add
 * nothing but time on a shared 2-core machine.
 *
 * <pre>
 * mvn -pl strata-bench -am package -DskipTests
 * java --enable-native-access=ALL-UNNAMED --add-exports java.base/jdk.internal.misc=ALL-UNNAMED \
 *      -cp strata-bench/target/benchmarks.jar io.strata.bench.DriveIoBenchmark [dir] [fileMiB] [secondsPerCase] [group]
 * </pre>
 * The directory must not be tmpfs if direct IO is to be measured; the files are deleted at the end.
 * The last argument picks a group: {@code write}, {@code read}, {@code random} or {@code all}.
 *
 * <p>The owner loop behaves like a drive process's agent: it parks when nothing completed (up to
 * 1 ms) and the engine's completion signal unparks it. Besides MB/s and op/s each line shows the
 * process CPU time per operation (all threads, kernel included), the figure a shared machine
 * disturbs least, and the ratio to the plain-FileChannel baseline above it.
 */
public final class DriveIoBenchmark {
    private static final int MIB = 1 << 20;
    private static final int BLOCK = DriveLayout.BLOCK_BYTES;
    private static final long REGION = DriveLayout.DEFAULT_REGION_BYTES;
    private static final UUID CLUSTER = UUID.fromString("00000000-0000-0000-0000-0000000be9c4");

    private final Path rawFile;
    private final Path driveFile;
    private final long fileBytes;
    private final double seconds;
    private final OpenOption direct;
    private final String only;

    private DriveIoBenchmark(Path dir, long fileBytes, double seconds, String only) throws Exception {
        this.only = only;
        this.rawFile = dir.resolve("raw.img");
        this.driveFile = dir.resolve("drive.img");
        this.fileBytes = fileBytes;
        this.seconds = seconds;
        this.direct = (OpenOption) Enum.valueOf(Class.forName("com.sun.nio.file.ExtendedOpenOption")
                .asSubclass(Enum.class), "DIRECT");
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args.length > 0 ? args[0] : "target/drive-bench");
        long fileBytes = (args.length > 1 ? Long.parseLong(args[1]) : 2048) * MIB;
        double seconds = args.length > 2 ? Double.parseDouble(args[2]) : 3;
        String only = args.length > 3 ? args[3] : "all"; // "write", "read", "random" or "all"
        Files.createDirectories(dir);
        System.out.printf("file system of %s: %s; files of %d MiB; %.1f s per case%n",
                dir, Files.getFileStore(dir).type(), fileBytes / MIB, seconds);
        DriveIoBenchmark bench = new DriveIoBenchmark(dir, fileBytes, seconds, only);
        try {
            bench.run();
        } finally {
            Files.deleteIfExists(bench.rawFile);
            Files.deleteIfExists(bench.driveFile);
        }
    }

    private void run() throws Exception {
        DriveFormatter.preallocateFile(rawFile, fileBytes);
        DriveFormatter.preallocateFile(driveFile, fileBytes);
        DriveFormatter.format(driveFile, FormatRequest.of(CLUSTER, UUID.randomUUID()).withForce(true));

        Result rawFill = rawSequential(true, 0, Double.MAX_VALUE);
        print("raw      first write 1 MiB, no sync (allocates)", rawFill, null);
        Result driveFill;
        try (Engine engine = new Engine(DurabilityMode.FDATASYNC, 2, 16, 16)) {
            driveFill = engine.sequentialWrites(16, Double.MAX_VALUE, engine.slotCount);
            print("drive    first write 1 MiB chunks QD16 (allocates)", driveFill, rawFill);
        }

        if (only.equals("all") || only.equals("write")) {
            writes();
        }
        if (only.equals("all") || only.equals("read")) {
            sequentialReads();
        }
        if (only.equals("all") || only.equals("random")) {
            randomReads();
        }
    }

    private void writes() throws Exception {
        Result rawWrite = rawSequential(true, 0, seconds);
        print("raw      write 1 MiB, no sync", rawWrite, null);
        Result rawWriteSync = rawSequential(true, 1, seconds);
        print("raw      write 1 MiB + fdatasync each", rawWriteSync, null);
        Result rawWriteSync16 = rawSequential(true, 16, seconds);
        print("raw      write 1 MiB + fdatasync per 16", rawWriteSync16, null);
        try (Engine engine = new Engine(DurabilityMode.FDATASYNC, 2, 64, 16)) {
            for (int depth : new int[] {1, 4, 16}) {
                Result result = engine.sequentialWrites(depth, seconds, Long.MAX_VALUE);
                print("drive    write 1 MiB chunks QD" + depth + " (fdatasync group commit)", result, rawWrite);
            }
        }
        try (Engine engine = new Engine(DurabilityMode.DSYNC, 4, 64, 16)) {
            for (int depth : new int[] {1, 16}) {
                print("drive    write 1 MiB chunks QD" + depth + " (O_DSYNC, 4 threads)",
                        engine.sequentialWrites(depth, seconds, Long.MAX_VALUE), rawWrite);
            }
        }

    }

    private void sequentialReads() throws Exception {
        Result rawRead = rawSequential(false, 0, seconds);
        print("raw      read 1 MiB", rawRead, null);
        try (Engine engine = new Engine(DurabilityMode.FDATASYNC, 2, 64, 16)) {
            for (int depth : new int[] {1, 4}) {
                print("drive    read 1 MiB chunks QD" + depth, engine.sequentialReads(depth, seconds), rawRead);
            }
        }

    }

    private void randomReads() throws Exception {
        Result raw4k1 = rawRandomReads(1);
        print("raw      random read 4 KiB QD1", raw4k1, null);
        Result raw4k16 = rawRandomReads(16);
        print("raw      random read 4 KiB QD16 (16 threads)", raw4k16, null);
        int cache = DriveOptions.DEFAULT_HEADER_CACHE_ENTRIES;
        int gap = DriveOptions.DEFAULT_MAX_READ_GAP_BYTES;
        for (int readGap : new int[] {gap, 0, 128 * 1024}) {
            try (Engine engine = new Engine(DurabilityMode.FDATASYNC, 1, 64, 16, cache, readGap)) {
                print("drive    random read 4 KiB QD1 (1 io thread, read gap " + readGap / 1024 + " KiB)",
                        engine.randomReads(1, seconds), raw4k1);
            }
        }
        try (Engine engine = new Engine(DurabilityMode.FDATASYNC, 1, 64, 16, 0, gap)) {
            print("drive    random read 4 KiB QD1 (1 io thread, no header cache)", engine.randomReads(1, seconds), raw4k1);
        }
        for (int threads : new int[] {4, 16}) {
            try (Engine engine = new Engine(DurabilityMode.FDATASYNC, threads, 64, 16, cache, gap)) {
                print("drive    random read 4 KiB QD16 (" + threads + " io threads)", engine.randomReads(16, seconds), raw4k16);
            }
        }
        try (Engine engine = new Engine(DurabilityMode.FDATASYNC, 16, 64, 16, 0, gap)) {
            print("drive    random read 4 KiB QD16 (16 io threads, no header cache)", engine.randomReads(16, seconds), raw4k16);
        }
    }

    /** Bytes moved, operations, and the time they took; latency is the mean per operation. */
    record Result(long bytes, long ops, long nanos, long cpuNanos, String note) {
        double megabytesPerSecond() {
            return bytes / 1e6 / (nanos / 1e9);
        }

        double opsPerSecond() {
            return ops / (nanos / 1e9);
        }
    }

    /** CPU time of the whole process (all threads), so thread hand-offs are counted. */
    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    private static void print(String name, Result result, Result baseline) {
        String ratio = baseline == null ? "" : String.format("  %.2fx raw", result.megabytesPerSecond() / baseline.megabytesPerSecond());
        System.out.printf("%-62s %8.0f MB/s %9.0f op/s %6.1f us cpu/op%s%s%n", name, result.megabytesPerSecond(),
                result.opsPerSecond(), result.cpuNanos() / 1e3 / Math.max(1, result.ops()), ratio,
                result.note().isEmpty() ? "" : "  [" + result.note() + "]");
    }

    // ---------------------------------------------------------------- plain FileChannel, O_DIRECT

    private Result rawSequential(boolean write, int syncEvery, double limitSeconds) throws IOException {
        try (Arena arena = Arena.ofConfined();
             FileChannel channel = FileChannel.open(rawFile, StandardOpenOption.READ, StandardOpenOption.WRITE, direct)) {
            MemorySegment segment = arena.allocate(MIB, BLOCK);
            byte[] noise = new byte[MIB];
            new SplittableRandom(1).nextBytes(noise);
            MemorySegment.copy(MemorySegment.ofArray(noise), 0, segment, 0, MIB);
            ByteBuffer buffer = segment.asByteBuffer();
            long blocks = fileBytes / MIB;
            long cpuStart = processCpuNanos();
            long start = System.nanoTime();
            long deadline = start + (long) Math.min(limitSeconds * 1e9, Long.MAX_VALUE / 2);
            long ops = 0;
            long syncNanos = 0;
            while (System.nanoTime() < deadline && (limitSeconds != Double.MAX_VALUE || ops < blocks)) {
                long position = (ops % blocks) * MIB;
                buffer.clear();
                int moved = write ? channel.write(buffer, position) : channel.read(buffer, position);
                if (moved != MIB) {
                    throw new IOException("short IO " + moved);
                }
                ops++;
                if (syncEvery > 0 && ops % syncEvery == 0) {
                    long syncStart = System.nanoTime();
                    channel.force(false);
                    syncNanos += System.nanoTime() - syncStart;
                }
            }
            long nanos = System.nanoTime() - start;
            String note = syncEvery > 0 ? String.format("fdatasync %.0f us each", syncNanos / 1e3 / (ops / syncEvery)) : "";
            return new Result(ops * MIB, ops, nanos, processCpuNanos() - cpuStart, note);
        }
    }

    private Result rawRandomReads(int threads) throws Exception {
        try (FileChannel channel = FileChannel.open(rawFile, StandardOpenOption.READ, direct)) {
            long blocks = fileBytes / BLOCK;
            long[] counts = new long[threads];
            List<Thread> workers = new ArrayList<>();
            long cpuStart = processCpuNanos();
            long start = System.nanoTime();
            long deadline = start + (long) (seconds * 1e9);
            for (int t = 0; t < threads; t++) {
                int index = t;
                workers.add(Thread.ofPlatform().start(() -> {
                    SplittableRandom random = new SplittableRandom(index);
                    try (Arena arena = Arena.ofConfined()) {
                        ByteBuffer buffer = arena.allocate(BLOCK, BLOCK).asByteBuffer();
                        while (System.nanoTime() < deadline) {
                            buffer.clear();
                            channel.read(buffer, random.nextLong(blocks) * BLOCK);
                            counts[index]++;
                        }
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }));
            }
            for (Thread worker : workers) {
                worker.join();
            }
            long nanos = System.nanoTime() - start;
            long ops = java.util.Arrays.stream(counts).sum();
            return new Result(ops * BLOCK, ops, nanos, processCpuNanos() - cpuStart,
                    String.format("%.0f us mean", nanos / 1e3 * threads / ops));
        }
    }

    // ---------------------------------------------------------------- the drive engine

    /** A drive opened with one configuration and driven by this (owner) thread. */
    private final class Engine implements AutoCloseable {
        final Drive drive;
        final DriveIo io;
        final long slotCount;
        final long chunkBytes = DriveLayout.chunkBytes(MIB);
        final long slotsPerRegion = REGION / chunkBytes;
        final Thread owner = Thread.currentThread();
        /** Set while the owner parks, so IO threads only pay for an unpark when it can matter. */
        volatile boolean ownerParked;
        final ArrayDeque<DriveOp> idleOps = new ArrayDeque<>();
        long latencyNanos;
        long bytes;
        long completed;

        Engine(DurabilityMode durability, int ioThreads, int queueDepth, int maxBatch) {
            this(durability, ioThreads, queueDepth, maxBatch, DriveOptions.DEFAULT_HEADER_CACHE_ENTRIES,
                    DriveOptions.DEFAULT_MAX_READ_GAP_BYTES);
        }

        Engine(DurabilityMode durability, int ioThreads, int queueDepth, int maxBatch, int headerCacheEntries, int readGapBytes) {
            drive = Drive.open(driveFile, DriveOptions.forCluster(CLUSTER).withDirectIo(DirectIoMode.REQUIRED)
                    .withDurability(durability).withHeaderCacheEntries(headerCacheEntries).withMaxReadGapBytes(readGapBytes));
            io = new DriveIo(drive, new DriveIoOptions(ioThreads, queueDepth, Math.min(maxBatch, queueDepth), queueDepth,
                    DriveIoOptions.DEFAULT_BUFFER_BYTES, this::wakeOwner));
            slotCount = drive.regionCount() * slotsPerRegion;
            List<IoBuffer> all = new ArrayList<>();
            SplittableRandom random = new SplittableRandom(7);
            for (IoBuffer buffer = io.buffers().acquire(); buffer != null; buffer = io.buffers().acquire()) {
                byte[] noise = new byte[buffer.capacityBytes()];
                random.nextBytes(noise);
                MemorySegment.copy(MemorySegment.ofArray(noise), 0, buffer.segment(), 0, noise.length);
                all.add(buffer);
            }
            all.forEach(IoBuffer::release);
            for (int i = 0; i < queueDepth; i++) {
                idleOps.add(new DriveOp());
            }
        }

        void wakeOwner() {
            if (ownerParked) {
                LockSupport.unpark(owner);
            }
        }

        long slotAddress(long slot) {
            long region = slot / slotsPerRegion;
            return drive.regionOffset(region) + (slot % slotsPerRegion) * chunkBytes;
        }

        Result sequentialWrites(int depth, double limitSeconds, long maxOps) {
            return drive(depth, limitSeconds, maxOps, (op, buffer, i) ->
                    op.write(slotAddress(i % slotCount), i % slotCount, 0, 1, 1, buffer, MIB));
        }

        Result sequentialReads(int depth, double limitSeconds) {
            return drive(depth, limitSeconds, Long.MAX_VALUE, (op, buffer, i) ->
                    op.read(slotAddress(i % slotCount), i % slotCount, 0, 0, MIB, buffer));
        }

        Result randomReads(int depth, double limitSeconds) {
            SplittableRandom random = new SplittableRandom(3);
            return drive(depth, limitSeconds, Long.MAX_VALUE, (op, buffer, i) -> {
                long slot = random.nextLong(slotCount);
                op.read(slotAddress(slot), slot, 0, random.nextInt(MIB / BLOCK) * BLOCK, BLOCK, buffer);
            });
        }

        interface Prepare {
            void prepare(DriveOp op, IoBuffer buffer, long index);
        }

        /** Keeps {@code depth} ops in flight for the time given; parks when nothing completed (woken by the signal). */
        Result drive(int depth, double limitSeconds, long maxOps, Prepare prepare) {
            DriveIoStats before = io.stats();
            latencyNanos = 0;
            bytes = 0;
            completed = 0;
            long submitted = 0;
            long cpuStart = processCpuNanos();
            long start = System.nanoTime();
            long deadline = start + (long) Math.min(limitSeconds * 1e9, Long.MAX_VALUE / 2);
            while (io.inFlight() > 0 || (submitted < maxOps && System.nanoTime() < deadline)) {
                while (io.inFlight() < depth && submitted < maxOps && System.nanoTime() < deadline) {
                    IoBuffer buffer = io.buffers().acquire();
                    DriveOp op = idleOps.poll();
                    prepare.prepare(op, buffer, submitted);
                    op.correlationId = System.nanoTime();
                    if (!io.submit(op)) {
                        throw new IllegalStateException("queue full below its depth");
                    }
                    submitted++;
                }
                if (io.poll(this::completed, depth) == 0) {
                    ownerParked = true;
                    if (!io.hasCompletions()) {
                        LockSupport.parkNanos(1_000_000); // the completion signal wakes it sooner
                    }
                    ownerParked = false;
                }
            }
            long nanos = System.nanoTime() - start;
            DriveIoStats after = io.stats();
            long syncs = after.syncs() - before.syncs();
            long hits = after.headerCacheHits() - before.headerCacheHits();
            long lookups = hits + after.headerCacheMisses() - before.headerCacheMisses();
            String note = String.format("%.0f us mean", latencyNanos / 1e3 / Math.max(1, completed))
                    + (syncs == 0 ? "" : String.format(", %.1f writes/fdatasync, %.0f us each",
                            (double) (after.writes() - before.writes()) / syncs, (after.syncNanos() - before.syncNanos()) / 1e3 / syncs))
                    + (lookups == 0 ? "" : String.format(", header cache hits %.0f%%", 100.0 * hits / lookups));
            return new Result(bytes, completed, nanos, processCpuNanos() - cpuStart, note);
        }

        private void completed(DriveOp op) {
            if (op.status() != ChunkStatus.OK) {
                throw new IllegalStateException("benchmark op failed: " + op);
            }
            latencyNanos += System.nanoTime() - op.correlationId;
            bytes += op.kind() == DriveOp.Kind.WRITE ? MIB : op.dataLength();
            completed++;
            op.buffer().release();
            idleOps.add(op);
        }

        @Override
        public void close() {
            io.close();
            drive.close();
        }
    }
}
