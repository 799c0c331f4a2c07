package io.strata.systemtest.posix;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInfo;

/**
 * What every part of the POSIX suite shares: the mounts it is pointed at, a fresh work directory
 * per test, and small helpers that read and write exactly.
 *
 * <p>A subclass names two mount points of one file system ({@link #mountA()}, {@link #mountB()};
 * both may be the same path, then the cross-mount checks check one mount against itself). Each
 * test runs in its own directory created through A, so the suite needs no empty file system and
 * tests never see each other's files; B sees the same directory under the same relative name.
 */
public abstract class PosixSuiteBase {
    private static final AtomicLong WORK_DIRS = new AtomicLong();

    /** The work directory of the running test, through mount A and through mount B. */
    private Path workA;
    private Path workB;

    /** A mount point of the file system under test. */
    protected abstract Path mountA();

    /** Another mount point of the same file system (or {@link #mountA()} again). */
    protected abstract Path mountB();

    /** Entries of the large-directory check ({@code -Dstrata.posix.bigDirectoryEntries}); fewer for a slow FS. */
    protected int bigDirectoryEntries() {
        return Integer.getInteger("strata.posix.bigDirectoryEntries", 100_000);
    }

    /** Threads creating and deleting the large directory's entries. */
    protected int bigDirectoryThreads() {
        return 8;
    }

    /** Operations of each run of {@link FsExerciser} ({@code -Dstrata.posix.operations} for a longer run by hand). */
    protected int exerciserOperations() {
        return Integer.getInteger("strata.posix.operations", 3_000);
    }

    /** How long the concurrent reader of the atomic-rename check watches. */
    protected long renameWatchMs() {
        return 2_000;
    }

    @BeforeEach
    void createWorkDirectory(TestInfo test) throws IOException {
        assertThat(mountA()).as("mount A").isDirectory();
        assertThat(mountB()).as("mount B").isDirectory();
        String name = "posix-" + test.getTestMethod().map(m -> m.getName()).orElse("test") + "-"
                + ProcessHandle.current().pid() + "-" + WORK_DIRS.incrementAndGet();
        workA = Files.createDirectory(mountA().resolve(name));
        Files.setPosixFilePermissions(workA, PosixFilePermissions.fromString("rwxr-xr-x"));
        workB = mountB().resolve(name);
        assertThat(workB).as("mount B must show the directory just created through mount A: are %s and %s "
                + "mounts of one file system?", mountA(), mountB()).isDirectory();
    }

    @AfterEach
    void removeWorkDirectory() {
        if (workA != null && Files.exists(workA, LinkOption.NOFOLLOW_LINKS)) {
            deleteRecursively(workA);
        }
    }

    /** {@code relative} in this test's work directory, through mount A. */
    protected Path a(String relative) {
        return workA.resolve(relative);
    }

    /** {@code relative} in this test's work directory, through mount B. */
    protected Path b(String relative) {
        return workB.resolve(relative);
    }

    protected Path workA() {
        return workA;
    }

    protected Path workB() {
        return workB;
    }

    /** Runs a tool in the work directory (through A); fails with its error output if it fails. */
    protected String sh(String... command) {
        return Shell.ok(workA, command);
    }

    protected Shell.Result shRun(String... command) {
        return Shell.run(workA, command);
    }

    // ---- data ----

    /** {@code length} bytes that depend on {@code seed}: distinct data for each write, never all zeros. */
    protected static byte[] pattern(long seed, int length) {
        byte[] data = new byte[length];
        new SplittableRandom(seed).nextBytes(data);
        for (int i = 0; i < length; i += 4096) {
            data[i] |= 1; // no block of it reads as a hole by accident
        }
        return data;
    }

    protected static void writeFully(FileChannel channel, long position, byte[] data) throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap(data);
        long at = position;
        while (buffer.hasRemaining()) {
            at += channel.write(buffer, at);
        }
    }

    /** Writes {@code data} at {@code position} of {@code file} through a new channel, closed afterwards. */
    protected static void writeAt(Path file, long position, byte[] data, OpenOption... extra) throws IOException {
        Set<OpenOption> options = new HashSet<>(List.of(extra));
        options.add(StandardOpenOption.WRITE);
        try (FileChannel channel = FileChannel.open(file, options)) {
            writeFully(channel, position, data);
        }
    }

    /** Up to {@code length} bytes at {@code position}: fewer only where the file ends. */
    protected static byte[] readFully(FileChannel channel, long position, int length) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(length);
        long at = position;
        while (buffer.hasRemaining()) {
            int n = channel.read(buffer, at);
            if (n < 0) {
                break;
            }
            at += n;
        }
        return Arrays.copyOf(buffer.array(), buffer.position());
    }

    /** Up to {@code length} bytes at {@code position} of {@code file}, through a new channel. */
    protected static byte[] readAt(Path file, long position, int length) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            return readFully(channel, position, length);
        }
    }

    /** Fails naming the first differing offset (AssertJ would print both arrays whole). */
    protected static void assertBytes(byte[] actual, byte[] expected, String description, Object... args) {
        int differs = Arrays.mismatch(actual, expected);
        if (differs < 0) {
            return;
        }
        String detail = differs < Math.min(actual.length, expected.length)
                ? String.format("read 0x%02x, expected 0x%02x", actual[differs] & 0xff, expected[differs] & 0xff)
                : "one of them ends there";
        throw new AssertionError(String.format(description, args) + ": read " + actual.length + " bytes, expected "
                + expected.length + "; first difference at offset " + differs + " (" + detail + ")");
    }

    /** Fails naming the first byte that is not zero. */
    protected static void assertZeros(byte[] actual, String description) {
        for (int i = 0; i < actual.length; i++) {
            if (actual[i] != 0) {
                throw new AssertionError(description + ": " + actual.length + " bytes must read as zeros; offset " + i
                        + " holds 0x" + Integer.toHexString(actual[i] & 0xff));
            }
        }
    }

    /** Fails naming what is missing and what is extra (AssertJ would print 100,000 names). */
    protected static void assertNames(Set<String> actual, Set<String> expected, String description) {
        Set<String> missing = new TreeSet<>(expected);
        missing.removeAll(actual);
        Set<String> extra = new TreeSet<>(actual);
        extra.removeAll(expected);
        if (!missing.isEmpty() || !extra.isEmpty()) {
            throw new AssertionError(description + ": " + actual.size() + " names, expected " + expected.size()
                    + "; missing " + missing.size() + " " + missing.stream().limit(10).toList() + ", unexpected "
                    + extra.size() + " " + extra.stream().limit(10).toList());
        }
    }

    /**
     * Runs {@code tasks} at once, each on its own platform thread (the common pool may have one
     * thread on a small machine, and the tasks wait for each other), and rethrows the first failure.
     */
    protected static void concurrently(List<Callable<?>> tasks) throws Exception {
        ExecutorService executor = Executors.newFixedThreadPool(tasks.size());
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (Callable<?> task : tasks) {
                futures.add(executor.submit(task));
            }
            for (Future<?> future : futures) {
                try {
                    future.get();
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof Exception cause) {
                        throw cause;
                    }
                    throw (Error) e.getCause();
                }
            }
        } finally {
            executor.shutdownNow();
        }
    }

    // ---- attributes ----

    protected static int nlink(Path path) throws IOException {
        return (Integer) Files.getAttribute(path, "unix:nlink", LinkOption.NOFOLLOW_LINKS);
    }

    protected static long inode(Path path) throws IOException {
        return (Long) Files.getAttribute(path, "unix:ino", LinkOption.NOFOLLOW_LINKS);
    }

    protected static int mode(Path path) throws IOException {
        return (Integer) Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS);
    }

    protected static int uid(Path path) throws IOException {
        return (Integer) Files.getAttribute(path, "unix:uid", LinkOption.NOFOLLOW_LINKS);
    }

    protected static int gid(Path path) throws IOException {
        return (Integer) Files.getAttribute(path, "unix:gid", LinkOption.NOFOLLOW_LINKS);
    }

    /** Deletes a tree (symlinks themselves, never their targets); a file already gone is no error. */
    protected static void deleteRecursively(Path root) {
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.deleteIfExists(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                    if (e instanceof NoSuchFileException) {
                        return FileVisitResult.CONTINUE;
                    }
                    throw e;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                    if (e != null && !(e instanceof NoSuchFileException)) {
                        throw e;
                    }
                    Files.deleteIfExists(dir);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove the work directory " + root, e);
        }
    }
}
