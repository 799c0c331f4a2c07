package io.strata.fuse;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * POSIX behaviour of {@link MemoryFilesystem} seen through a real mount and java.nio.file, each
 * operation checked. Subclasses run it through the page cache, with direct IO, and with replies
 * completed asynchronously on other threads over several queues.
 */
@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
abstract class PosixBehaviourTestBase {
    protected MemoryFilesystem fs;
    protected TestMount mounted;

    protected abstract MemoryFilesystem.Options fsOptions();

    protected MountOptions mountOptions() {
        return MountOptions.defaults();
    }

    protected FuseFilesystem served(MemoryFilesystem memory) {
        return memory;
    }

    @BeforeEach
    void mount() {
        fs = new MemoryFilesystem(fsOptions(), io.strata.runtime.Clock.SYSTEM);
        mounted = TestMount.mount(served(fs), mountOptions());
    }

    @AfterEach
    void unmount() {
        if (mounted != null) {
            mounted.close();
        }
    }

    @AfterEach
    void noReplyWasRejected() {
        if (mounted != null) {
            assertThat(mounted.session().rejectedReplies()).as("replies the kernel refused").isZero();
        }
    }

    private Path p(String name) {
        return mounted.path(name);
    }

    private static int nlink(Path path) throws IOException {
        return (Integer) Files.getAttribute(path, "unix:nlink", LinkOption.NOFOLLOW_LINKS);
    }

    private static int mode(Path path) throws IOException {
        return (Integer) Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS);
    }

    @Test
    void createsWritesReadsAndStatsAFile() throws IOException {
        Files.writeString(p("a.txt"), "hello fuse");
        assertThat(Files.readString(p("a.txt"))).isEqualTo("hello fuse");
        assertThat(Files.size(p("a.txt"))).isEqualTo(10);
        assertThat(Files.isRegularFile(p("a.txt"))).isTrue();
        assertThat(nlink(p("a.txt"))).isEqualTo(1);
        assertThat(Files.getAttribute(p("a.txt"), "unix:uid")).isEqualTo(0);
    }

    @Test
    void writesAndReadsAMegabyteSpanningRequests() throws IOException {
        byte[] data = new byte[3 * 1024 * 1024 + 123];
        new java.util.Random(7).nextBytes(data);
        Files.write(p("big"), data);
        assertThat(Files.readAllBytes(p("big"))).isEqualTo(data);
    }

    @Test
    void directoriesCountTheirLinks() throws IOException {
        int rootLinks = nlink(mounted.dir);
        Files.createDirectories(p("a/b"));
        Files.createDirectory(p("a/c"));
        Files.writeString(p("a/f"), "x");
        assertThat(nlink(p("a"))).isEqualTo(4);
        assertThat(nlink(mounted.dir)).isEqualTo(rootLinks + 1);
        Files.delete(p("a/b"));
        assertThat(nlink(p("a"))).isEqualTo(3);
    }

    @Test
    void refusesToRemoveANonEmptyDirectory() throws IOException {
        Files.createDirectory(p("d"));
        Files.writeString(p("d/f"), "x");
        assertThatThrownBy(() -> Files.delete(p("d"))).isInstanceOf(DirectoryNotEmptyException.class);
        Files.delete(p("d/f"));
        Files.delete(p("d"));
        assertThat(Files.exists(p("d"))).isFalse();
    }

    @Test
    void exclusiveCreateOfAnExistingNameFails() throws IOException {
        Files.writeString(p("f"), "x");
        Files.createDirectory(p("d"));
        assertThatThrownBy(() -> Files.createFile(p("f"))).isInstanceOf(FileAlreadyExistsException.class);
        assertThatThrownBy(() -> Files.createDirectory(p("d"))).isInstanceOf(FileAlreadyExistsException.class);
        assertThatThrownBy(() -> Files.createDirectory(p("f"))).isInstanceOf(FileAlreadyExistsException.class);
    }

    @Test
    void missingNamesAreNotFound() {
        assertThatThrownBy(() -> Files.readAllBytes(p("missing"))).isInstanceOf(NoSuchFileException.class);
        assertThatThrownBy(() -> Files.delete(p("missing"))).isInstanceOf(NoSuchFileException.class);
        assertThatThrownBy(() -> Files.createFile(p("nodir/f"))).isInstanceOf(NoSuchFileException.class);
    }

    @Test
    void aDirectoryCannotBeWrittenAsAFile() throws IOException {
        Files.createDirectory(p("d"));
        assertThatThrownBy(() -> Files.newOutputStream(p("d"))).isInstanceOf(FileSystemException.class)
                .hasMessageContaining("Is a directory");
        assertThatThrownBy(() -> Files.readAllBytes(p("d"))).isInstanceOf(IOException.class)
                .hasMessageContaining("Is a directory");
    }

    @Test
    void aFileCannotBeUsedAsADirectory() throws IOException {
        Files.writeString(p("f"), "x");
        assertThatThrownBy(() -> Files.createFile(p("f/x"))).isInstanceOf(FileSystemException.class)
                .hasMessageContaining("Not a directory");
        assertThat(Shell.run(mounted.dir, "rmdir f").err()).contains("Not a directory");
    }

    @Test
    void openWithTruncateEmptiesTheFile() throws IOException {
        Files.writeString(p("f"), "a long first version");
        Files.writeString(p("f"), "short");
        assertThat(Files.readString(p("f"))).isEqualTo("short");
        try (FileChannel channel = FileChannel.open(p("f"), StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            assertThat(channel.size()).isZero();
        }
        assertThat(Files.size(p("f"))).isZero();
    }

    @Test
    void appendWritesAtTheEnd() throws IOException {
        Files.writeString(p("log"), "abc");
        Files.writeString(p("log"), "def", StandardOpenOption.APPEND);
        try (FileChannel channel = FileChannel.open(p("log"), StandardOpenOption.APPEND)) {
            channel.write(ByteBuffer.wrap("ghi".getBytes(UTF_8)));
            channel.write(ByteBuffer.wrap("jk".getBytes(UTF_8)));
        }
        assertThat(Files.readString(p("log"))).isEqualTo("abcdefghijk");
    }

    @Test
    void truncateShrinksAndGrowsWithZeros() throws IOException {
        Files.writeString(p("f"), "0123456789");
        try (FileChannel channel = FileChannel.open(p("f"), StandardOpenOption.WRITE)) {
            channel.truncate(3);
        }
        assertThat(Files.readString(p("f"))).isEqualTo("012");
        try (RandomAccessFile file = new RandomAccessFile(p("f").toFile(), "rw")) {
            file.setLength(8);
        }
        assertThat(Files.readAllBytes(p("f"))).isEqualTo(new byte[] {'0', '1', '2', 0, 0, 0, 0, 0});
    }

    @Test
    void sharedMappingsReadAndWriteTheFile() throws IOException {
        Files.writeString(p("mapped"), "hello mapping");
        try (FileChannel channel = FileChannel.open(p("mapped"), StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            var readOnly = channel.map(FileChannel.MapMode.READ_ONLY, 0, 13);
            assertThat(readOnly.get(6)).isEqualTo((byte) 'm');
            var shared = channel.map(FileChannel.MapMode.READ_WRITE, 0, 13);
            shared.put(0, (byte) 'J');
            shared.force(); // msync: written back through the file system
            var privateCopy = channel.map(FileChannel.MapMode.PRIVATE, 0, 13);
            privateCopy.put(1, (byte) 'X');
        }
        assertThat(Files.readString(p("mapped"))).isEqualTo("Jello mapping");
    }

    @Test
    void writesPastTheEndLeaveHolesThatReadAsZeros() throws IOException {
        try (FileChannel channel = FileChannel.open(p("sparse"), StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            channel.write(ByteBuffer.wrap("head".getBytes(UTF_8)), 0);
            channel.write(ByteBuffer.wrap("tail".getBytes(UTF_8)), 1_000_000);
        }
        byte[] all = Files.readAllBytes(p("sparse"));
        assertThat(all).hasSize(1_000_004);
        assertThat(new String(all, 0, 4, UTF_8)).isEqualTo("head");
        assertThat(IntStream.range(4, 1_000_000).allMatch(i -> all[i] == 0)).isTrue();
        assertThat(new String(all, 1_000_000, 4, UTF_8)).isEqualTo("tail");
    }

    @Test
    void renameReplacesAnExistingFile() throws IOException {
        Files.writeString(p("a"), "new content");
        Files.writeString(p("b"), "old content");
        assertThat(Syscalls.renameat2(p("a"), p("b"), 0)).isZero();
        assertThat(Files.exists(p("a"))).isFalse();
        assertThat(Files.readString(p("b"))).isEqualTo("new content");
    }

    @Test
    void renameMovesDirectoriesAndFixesTheirParentsLinks() throws IOException {
        Files.createDirectories(p("x/sub"));
        Files.createDirectory(p("y"));
        Files.writeString(p("x/sub/f"), "moved");
        assertThat(Syscalls.renameat2(p("x/sub"), p("y/sub"), 0)).isZero();
        assertThat(Files.readString(p("y/sub/f"))).isEqualTo("moved");
        assertThat(Files.exists(p("x/sub"))).isFalse();
        assertThat(nlink(p("x"))).isEqualTo(2);
        assertThat(nlink(p("y"))).isEqualTo(3);
        assertThat(Shell.ok(mounted.dir, "cd y/sub/.. && pwd -P")).isEqualTo(p("y").toString());
    }

    @Test
    void renameFollowsPosixRulesForDirectoriesAndFiles() throws IOException {
        Files.createDirectories(p("d1/inner"));
        Files.createDirectory(p("empty"));
        Files.createDirectory(p("full"));
        Files.writeString(p("full/f"), "x");
        Files.writeString(p("file"), "x");
        assertThat(Syscalls.renameat2(p("d1"), p("full"), 0)).isEqualTo(Errno.ENOTEMPTY);
        assertThat(Syscalls.renameat2(p("d1"), p("file"), 0)).isEqualTo(Errno.ENOTDIR);
        assertThat(Syscalls.renameat2(p("file"), p("empty"), 0)).isEqualTo(Errno.EISDIR);
        assertThat(Syscalls.renameat2(p("d1"), p("d1/inner/d1"), 0)).isEqualTo(Errno.EINVAL);
        assertThat(Syscalls.renameat2(p("missing"), p("x"), 0)).isEqualTo(Errno.ENOENT);
        assertThat(Syscalls.renameat2(p("d1"), p("empty"), 0)).isZero();
        assertThat(Files.isDirectory(p("empty/inner"))).isTrue();
        assertThat(Files.exists(p("d1"))).isFalse();
    }

    @Test
    void renameNoreplaceRefusesAnExistingTarget() throws IOException {
        Files.writeString(p("a"), "a");
        Files.writeString(p("b"), "b");
        assertThat(Syscalls.renameat2(p("a"), p("b"), FuseProtocol.RENAME_NOREPLACE)).isEqualTo(Errno.EEXIST);
        assertThat(Files.readString(p("b"))).isEqualTo("b");
        assertThat(Syscalls.renameat2(p("a"), p("c"), FuseProtocol.RENAME_NOREPLACE)).isZero();
        assertThat(Files.readString(p("c"))).isEqualTo("a");
        assertThat(Files.exists(p("a"))).isFalse();
    }

    @Test
    void renameExchangeSwapsTwoNames() throws IOException {
        Files.writeString(p("file"), "file content");
        Files.createDirectories(p("dir/sub"));
        Files.writeString(p("dir/sub/marker"), "m");
        Files.createDirectory(p("other"));
        assertThat(Syscalls.renameat2(p("file"), p("dir"), FuseProtocol.RENAME_EXCHANGE)).isZero();
        assertThat(Files.readString(p("dir"))).isEqualTo("file content");
        assertThat(Files.readString(p("file/sub/marker"))).isEqualTo("m");
        assertThat(Syscalls.renameat2(p("file"), p("missing"), FuseProtocol.RENAME_EXCHANGE)).isEqualTo(Errno.ENOENT);
        int rootLinks = nlink(mounted.dir);
        assertThat(Syscalls.renameat2(p("file/sub"), p("other"), FuseProtocol.RENAME_EXCHANGE)).isZero();
        assertThat(Files.readString(p("other/marker"))).isEqualTo("m");
        assertThat(Files.list(p("file/sub")).count()).isZero();
        assertThat(nlink(p("file"))).isEqualTo(3);
        assertThat(nlink(mounted.dir)).isEqualTo(rootLinks);
        assertThat(Shell.ok(mounted.dir, "cd other/.. && pwd -P")).isEqualTo(mounted.dir.toString());
        assertThat(Shell.ok(mounted.dir, "cd file/sub/.. && pwd -P")).isEqualTo(p("file").toString());
    }

    @Test
    void hardLinksShareContentAndCountLinks() throws IOException {
        Files.writeString(p("orig"), "shared");
        Files.createLink(p("link"), p("orig"));
        assertThat(nlink(p("orig"))).isEqualTo(2);
        assertThat(Files.getAttribute(p("link"), "unix:ino")).isEqualTo(Files.getAttribute(p("orig"), "unix:ino"));
        Files.writeString(p("link"), "changed via link");
        assertThat(Files.readString(p("orig"))).isEqualTo("changed via link");
        Files.delete(p("orig"));
        assertThat(nlink(p("link"))).isEqualTo(1);
        assertThat(Files.readString(p("link"))).isEqualTo("changed via link");
        Files.createDirectory(p("d"));
        assertThatThrownBy(() -> Files.createLink(p("dlink"), p("d"))).isInstanceOf(FileSystemException.class);
    }

    @Test
    void symlinksResolveAndReadBack() throws IOException {
        Files.writeString(p("target.txt"), "through the link");
        Files.createSymbolicLink(p("link"), Path.of("target.txt"));
        Files.createSymbolicLink(p("dangling"), Path.of("nowhere"));
        assertThat(Files.readSymbolicLink(p("link"))).isEqualTo(Path.of("target.txt"));
        assertThat(Files.isSymbolicLink(p("link"))).isTrue();
        assertThat(Files.readString(p("link"))).isEqualTo("through the link");
        assertThat(mode(p("link")) & FuseProtocol.S_IFMT).isEqualTo(FuseProtocol.S_IFLNK);
        assertThat(Files.exists(p("dangling"))).isFalse();
        assertThat(Files.exists(p("dangling"), LinkOption.NOFOLLOW_LINKS)).isTrue();
        assertThat(Files.size(p("link"))).isEqualTo(Files.size(p("target.txt")));
    }

    @Test
    void chmodChownAndTimesAreKept() throws IOException {
        Files.writeString(p("f"), "x");
        Files.setPosixFilePermissions(p("f"), PosixFilePermissions.fromString("rwx--x---"));
        assertThat(mode(p("f")) & 07777).isEqualTo(0710);
        Files.setAttribute(p("f"), "unix:uid", 4321);
        Files.setAttribute(p("f"), "unix:gid", 8765);
        assertThat(Files.getAttribute(p("f"), "unix:uid")).isEqualTo(4321);
        assertThat(Files.getAttribute(p("f"), "unix:gid")).isEqualTo(8765);
        FileTime past = FileTime.from(1_000_000_000_123L, TimeUnit.MILLISECONDS);
        Files.setLastModifiedTime(p("f"), past);
        assertThat(Files.getLastModifiedTime(p("f"))).isEqualTo(past);
        FileTime ctime = (FileTime) Files.getAttribute(p("f"), "unix:ctime");
        assertThat(ctime.toMillis()).isGreaterThan(past.toMillis());
        Shell.ok(mounted.dir, "touch -m f"); // utimensat with UTIME_NOW
        long age = System.currentTimeMillis() - Files.getLastModifiedTime(p("f")).toMillis();
        assertThat(age).isBetween(-2000L, 5000L);
    }

    @Test
    void statfsReportsTheCapacity() throws IOException {
        var store = Files.getFileStore(mounted.dir);
        assertThat(store.getTotalSpace()).isEqualTo(fs.options().capacityBytes());
        assertThat(store.getUsableSpace()).isPositive().isLessThanOrEqualTo(store.getTotalSpace());
        assertThat(store.type()).isEqualTo("fuse.strata");
    }

    @Test
    void anUnlinkedOpenFileKeepsItsDataUntilClosed() throws Exception {
        int before = fs.nodeCount();
        try (FileChannel channel = FileChannel.open(p("tmp"), StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
                StandardOpenOption.WRITE)) {
            channel.write(ByteBuffer.wrap("still here".getBytes(UTF_8)), 0);
            Files.delete(p("tmp"));
            assertThat(Files.exists(p("tmp"))).isFalse();
            ByteBuffer read = ByteBuffer.allocate(10);
            channel.read(read, 0);
            assertThat(new String(read.array(), UTF_8)).isEqualTo("still here");
            channel.write(ByteBuffer.wrap("!".getBytes(UTF_8)), 10);
            assertThat(channel.size()).isEqualTo(11);
            assertThat(fs.nodeCount()).isEqualTo(before + 1);
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (fs.nodeCount() != before && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(fs.nodeCount()).as("released after the last close and the kernel's forget").isEqualTo(before);
    }

    @Test
    void listsEveryEntryOnceEvenWhileEntriesAreRemoved() throws IOException {
        Files.createDirectory(p("d"));
        Set<String> names = new HashSet<>();
        for (int i = 0; i < 300; i++) {
            Files.writeString(p("d/file-" + i), "");
            names.add("file-" + i);
        }
        try (Stream<Path> listing = Files.list(p("d"))) {
            assertThat(listing.map(path -> path.getFileName().toString()).toList()).hasSize(300)
                    .containsExactlyInAnyOrderElementsOf(names);
        }
        List<String> seen = new java.util.ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(p("d"))) {
            for (Path entry : stream) {
                String name = entry.getFileName().toString();
                seen.add(name);
                int index = Integer.parseInt(name.substring(5));
                Files.deleteIfExists(p("d/file-" + (299 - index)));
            }
        }
        assertThat(new HashSet<>(seen)).as("no entry twice").hasSameSizeAs(seen);
        assertThat(seen).hasSizeBetween(150, 300);
    }

    @Test
    void extendedAttributesAreStoredListedAndRemoved() throws IOException {
        Files.writeString(p("f"), "x");
        UserDefinedFileAttributeView view = Files.getFileAttributeView(p("f"), UserDefinedFileAttributeView.class);
        view.write("color", ByteBuffer.wrap("blue".getBytes(UTF_8)));
        view.write("size", ByteBuffer.wrap("XL".getBytes(UTF_8)));
        assertThat(view.list()).containsExactlyInAnyOrder("color", "size");
        ByteBuffer value = ByteBuffer.allocate(view.size("color"));
        view.read("color", value);
        assertThat(new String(value.array(), UTF_8)).isEqualTo("blue");
        view.delete("color");
        assertThat(view.list()).containsExactly("size");
        assertThatThrownBy(() -> view.read("color", ByteBuffer.allocate(10))).isInstanceOf(FileSystemException.class);
    }

    @Test
    void seekDataAndHoleFindTheWrittenRegions() throws IOException {
        long chunk = SparseData.CHUNK_BYTES;
        try (FileChannel channel = FileChannel.open(p("holes"), StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            channel.write(ByteBuffer.wrap(new byte[] {1}), 3 * chunk + 10);
        }
        try (RandomAccessFile file = new RandomAccessFile(p("holes").toFile(), "rw")) {
            file.setLength(10 * chunk);
        }
        long data = Syscalls.seek(p("holes"), 0, FuseProtocol.SEEK_DATA);
        long hole = Syscalls.seek(p("holes"), 3 * chunk, FuseProtocol.SEEK_HOLE);
        if (fs.options().storage() == MemoryFilesystem.Storage.STORE) {
            assertThat(data).isEqualTo(3 * chunk);
            assertThat(hole).isEqualTo(4 * chunk);
        }
        assertThat(Syscalls.seek(p("holes"), 11 * chunk, FuseProtocol.SEEK_DATA)).isEqualTo(-Errno.ENXIO);
    }
}
