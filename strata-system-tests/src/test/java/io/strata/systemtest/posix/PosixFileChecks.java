package io.strata.systemtest.posix;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

/**
 * Regular files: open, read, write and close; O_APPEND, O_EXCL and O_TRUNC; truncate growing and
 * shrinking; holes; offsets past 4 GiB; fsync; shared and private mmap; unlinked open files; statfs.
 */
public abstract class PosixFileChecks extends PosixSuiteBase {
    private static final long GIB = 1L << 30;
    private static final int MIB = 1 << 20;

    @Test
    void createWriteReadAndCloseAFile() throws IOException {
        byte[] first = pattern(1, 1);
        byte[] second = pattern(2, 4096 + 7);
        byte[] third = pattern(3, 3 * MIB + 13); // spans several FUSE-sized requests
        try (FileChannel channel = FileChannel.open(a("f"), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            for (byte[] part : List.of(first, second, third)) {
                ByteBuffer buffer = ByteBuffer.wrap(part);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
            }
            assertThat(channel.position()).isEqualTo(first.length + second.length + third.length);
            assertThat(channel.size()).isEqualTo(channel.position());
        }
        byte[] all = concat(first, second, third);
        assertThat(Files.size(a("f"))).isEqualTo(all.length);
        assertBytes(Files.readAllBytes(a("f")), all, "content");
        assertBytes(readAt(a("f"), 5000, 100), Arrays.copyOfRange(all, 5000, 5100), "content");
        try (FileChannel channel = FileChannel.open(a("f"), StandardOpenOption.READ)) {
            assertThat(channel.read(ByteBuffer.allocate(10), all.length)).as("read at end of file").isEqualTo(-1);
            assertBytes(readFully(channel, all.length - 3, 100), Arrays.copyOfRange(all, all.length - 3, all.length),
                    "read across end of file");
        }
        byte[] patch = pattern(4, 10_000);
        writeAt(a("f"), 2 * MIB - 5000, patch); // no O_TRUNC: the rest stays
        System.arraycopy(patch, 0, all, 2 * MIB - 5000, patch.length);
        assertBytes(Files.readAllBytes(a("f")), all, "content");
        assertBytes(Files.readAllBytes(b("f")), all, "through mount B");
        assertThatThrownBy(() -> Files.readAllBytes(a("missing"))).isInstanceOf(NoSuchFileException.class);
    }

    @Test
    void createWithoutExclusiveOpensAnExistingFileUnchanged() throws IOException {
        Files.write(a("f"), pattern(5, 1000));
        try (FileChannel channel = FileChannel.open(a("f"), StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            assertThat(channel.size()).isEqualTo(1000);
        }
        assertBytes(Files.readAllBytes(a("f")), pattern(5, 1000), "content");
    }

    @Test
    void exclusiveCreateOfAnExistingNameFails() throws IOException {
        Files.write(a("f"), pattern(6, 100));
        Files.createDirectory(a("d"));
        assertThatThrownBy(() -> FileChannel.open(a("f"), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE))
                .isInstanceOf(FileAlreadyExistsException.class);
        assertThatThrownBy(() -> FileChannel.open(b("f"), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE))
                .as("through mount B").isInstanceOf(FileAlreadyExistsException.class);
        assertThatThrownBy(() -> Files.createFile(a("d"))).isInstanceOf(FileAlreadyExistsException.class);
        assertThatThrownBy(() -> Files.createDirectory(a("f"))).isInstanceOf(FileAlreadyExistsException.class);
        assertBytes(Files.readAllBytes(a("f")), pattern(6, 100), "left untouched");
        Files.delete(a("f"));
        try (FileChannel channel = FileChannel.open(b("f"), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            assertThat(channel.size()).as("a fresh file once the name is free").isZero();
        }
    }

    @Test
    void exclusiveCreatesRacingThroughTwoMountsHaveOneWinner() throws Exception {
        int rounds = 200;
        CyclicBarrier start = new CyclicBarrier(2);
        AtomicIntegerArray wins = new AtomicIntegerArray(2);
        List<Callable<?>> racers = new ArrayList<>();
        for (int side = 0; side < 2; side++) {
            int racer = side;
            racers.add(() -> {
                for (int i = 0; i < rounds; i++) {
                    Path name = racer == 0 ? a("race-" + i) : b("race-" + i);
                    start.await();
                    try (FileChannel channel = FileChannel.open(name, StandardOpenOption.CREATE_NEW,
                            StandardOpenOption.WRITE)) {
                        writeFully(channel, 0, new byte[] {(byte) ('A' + racer)});
                        wins.incrementAndGet(racer);
                    } catch (FileAlreadyExistsException e) {
                        // the other racer created it first
                    }
                }
                return null;
            });
        }
        concurrently(racers);
        assertThat(wins.get(0) + wins.get(1)).as("creators that won (A %d, B %d) of %d races", wins.get(0),
                wins.get(1), rounds).isEqualTo(rounds);
        assertThat(Files.size(b("race-0"))).as("the winner's byte").isEqualTo(1);
    }

    @Test
    void openWithTruncateEmptiesTheFile() throws IOException {
        Files.write(a("f"), pattern(7, 2 * MIB));
        try (FileChannel channel = FileChannel.open(a("f"), StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            assertThat(channel.size()).isZero();
            assertThat(Files.size(b("f"))).as("empty through mount B before anything is written").isZero();
            writeFully(channel, 0, "short".getBytes(UTF_8));
        }
        assertThat(Files.readString(a("f"))).isEqualTo("short");
        try (FileChannel channel = FileChannel.open(b("f"), StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            assertThat(channel.size()).isZero();
        }
        assertThat(Files.size(a("f"))).isZero();
    }

    @Test
    void appendWritesAtTheEndOfFile() throws IOException {
        Files.writeString(a("log"), "abc");
        Files.writeString(a("log"), "def", StandardOpenOption.APPEND);
        try (FileChannel appender = FileChannel.open(a("log"), StandardOpenOption.APPEND)) {
            writeFully(appender, "ghi".getBytes(UTF_8));
            // the file grows behind the appender's back, through the other mount
            writeAt(b("log"), 100, "XY".getBytes(UTF_8));
            writeFully(appender, "jk".getBytes(UTF_8));
            assertThat(appender.size()).isEqualTo(104);
        }
        byte[] expected = new byte[104];
        System.arraycopy("abcdefghi".getBytes(UTF_8), 0, expected, 0, 9);
        System.arraycopy("XYjk".getBytes(UTF_8), 0, expected, 100, 4);
        assertBytes(Files.readAllBytes(a("log")), expected, "content");
    }

    private static void writeFully(FileChannel appender, byte[] data) throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap(data);
        while (buffer.hasRemaining()) {
            appender.write(buffer);
        }
    }

    @Test
    void twoAppendersNeitherLoseNorTearRecords() throws Exception {
        int recordBytes = 64;
        int recordsEach = 400;
        Files.createFile(a("log"));
        CyclicBarrier start = new CyclicBarrier(2);
        concurrently(List.of(() -> append(a("log"), 'A', recordsEach, recordBytes, start),
                () -> append(b("log"), 'B', recordsEach, recordBytes, start)));
        byte[] all = Files.readAllBytes(a("log"));
        assertThat(all.length).as("bytes appended by both").isEqualTo(2 * recordsEach * recordBytes);
        int[] next = new int[2];
        for (int at = 0; at < all.length; at += recordBytes) {
            String record = new String(all, at, recordBytes, UTF_8);
            int who = record.charAt(0) - 'A';
            assertThat(who).as("record at %d: %s", at, record).isIn(0, 1);
            assertThat(record).as("record at %d", at).isEqualTo(record(record.charAt(0), next[who], recordBytes));
            next[who]++;
        }
        assertThat(next).containsExactly(recordsEach, recordsEach);
    }

    private static String record(char who, int index, int recordBytes) {
        String head = who + " record " + index + " ";
        return head + ".".repeat(recordBytes - head.length() - 1) + "\n";
    }

    private static Void append(Path file, char who, int records, int recordBytes, CyclicBarrier start)
            throws Exception {
        try (FileChannel appender = FileChannel.open(file, StandardOpenOption.APPEND)) {
            start.await();
            for (int i = 0; i < records; i++) {
                ByteBuffer buffer = ByteBuffer.wrap(record(who, i, recordBytes).getBytes(UTF_8));
                assertThat(appender.write(buffer)).as("one write(2) per record").isEqualTo(recordBytes);
            }
        }
        return null;
    }

    @Test
    void truncateShrinksAndGrowsWithZeros() throws IOException {
        byte[] data = pattern(8, 200_000);
        Files.write(a("f"), data);
        try (RandomAccessFile file = new RandomAccessFile(a("f").toFile(), "rw")) {
            file.setLength(4097); // ftruncate shrinking inside a block
        }
        assertBytes(Files.readAllBytes(a("f")), Arrays.copyOf(data, 4097), "content");
        try (RandomAccessFile file = new RandomAccessFile(a("f").toFile(), "rw")) {
            file.setLength(300_000); // ftruncate growing: what lay beyond 4097 is gone
        }
        byte[] grown = Files.readAllBytes(b("f"));
        assertThat(grown).hasSize(300_000);
        assertBytes(Arrays.copyOf(grown, 4097), Arrays.copyOf(data, 4097), "kept when grown");
        assertZeros(Arrays.copyOfRange(grown, 4097, 300_000), "grown region reads zeros");
        sh("truncate", "-s", "5000", "f"); // truncate(2) by path
        assertThat(Files.size(b("f"))).isEqualTo(5000);
        sh("truncate", "-s", "70000", "f");
        byte[] regrown = Files.readAllBytes(a("f"));
        assertBytes(Arrays.copyOf(regrown, 4097), Arrays.copyOf(data, 4097), "kept when grown again");
        assertZeros(Arrays.copyOfRange(regrown, 4097, 70_000), "grown again");
        try (FileChannel channel = FileChannel.open(a("f"), StandardOpenOption.WRITE)) {
            channel.truncate(10); // ftruncate on an open descriptor
            assertThat(channel.size()).isEqualTo(10);
        }
        assertBytes(Files.readAllBytes(b("f")), Arrays.copyOf(data, 10), "content");
        assertThat(sh("stat", "-c", "%s", "f")).isEqualTo("10");
    }

    @Test
    void sparseFileHolesReadAsZeros() throws IOException {
        try (FileChannel channel = FileChannel.open(a("sparse"), StandardOpenOption.CREATE_NEW,
                StandardOpenOption.WRITE)) {
            writeFully(channel, 0, "head".getBytes(UTF_8));
            writeFully(channel, 10L * MIB, "middle".getBytes(UTF_8));
            writeFully(channel, 20L * MIB + 3, "tail".getBytes(UTF_8));
        }
        byte[] all = Files.readAllBytes(b("sparse"));
        byte[] expected = new byte[20 * MIB + 7];
        System.arraycopy("head".getBytes(UTF_8), 0, expected, 0, 4);
        System.arraycopy("middle".getBytes(UTF_8), 0, expected, 10 * MIB, 6);
        System.arraycopy("tail".getBytes(UTF_8), 0, expected, 20 * MIB + 3, 4);
        assertBytes(all, expected, "the sparse file read whole");
        assertThat(sh("stat", "-c", "%s", "sparse")).isEqualTo(String.valueOf(expected.length));
        assertThat(sh("dd", "if=sparse", "bs=6", "count=1", "skip=" + 10 * MIB, "iflag=skip_bytes", "status=none"))
                .isEqualTo("middle");
    }

    @Test
    void fileLargerThanFourGibibytes() throws IOException {
        long acrossFourGib = 4 * GIB - 3; // the write straddles 2^32
        long atFiveGib = 5 * GIB;
        byte[] first = "4GiB-x!!".getBytes(UTF_8);
        byte[] second = "5GiB-ok!".getBytes(UTF_8);
        try (FileChannel channel = FileChannel.open(a("huge"), StandardOpenOption.CREATE_NEW,
                StandardOpenOption.WRITE)) {
            writeFully(channel, acrossFourGib, first);
            writeFully(channel, atFiveGib, second);
        }
        assertThat(Files.size(a("huge"))).isEqualTo(atFiveGib + 8);
        assertThat(Files.size(b("huge"))).isEqualTo(atFiveGib + 8);
        assertThat(sh("stat", "-c", "%s", "huge")).isEqualTo(String.valueOf(atFiveGib + 8));
        assertBytes(readAt(b("huge"), acrossFourGib, 8), first, "content");
        assertBytes(readAt(a("huge"), atFiveGib, 100), second, "short read at the end");
        assertZeros(readAt(a("huge"), 0, 64 * 1024), "start");
        assertZeros(readAt(a("huge"), 4 * GIB - 3 - MIB, MIB), "just below the first write");
        assertZeros(readAt(b("huge"), 4 * GIB + 5, MIB), "just above the first write");
        assertZeros(readAt(a("huge"), 4 * GIB + GIB / 2, MIB), "the middle");
        assertZeros(readAt(b("huge"), atFiveGib - MIB, MIB), "just below the second write");
        assertThat(sh("dd", "if=huge", "bs=8", "count=1", "skip=" + atFiveGib, "iflag=skip_bytes", "status=none"))
                .as("dd, another process, reads at 5 GiB").isEqualTo("5GiB-ok!");
        try (FileChannel channel = FileChannel.open(a("huge"), StandardOpenOption.WRITE)) {
            channel.truncate(4 * GIB + 2); // a 64-bit size for ftruncate
        }
        assertThat(Files.size(b("huge"))).isEqualTo(4 * GIB + 2);
        assertBytes(readAt(b("huge"), acrossFourGib, 8), Arrays.copyOf(first, 5), "content");
    }

    @Test
    void fsyncAndFdatasyncSucceed() throws IOException {
        byte[] data = pattern(11, 300_000);
        try (FileChannel channel = FileChannel.open(a("f"), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            writeFully(channel, 0, data);
            channel.force(false); // fdatasync
            writeFully(channel, data.length, data);
            channel.force(true); // fsync
            assertThat(Files.size(b("f"))).isEqualTo(2L * data.length);
        }
        assertBytes(Files.readAllBytes(b("f")), concat(data, data), "content");
        try (FileChannel directory = FileChannel.open(workA(), StandardOpenOption.READ)) {
            directory.force(true); // fsync of a directory
        }
    }

    @Test
    void sharedMappingsReadAndWriteTheFile() throws IOException {
        byte[] data = pattern(13, 3 * 4096 + 100);
        Files.write(a("f"), data);
        try (FileChannel onA = FileChannel.open(a("f"), StandardOpenOption.READ)) {
            MappedByteBuffer view = onA.map(FileChannel.MapMode.READ_ONLY, 0, data.length);
            byte[] mapped = new byte[data.length];
            view.get(mapped);
            assertBytes(mapped, data, "read through a shared read-only mapping");
        }
        byte[] patch = "written through a mapping".getBytes(UTF_8);
        try (FileChannel onB = FileChannel.open(b("f"), StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            MappedByteBuffer shared = onB.map(FileChannel.MapMode.READ_WRITE, 0, data.length);
            shared.put(4090, patch); // across a page boundary
            shared.force(); // msync
        }
        System.arraycopy(patch, 0, data, 4090, patch.length);
        assertBytes(Files.readAllBytes(a("f")), data, "after msync through mount B, read through mount A");
        try (FileChannel onA = FileChannel.open(a("f"), StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            MappedByteBuffer copy = onA.map(FileChannel.MapMode.PRIVATE, 0, 100);
            copy.put(0, (byte) ~data[0]);
        }
        assertBytes(Files.readAllBytes(b("f")), data, "a private mapping's writes stay private");
    }

    /**
     * A mount keeps the names and attributes it learnt for a moment; none of that may outlive a
     * change made through the other mount. Each change below follows a look through mount B
     * that lets it cache what it then shows.
     */
    @Test
    void whatAMountKnowsOfAFileDoesNotOutliveAChangeThroughTheOther() throws Exception {
        Files.write(a("known"), pattern(16, 1000));
        sh("chmod", "644", a("known").toString());
        Thread.sleep(3500); // a mount caches nothing in its first 3 s (CacheCoherence.QUIET_NS)
        assertThat(Files.size(b("known"))).isEqualTo(1000);
        writeAt(a("known"), 5000, pattern(17, 100));
        assertThat(Files.size(b("known"))).as("the size after a write through A").isEqualTo(5100);
        assertThat(mode(b("known")) & 0777).isEqualTo(0644);
        assertThat(sh("ls", "-l", workB().toString())).contains("-rw-r--r--"); // READDIRPLUS hands attributes out too
        sh("chmod", "600", a("known").toString());
        assertThat(mode(b("known")) & 0777).as("the mode after chmod through A").isEqualTo(0600);
        assertThat(nlink(b("known"))).isEqualTo(1);
        assertThat(Files.exists(b("second"))).isFalse(); // a name that is not there is cached too
        Files.createLink(a("second"), a("known"));
        assertThat(nlink(b("known"))).as("the link count after a link through A").isEqualTo(2);
        assertThat(Files.exists(b("second"))).isTrue();
        Files.delete(a("second"));
        assertThat(Files.exists(b("second"))).as("a name unlinked through A").isFalse();
        assertThat(Files.size(b("known"))).isEqualTo(5100);
        Files.move(a("known"), a("moved"));
        assertThat(Files.exists(b("known"))).as("a name renamed away through A").isFalse();
        assertThat(Files.size(b("moved"))).isEqualTo(5100);
        Files.writeString(a("replacement"), "replaces moved");
        assertThat(Files.size(b("moved"))).isEqualTo(5100);
        Files.move(a("replacement"), a("moved"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        assertThat(Files.readString(b("moved"))).as("a name replaced by a rename through A").isEqualTo("replaces moved");
        try (FileChannel channel = FileChannel.open(a("moved"), StandardOpenOption.WRITE)) {
            channel.truncate(3);
        }
        assertThat(Files.size(b("moved"))).as("the size after a truncate through A").isEqualTo(3);
        Files.delete(a("moved"));
        assertThat(Files.exists(b("moved"))).as("the last name unlinked through A").isFalse();
        // names that were not there, created through A
        assertThat(Files.exists(b("moved"))).isFalse();
        Files.writeString(a("moved"), "again");
        assertThat(Files.readString(b("moved"))).as("a file created through A under a name B found missing").isEqualTo("again");
        assertThat(Files.exists(b("folder"))).isFalse();
        Files.createDirectory(a("folder"));
        assertThat(Files.isDirectory(b("folder"))).as("a directory made through A").isTrue();
        assertThat(Files.exists(b("link"))).isFalse();
        Files.createSymbolicLink(a("link"), a("moved").getFileName());
        assertThat(Files.readString(b("link"))).as("a symbolic link made through A").isEqualTo("again");
    }

    /** A mount may read ahead of a sequential reader; what it read ahead must not outlive a change. */
    @Test
    void aSequentialReaderSeesWhatIsWrittenMeanwhileThroughEitherMount() throws Exception {
        byte[] all = pattern(13, 8 * MIB);
        Files.write(a("seq"), all);
        Thread.sleep(3500); // a mount caches nothing, and reads nothing ahead, in its first 3 s (CacheCoherence.QUIET_NS)
        try (FileChannel reader = FileChannel.open(b("seq"), StandardOpenOption.READ)) {
            for (int piece = 0; piece < 2; piece++) {
                assertBytes(readFully(reader, (long) piece * MIB, MIB), Arrays.copyOfRange(all, piece * MIB, (piece + 1) * MIB),
                        "piece " + piece);
            }
            Thread.sleep(200); // whatever is read ahead has landed
            byte[] other = pattern(14, 4096);
            writeAt(a("seq"), 2L * MIB, other); // the next bytes the reader reads
            System.arraycopy(other, 0, all, 2 * MIB, other.length);
            byte[] own = pattern(15, 4096);
            writeAt(b("seq"), 2L * MIB + 8192, own);
            System.arraycopy(own, 0, all, 2 * MIB + 8192, own.length);
            for (int piece = 2; piece < 8; piece++) {
                assertBytes(readFully(reader, (long) piece * MIB, MIB), Arrays.copyOfRange(all, piece * MIB, (piece + 1) * MIB),
                        "piece " + piece + " after writes to it through mount A and B");
            }
        }
    }

    @Test
    void anUnlinkedOpenFileStaysReadableThroughItsDescriptor() throws IOException {
        byte[] data = pattern(12, 100_000);
        try (FileChannel channel = FileChannel.open(a("tmp"), StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
                StandardOpenOption.WRITE)) {
            writeFully(channel, 0, data);
            long inode = inode(a("tmp"));
            Files.delete(a("tmp"));
            assertThat(Files.exists(a("tmp"))).isFalse();
            assertThat(Files.exists(b("tmp"))).as("gone through mount B").isFalse();
            assertThatThrownBy(() -> Files.readAllBytes(a("tmp"))).isInstanceOf(NoSuchFileException.class);
            assertThatThrownBy(() -> Files.readAllBytes(b("tmp"))).isInstanceOf(NoSuchFileException.class);
            assertBytes(readFully(channel, 0, data.length), data, "content");
            writeFully(channel, data.length, "more".getBytes(UTF_8));
            assertThat(channel.size()).isEqualTo(data.length + 4L);
            Files.writeString(a("tmp"), "a new file under the old name");
            assertThat(inode(a("tmp"))).as("a new inode").isNotEqualTo(inode);
            assertBytes(readFully(channel, 0, data.length), data, "the open file is not the new one");
        }
        assertThat(Files.readString(b("tmp"))).isEqualTo("a new file under the old name");
    }

    @Test
    void statfsReportsConsistentSpace() throws IOException {
        FileStore store = Files.getFileStore(workA());
        long total = store.getTotalSpace();
        long unallocated = store.getUnallocatedSpace();
        long usable = store.getUsableSpace();
        assertThat(total).as("total").isPositive();
        assertThat(usable).as("usable").isPositive().isLessThanOrEqualTo(unallocated);
        assertThat(unallocated).as("free").isLessThanOrEqualTo(total);
        assertThat(store.getBlockSize()).as("block size").isPositive();
        FileStore storeB = Files.getFileStore(workB());
        assertThat(storeB.getTotalSpace()).as("total through mount B").isEqualTo(total);
        String[] statfs = sh("stat", "-f", "-c", "%S %b", ".").split(" ");
        assertThat(Long.parseLong(statfs[0]) * Long.parseLong(statfs[1])).as("stat -f").isEqualTo(total);
    }

    static byte[] concat(byte[]... parts) {
        List<byte[]> list = new ArrayList<>(List.of(parts));
        byte[] all = new byte[list.stream().mapToInt(p -> p.length).sum()];
        int at = 0;
        for (byte[] part : list) {
            System.arraycopy(part, 0, all, at, part.length);
            at += part.length;
        }
        return all;
    }
}
