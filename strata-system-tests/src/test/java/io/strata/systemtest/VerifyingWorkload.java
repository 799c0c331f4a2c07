package io.strata.systemtest;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Keeps IO flowing while a test does something to the cluster: writes a file through one mount
 * (and fsyncs it), reads it back through another, compares every byte, again and again. It
 * records every error and every pause, with when it happened, so a test can say which step of an
 * upgrade caused the longest one.
 */
final class VerifyingWorkload implements AutoCloseable {
    record Stall(long startMillis, long durationMillis) {
    }

    private final Path writeDir;
    private final Path readDir;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final List<String> errors = new ArrayList<>();
    private final List<Stall> operations = new ArrayList<>();
    private final Thread thread;
    private long verifiedBytes;

    VerifyingWorkload(Path mountA, Path mountB, String name, long seed) throws IOException {
        this.writeDir = Files.createDirectories(mountA.resolve(name));
        this.readDir = mountB.resolve(name);
        this.thread = Thread.ofPlatform().name("workload-" + name).start(() -> run(seed));
    }

    private void run(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int index = 0;
        while (running.get()) {
            byte[] data = new byte[256 * 1024 + random.nextInt(768 * 1024)];
            random.nextBytes(data);
            String file = "f" + (index++ % 32);
            long start = System.currentTimeMillis();
            try {
                try (FileChannel channel = FileChannel.open(writeDir.resolve(file), StandardOpenOption.CREATE,
                        StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                    ByteBuffer buffer = ByteBuffer.wrap(data);
                    while (buffer.hasRemaining()) {
                        channel.write(buffer);
                    }
                    channel.force(true);
                }
                byte[] back = Files.readAllBytes(readDir.resolve(file));
                if (!java.util.Arrays.equals(back, data)) {
                    record("content of " + file + " differs at byte " + java.util.Arrays.mismatch(back, data) + " (" + back.length
                            + " bytes read, " + data.length + " written)");
                } else {
                    synchronized (this) {
                        verifiedBytes += data.length;
                    }
                }
            } catch (IOException | RuntimeException e) {
                record(file + ": " + e);
            }
            synchronized (this) {
                operations.add(new Stall(start, System.currentTimeMillis() - start));
            }
        }
    }

    private synchronized void record(String error) {
        errors.add(System.currentTimeMillis() + " " + error);
    }

    synchronized List<String> errors() {
        return List.copyOf(errors);
    }

    synchronized int operations() {
        return operations.size();
    }

    synchronized long verifiedBytes() {
        return verifiedBytes;
    }

    /** The longest operation that started in {@code [fromMillis, toMillis)}, in milliseconds. */
    synchronized long longestPause(long fromMillis, long toMillis) {
        return operations.stream().filter(s -> s.startMillis() >= fromMillis && s.startMillis() < toMillis)
                .mapToLong(Stall::durationMillis).max().orElse(0);
    }

    @Override
    public void close() throws InterruptedException {
        running.set(false);
        thread.join(120_000);
    }
}
