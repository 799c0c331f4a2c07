package io.strata.systemtest.posix;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeSet;

/**
 * A seeded random workload over a few files, every result checked against an in-memory model.
 *
 * <p>Each operation (write, read, truncate, rename, unlink, open or close of a long-lived handle)
 * goes through one of two directories chosen at random: the same directory seen through two
 * mounts of one file system (or one path twice). Writes have random offsets, some beyond the end
 * of file (holes), and sizes from 1 byte to 2 MiB, spread evenly over their logarithm so that
 * small writes are common and large ones happen. Renames move files among a small set of names,
 * replacing what is there. Handles stay open across operations: they follow their file through
 * renames and keep it after its name is gone, and writes through them are read through new
 * opens on the other mount. Every read is compared with the model; every
 * {@link Options#verifyEveryOps()} operations each file is read whole and the directory listed
 * through both mounts.
 *
 * <p>Everything chosen comes from one {@link SplittableRandom} seeded by the caller and depends
 * only on earlier choices, so a seed replays the same operations. A disagreement throws an
 * {@link ExerciserFailure} naming the seed, the operation, the first differing offset and the
 * last operations; it is also printed to stderr.
 */
public final class FsExerciser {
    private static final int MIB = 1 << 20;
    private static final Path[] NONE = new Path[0];

    /**
     * @param fileNames names files move among (f0, f1, ...)
     * @param maxFileBytes no write or truncate reaches past this (at most 1 GiB: the model holds it)
     * @param maxWriteBytes the largest write
     * @param maxReadBytes the largest read
     * @param maxOpenHandles long-lived handles open at once
     * @param verifyEveryOps operations between full comparisons of files and listings
     * @param logTailOps operations shown when something disagrees
     */
    public record Options(int fileNames, long maxFileBytes, int maxWriteBytes, int maxReadBytes, int maxOpenHandles,
            int verifyEveryOps, int logTailOps) {
        public Options {
            if (fileNames < 1 || maxFileBytes < 1 || maxFileBytes > 1L << 30 || maxWriteBytes < 1
                    || maxReadBytes < 1 || maxOpenHandles < 0 || verifyEveryOps < 1 || logTailOps < 1) {
                throw new IllegalArgumentException("exerciser options " + fileNames + " names, " + maxFileBytes
                        + " max file bytes, " + maxWriteBytes + " max write bytes, " + maxReadBytes
                        + " max read bytes, " + maxOpenHandles + " handles, verify every " + verifyEveryOps
                        + ", log tail " + logTailOps + ": all must be positive, max file bytes at most 1 GiB");
            }
        }

        public static Options defaults() {
            return new Options(4, 6L * MIB, 2 * MIB, 2 * MIB, 3, 200, 50);
        }
    }

    public enum Kind {
        WRITE(30), READ(30), TRUNCATE(10), RENAME(12), UNLINK(3), OPEN(8), CLOSE(7), VERIFY(0);

        private final int weight;

        Kind(int weight) {
            this.weight = weight;
        }
    }

    /** What a run did. */
    public record Report(long seed, int operations, Map<Kind, Integer> counts, long bytesWritten, long bytesRead,
            long elapsedMs) {
        @Override
        public String toString() {
            return String.format("FsExerciser seed %d: %d operations in %.1f s %s, %.1f MiB written, %.1f MiB read",
                    seed, operations, elapsedMs / 1000.0, counts, bytesWritten / (double) MIB,
                    bytesRead / (double) MIB);
        }
    }

    /** A disagreement between the file system and the model, or an operation that failed. */
    public static final class ExerciserFailure extends AssertionError {
        private final long seed;
        private final int operation;

        ExerciserFailure(String message, long seed, int operation, Throwable cause) {
            super(message, cause);
            this.seed = seed;
            this.operation = operation;
        }

        public long seed() {
            return seed;
        }

        public int operation() {
            return operation;
        }
    }

    private final Path dirA;
    private final Path dirB;
    private final Options options;

    /** Exercises {@code dirA} and {@code dirB}: one empty directory seen through two mounts (or one path twice). */
    public FsExerciser(Path dirA, Path dirB, Options options) {
        this.dirA = dirA;
        this.dirB = dirB;
        this.options = options;
    }

    public FsExerciser(Path dirA, Path dirB) {
        this(dirA, dirB, Options.defaults());
    }

    /**
     * Runs {@code operations} random operations chosen by {@code seed}, then removes its files.
     * Throws {@link ExerciserFailure} on any disagreement or failed operation.
     */
    public Report run(long seed, int operations) {
        if (operations < 1) {
            throw new IllegalArgumentException("operations " + operations + " must be positive");
        }
        try {
            if (!Files.isDirectory(dirA) || !Files.isDirectory(dirB) || list(dirA).length > 0) {
                throw new IllegalArgumentException("the exerciser needs an empty directory seen through two mounts; "
                        + dirA + " and " + dirB + " are not");
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot list " + dirA + ": " + e.getMessage(), e);
        }
        return new Run(seed, operations).execute();
    }

    private static Path[] list(Path dir) throws IOException {
        List<Path> entries = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir)) {
            stream.forEach(entries::add);
        }
        return entries.toArray(NONE);
    }

    /** A channel kept open across operations, on the file (inode) it was opened on. */
    private record Handle(int id, int side, FileChannel channel, ExerciserModel.File file, String openedAs) {
        String label() {
            return "handle#" + id + "(" + openedAs + "," + "AB".charAt(side) + ")";
        }
    }

    /** One run's state: the random source, the model, open handles, the log tail. Single-threaded. */
    private final class Run {
        private final long seed;
        private final int operations;
        private final SplittableRandom random;
        private final ExerciserModel model = new ExerciserModel();
        private final List<Handle> handles = new ArrayList<>();
        private final ArrayDeque<String> log = new ArrayDeque<>();
        private final Map<Kind, Integer> counts = new EnumMap<>(Kind.class);
        private int index;
        private int nextHandleId = 1;
        private long bytesWritten;
        private long bytesRead;

        Run(long seed, int operations) {
            this.seed = seed;
            this.operations = operations;
            this.random = new SplittableRandom(seed);
        }

        Report execute() {
            long started = System.nanoTime();
            try {
                for (index = 1; index <= operations; index++) {
                    step(pickKind());
                    if (index % options.verifyEveryOps() == 0 || index == operations) {
                        step(Kind.VERIFY);
                    }
                }
                index = operations;
                cleanUp();
            } catch (ExerciserFailure e) {
                closeQuietly();
                System.err.println(e.getMessage());
                throw e;
            } catch (IOException | RuntimeException e) {
                closeQuietly();
                ExerciserFailure failure = failure("the operation failed: " + e, e);
                System.err.println(failure.getMessage());
                throw failure;
            }
            return new Report(seed, operations, counts, bytesWritten, bytesRead,
                    (System.nanoTime() - started) / 1_000_000);
        }

        private Kind pickKind() {
            int total = Arrays.stream(Kind.values()).mapToInt(k -> k.weight).sum();
            int roll = random.nextInt(total);
            for (Kind kind : Kind.values()) {
                roll -= kind.weight;
                if (roll < 0) {
                    return kind;
                }
            }
            throw new IllegalStateException("weights sum to " + total);
        }

        /** Runs one operation; some fall back to another kind when the state does not allow them. */
        private void step(Kind wanted) throws IOException {
            Kind kind = feasible(wanted);
            counts.merge(kind, 1, Integer::sum);
            switch (kind) {
                case WRITE -> write();
                case READ -> read();
                case TRUNCATE -> truncate();
                case RENAME -> rename();
                case UNLINK -> unlink();
                case OPEN -> open();
                case CLOSE -> close();
                case VERIFY -> verify();
            }
        }

        private Kind feasible(Kind wanted) {
            boolean noFiles = model.isEmpty() && handles.isEmpty();
            return switch (wanted) {
                case READ, TRUNCATE -> noFiles ? Kind.WRITE : wanted;
                case RENAME, UNLINK, OPEN -> model.isEmpty() ? Kind.WRITE
                        : wanted == Kind.OPEN && handles.size() >= options.maxOpenHandles() ? Kind.CLOSE : wanted;
                case CLOSE -> handles.isEmpty() ? (model.isEmpty() ? Kind.WRITE : Kind.OPEN) : wanted;
                default -> wanted;
            };
        }

        // ---- operations ----

        private void write() throws IOException {
            int side = random.nextInt(2);
            Handle handle = pickHandle(3);
            String name = handle == null ? "f" + random.nextInt(options.fileNames()) : null;
            ExerciserModel.File file = handle != null ? handle.file() : model.get(name);
            int size = file == null ? 0 : file.size();
            long offset = writeOffset(size);
            int length = (int) Math.min(logUniform(options.maxWriteBytes()), options.maxFileBytes() - offset);
            byte[] data = new byte[length];
            random.nextBytes(data);
            String target = handle != null ? handle.label() : name + " through " + "AB".charAt(side);
            note("WRITE %s @%d+%d (size %d)", target, offset, length, size);
            if (handle != null) {
                writeFully(handle.channel(), offset, data);
            } else {
                try (FileChannel channel = FileChannel.open(path(side, name), StandardOpenOption.CREATE,
                        StandardOpenOption.WRITE)) {
                    writeFully(channel, offset, data);
                }
                if (file == null) {
                    file = model.create(name);
                }
            }
            file.write(offset, data);
            bytesWritten += length;
        }

        /** At the end of file, inside it, or beyond it (a hole); always below the file size limit. */
        private long writeOffset(int size) {
            long offset = switch (random.nextInt(4)) {
                case 0 -> size;
                case 1, 2 -> random.nextLong(size + 1L);
                default -> size + 1 + random.nextLong(4L * MIB);
            };
            return offset < options.maxFileBytes() ? offset : random.nextLong(options.maxFileBytes());
        }

        private void read() throws IOException {
            int side = random.nextInt(2);
            Handle handle = pickHandleForExistingFile();
            String name = handle == null ? pickName() : null;
            ExerciserModel.File file = handle != null ? handle.file() : model.get(name);
            long offset = random.nextLong(file.size() + 64L * 1024 + 1);
            int length = (int) logUniform(options.maxReadBytes());
            String target = handle != null ? handle.label() : name + " through " + "AB".charAt(side);
            note("READ %s @%d+%d (size %d)", target, offset, length, file.size());
            byte[] actual;
            if (handle != null) {
                actual = readFully(handle.channel(), offset, length);
            } else {
                try (FileChannel channel = FileChannel.open(path(side, name), StandardOpenOption.READ)) {
                    actual = readFully(channel, offset, length);
                }
            }
            compare("READ " + target, offset, file.read(offset, length), actual);
            bytesRead += actual.length;
        }

        private void truncate() throws IOException {
            int side = random.nextInt(2);
            Handle handle = pickHandleForExistingFile();
            String name = handle == null ? pickName() : null;
            ExerciserModel.File file = handle != null ? handle.file() : model.get(name);
            int size = file.size();
            boolean grow = size == 0 || (size < options.maxFileBytes() && random.nextBoolean());
            long newSize = grow ? size + 1 + random.nextLong(Math.min(3L * MIB, options.maxFileBytes() - size))
                    : random.nextLong(size);
            if (handle != null && grow) {
                // FileChannel.truncate only shrinks: grow through the file's name, or (unlinked) keep the size
                name = nameOf(file);
                if (name != null) {
                    handle = null;
                } else {
                    newSize = size;
                }
            }
            String target = handle != null ? handle.label() : name + " through " + "AB".charAt(side);
            note("TRUNCATE %s to %d (size %d)", target, newSize, size);
            if (handle != null) {
                handle.channel().truncate(newSize);
            } else {
                try (RandomAccessFile raf = new RandomAccessFile(path(side, name).toFile(), "rw")) {
                    raf.setLength(newSize);
                }
            }
            file.truncate(newSize);
        }

        private void rename() throws IOException {
            int side = random.nextInt(2);
            String from = pickName();
            String to = "f" + random.nextInt(options.fileNames());
            note("RENAME %s to %s through %s%s", from, to, "AB".charAt(side),
                    model.get(to) != null && !from.equals(to) ? " (replacing)" : "");
            Files.move(path(side, from), path(side, to), StandardCopyOption.ATOMIC_MOVE);
            model.rename(from, to);
        }

        private void unlink() throws IOException {
            int side = random.nextInt(2);
            String name = pickName();
            note("UNLINK %s through %s", name, "AB".charAt(side));
            Files.delete(path(side, name));
            model.unlink(name);
        }

        private void open() throws IOException {
            int side = random.nextInt(2);
            String name = pickName();
            int id = nextHandleId++;
            note("OPEN handle#%d(%s,%s)", id, name, "AB".charAt(side));
            FileChannel channel = FileChannel.open(path(side, name), StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
            handles.add(new Handle(id, side, channel, model.get(name), name));
        }

        private void close() throws IOException {
            Handle handle = handles.remove(random.nextInt(handles.size()));
            note("CLOSE %s", handle.label());
            handle.channel().close();
        }

        /** Every file read whole, sizes and listings through both mounts, every handle's size. */
        private void verify() throws IOException {
            note("VERIFY %d names, %d handles", model.names().size(), handles.size());
            for (int side = 0; side < 2; side++) {
                TreeSet<String> listed = new TreeSet<>();
                for (Path entry : list(side == 0 ? dirA : dirB)) {
                    listed.add(entry.getFileName().toString());
                }
                if (!listed.equals(model.names().keySet())) {
                    throw failure("the listing through " + "AB".charAt(side) + " is " + listed + ", expected "
                            + model.names().keySet(), null);
                }
            }
            for (Map.Entry<String, ExerciserModel.File> entry : model.names().entrySet()) {
                int side = random.nextInt(2);
                for (int s = 0; s < 2; s++) {
                    long size = Files.size(path(s, entry.getKey()));
                    if (size != entry.getValue().size()) {
                        throw failure(entry.getKey() + " through " + "AB".charAt(s) + " has size " + size
                                + ", expected " + entry.getValue().size(), null);
                    }
                }
                byte[] actual = Files.readAllBytes(path(side, entry.getKey()));
                compare(entry.getKey() + " read whole through " + "AB".charAt(side), 0, entry.getValue().all(), actual);
                bytesRead += actual.length;
            }
            for (Handle handle : handles) {
                if (handle.channel().size() != handle.file().size()) {
                    throw failure(handle.label() + " has size " + handle.channel().size() + ", expected "
                            + handle.file().size(), null);
                }
            }
        }

        private void cleanUp() throws IOException {
            for (Handle handle : handles) {
                handle.channel().close();
            }
            handles.clear();
            for (String name : List.copyOf(model.names().keySet())) {
                Files.delete(path(0, name));
                model.unlink(name);
            }
        }

        private void closeQuietly() {
            for (Handle handle : handles) {
                try {
                    handle.channel().close();
                } catch (IOException e) {
                    // the run has failed already; that failure is the one to report
                }
            }
        }

        // ---- choices ----

        /** A random handle with probability 1/{@code oneIn} when any is open, else null. */
        private Handle pickHandle(int oneIn) {
            if (handles.isEmpty() || random.nextInt(oneIn) != 0) {
                return null;
            }
            return handles.get(random.nextInt(handles.size()));
        }

        /** For an operation on an existing file: a handle when no file has a name, else sometimes one. */
        private Handle pickHandleForExistingFile() {
            return model.isEmpty() ? handles.get(random.nextInt(handles.size())) : pickHandle(3);
        }

        private String pickName() {
            List<String> names = List.copyOf(model.names().keySet());
            return names.get(random.nextInt(names.size()));
        }

        private String nameOf(ExerciserModel.File file) {
            return model.names().entrySet().stream().filter(e -> e.getValue() == file).map(Map.Entry::getKey)
                    .findFirst().orElse(null);
        }

        /** 1 to {@code max}, evenly spread over the logarithm. */
        private long logUniform(int max) {
            long value = Math.round(Math.exp(random.nextDouble() * Math.log(max)));
            return Math.clamp(value, 1, max);
        }

        private Path path(int side, String name) {
            return (side == 0 ? dirA : dirB).resolve(name);
        }

        // ---- checking and reporting ----

        private void compare(String what, long offset, byte[] expected, byte[] actual) {
            int differs = Arrays.mismatch(expected, actual);
            if (differs < 0) {
                return;
            }
            String detail = differs < Math.min(expected.length, actual.length)
                    ? String.format("expected 0x%02x, read 0x%02x", expected[differs] & 0xff, actual[differs] & 0xff)
                    : "one side ends there";
            throw failure(String.format("%s @%d: first difference at file offset %d (%s); read %d bytes, expected %d",
                    what, offset, offset + differs, detail, actual.length, expected.length), null);
        }

        private void note(String format, Object... args) {
            if (log.size() == options.logTailOps()) {
                log.removeFirst();
            }
            log.addLast("#" + index + " " + String.format(format, args));
        }

        private ExerciserFailure failure(String what, Throwable cause) {
            String message = "FsExerciser seed " + seed + " disagrees at operation " + index + " of " + operations
                    + ": " + what + "\n  directories: A=" + dirA + " B=" + dirB
                    + "\n  replay: new FsExerciser(A, B, " + options + ").run(" + seed + "L, " + operations + ")"
                    + "\n  last " + log.size() + " operations:\n    " + String.join("\n    ", log);
            return new ExerciserFailure(message, seed, index, cause);
        }
    }

    private static void writeFully(FileChannel channel, long position, byte[] data) throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap(data);
        long at = position;
        while (buffer.hasRemaining()) {
            at += channel.write(buffer, at);
        }
    }

    private static byte[] readFully(FileChannel channel, long position, int length) throws IOException {
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

    /** By hand: {@code FsExerciser <dirA> <dirB> <seed> <operations>}; exits 1 on a disagreement. */
    public static void main(String[] args) {
        if (args.length != 4) {
            System.err.println("usage: FsExerciser <empty dir through mount A> <same dir through mount B> <seed> "
                    + "<operations>");
            System.exit(2);
        }
        try {
            Report report = new FsExerciser(Path.of(args[0]), Path.of(args[1]))
                    .run(Long.parseLong(args[2]), Integer.parseInt(args[3]));
            System.out.println(report);
        } catch (ExerciserFailure e) {
            System.exit(1);
        }
    }
}
