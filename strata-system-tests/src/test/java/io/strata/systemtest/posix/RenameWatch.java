package io.strata.systemtest.posix;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Watches one name while it is replaced by rename again and again: one reader thread per mount
 * reads the whole file in a loop. Atomic replacement means a reader never finds the name missing,
 * never reads a mixture of two versions, and (each read starting after the previous one ended)
 * never reads an older version than it read before.
 */
final class RenameWatch {
    private static final int MAX_REPORTED_FAULTS = 10;

    /** Replaces the watched name with version {@code version}'s content. */
    interface Renamer {
        void replaceWith(int version) throws Exception;
    }

    private final List<Path> views;
    private final long watchMs;
    private final AtomicLong reads = new AtomicLong();
    private final ConcurrentLinkedQueue<String> faults = new ConcurrentLinkedQueue<>();
    private volatile boolean stop;

    /** @param views the watched name through each mount; one reader each */
    RenameWatch(Path viaA, Path viaB, long watchMs) {
        this.views = List.of(viaA, viaB);
        this.watchMs = watchMs;
    }

    long reads() {
        return reads.get();
    }

    /** Renames at least this many times, however slow the machine, so the watch proves something. */
    static final int MIN_RENAMES = 10;

    /**
     * Renames versions 1, 2, ... for the watch time (and at least {@link #MIN_RENAMES} times) while
     * the readers read; answers the last version.
     */
    int run(Renamer renamer) throws Exception {
        List<Thread> readers = new ArrayList<>();
        for (int i = 0; i < views.size(); i++) {
            Path view = views.get(i);
            readers.add(Thread.ofPlatform().name("rename-watch-" + i).start(() -> watch(view)));
        }
        int version = 0;
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(watchMs);
        try {
            while ((System.nanoTime() < deadline || version < MIN_RENAMES) && faults.isEmpty()) {
                renamer.replaceWith(++version);
            }
        } finally {
            stop = true;
            for (Thread reader : readers) {
                reader.join(TimeUnit.SECONDS.toMillis(30));
            }
        }
        if (!faults.isEmpty()) {
            throw new AssertionError("rename is not atomic for readers (" + version + " renames, " + reads()
                    + " reads):\n  " + String.join("\n  ", faults));
        }
        return version;
    }

    private void watch(Path target) {
        int last = 0;
        while (!stop && faults.size() < MAX_REPORTED_FAULTS) {
            try {
                byte[] read = Files.readAllBytes(target);
                reads.incrementAndGet();
                int version = version(read);
                if (version < 0) {
                    fault("read %d bytes through %s that are no complete version", read.length, target);
                } else if (version < last) {
                    fault("read version %d through %s after version %d", version, target, last);
                } else {
                    last = version;
                }
            } catch (NoSuchFileException e) {
                fault("%s was missing (after version %d)", target, last);
            } catch (IOException | RuntimeException e) {
                fault("reading %s failed: %s", target, e);
            }
        }
    }

    private void fault(String format, Object... args) {
        faults.add(String.format(format, args));
    }

    /** Version {@code v}'s bytes: sizes differ between versions, so a mixture shows. */
    static byte[] content(int version) {
        String header = "version " + version + "\n";
        byte[] data = new byte[8192 + (version % 7) * 1500];
        new SplittableRandom(version).nextBytes(data);
        byte[] head = header.getBytes(UTF_8);
        System.arraycopy(head, 0, data, 0, head.length);
        return data;
    }

    /** The version whose complete content {@code read} is, or -1. */
    static int version(byte[] read) {
        String start = new String(read, 0, Math.min(read.length, 24), UTF_8);
        if (!start.startsWith("version ") || start.indexOf('\n') < 0) {
            return -1;
        }
        int version;
        try {
            version = Integer.parseInt(start.substring(8, start.indexOf('\n')));
        } catch (NumberFormatException e) {
            return -1;
        }
        return Arrays.equals(read, content(version)) ? version : -1;
    }
}
