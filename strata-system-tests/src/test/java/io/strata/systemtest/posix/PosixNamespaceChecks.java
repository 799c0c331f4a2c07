package io.strata.systemtest.posix;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;

/**
 * The namespace: mkdir and rmdir with their errors, ENOTDIR and EISDIR, a directory of many
 * entries, rename (atomic replacement watched by concurrent readers, directories, the refusals),
 * hard links with their counts, symlinks and FIFOs.
 */
public abstract class PosixNamespaceChecks extends PosixFileChecks {

    /** rename(2) itself: Files.move with ATOMIC_MOVE calls it and nothing else. */
    protected static void rename(Path from, Path to) throws IOException {
        Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
    }

    /** The strerror text of a failed call, as Java reports it. */
    private static String reason(Throwable e) {
        return e instanceof FileSystemException fse ? fse.getReason() : e.getMessage();
    }

    @Test
    void mkdirAndRmdirWithTheirErrors() throws IOException {
        Files.createDirectory(a("d"));
        assertThat(Files.isDirectory(b("d"))).isTrue();
        assertThat(nlink(a("d"))).as("an empty directory's links: its name and '.'").isEqualTo(2);
        Files.createDirectory(a("d/sub"));
        assertThat(nlink(a("d"))).as("plus the child's '..'").isEqualTo(3);
        assertThatThrownBy(() -> Files.createDirectory(a("d"))).isInstanceOf(FileAlreadyExistsException.class);
        assertThatThrownBy(() -> Files.createDirectory(a("missing/x"))).isInstanceOf(NoSuchFileException.class);
        assertThatThrownBy(() -> Files.delete(a("d"))).as("ENOTEMPTY: a subdirectory")
                .isInstanceOf(DirectoryNotEmptyException.class);
        Files.delete(a("d/sub"));
        Files.writeString(a("d/f"), "x");
        assertThatThrownBy(() -> Files.delete(b("d"))).as("ENOTEMPTY: a file, through mount B")
                .isInstanceOf(DirectoryNotEmptyException.class);
        Shell.Result rmdir = shRun("rmdir", "d");
        assertThat(rmdir.exitCode()).as("rmdir(2) of a non-empty directory").isNotZero();
        assertThat(rmdir.err()).contains("Directory not empty");
        Files.delete(a("d/f"));
        Files.delete(a("d"));
        assertThat(Files.exists(a("d"))).isFalse();
        assertThat(Files.exists(b("d"))).isFalse();
        assertThatThrownBy(() -> Files.delete(a("d"))).isInstanceOf(NoSuchFileException.class);
    }

    @Test
    void aFileIsNotADirectory() throws IOException {
        Files.writeString(a("f"), "x");
        assertThatThrownBy(() -> Files.createFile(a("f/x"))).isInstanceOf(FileSystemException.class)
                .extracting(PosixNamespaceChecks::reason).isEqualTo("Not a directory");
        assertThatThrownBy(() -> Files.createDirectory(a("f/x"))).extracting(PosixNamespaceChecks::reason)
                .isEqualTo("Not a directory");
        assertThatThrownBy(() -> Files.newDirectoryStream(a("f"))).isInstanceOf(NotDirectoryException.class);
        assertThat(shRun("rmdir", "f").err()).as("rmdir(2) of a file").contains("Not a directory");
        Files.createDirectory(a("d"));
        assertThatThrownBy(() -> rename(a("d"), a("f"))).as("a directory renamed over a file")
                .extracting(PosixNamespaceChecks::reason).isEqualTo("Not a directory");
        assertThat(Files.isDirectory(a("d"))).isTrue();
        assertThat(Files.readString(a("f"))).isEqualTo("x");
    }

    @Test
    void aDirectoryIsNotAFile() throws IOException {
        Files.createDirectory(a("d"));
        Files.writeString(a("f"), "x");
        assertThatThrownBy(() -> FileChannel.open(a("d"), StandardOpenOption.WRITE))
                .extracting(PosixNamespaceChecks::reason).isEqualTo("Is a directory");
        assertThatThrownBy(() -> Files.readAllBytes(a("d"))).isInstanceOf(IOException.class)
                .hasMessageContaining("Is a directory");
        assertThat(shRun("unlink", "d").err()).as("unlink(2) of a directory").contains("Is a directory");
        assertThatThrownBy(() -> rename(a("f"), a("d"))).as("a file renamed over a directory")
                .extracting(PosixNamespaceChecks::reason).isEqualTo("Is a directory");
        assertThat(Files.isDirectory(b("d"))).isTrue();
        assertThat(Files.readString(b("f"))).isEqualTo("x");
    }

    @Test
    void aDirectoryOfManyEntriesListsEachExactlyOnce() throws Exception {
        int entries = bigDirectoryEntries();
        Files.createDirectory(a("big"));
        Set<String> names = new HashSet<>();
        for (int i = 0; i < entries; i++) {
            names.add("entry-with-a-longish-name-" + i);
        }
        long started = System.nanoTime();
        forEachName(names, name -> Files.createFile(a("big/" + name)));
        long created = System.nanoTime();
        assertNames(listNames(a("big")), names, "listing through A");
        assertNames(listNames(b("big")), names, "listing through B");
        long listed = System.nanoTime();
        forEachName(names, name -> Files.delete(b("big/" + name)));
        long deleted = System.nanoTime();
        assertThat(listNames(a("big"))).isEmpty();
        Files.delete(a("big"));
        System.out.printf("FIGURE %d entries: created in %.1f s, listed twice in %.1f s, deleted in %.1f s%n",
                entries, (created - started) / 1e9, (listed - created) / 1e9, (deleted - listed) / 1e9);
    }

    private interface NameAction {
        void apply(String name) throws IOException;
    }

    /** Applies {@code action} to every name, spread over {@link #bigDirectoryThreads()} threads. */
    private void forEachName(Set<String> names, NameAction action) throws Exception {
        List<String> all = new ArrayList<>(names);
        int threads = bigDirectoryThreads();
        List<Callable<?>> tasks = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int first = t;
            tasks.add(() -> {
                for (int i = first; i < all.size(); i += threads) {
                    action.apply(all.get(i));
                }
                return null;
            });
        }
        concurrently(tasks);
    }

    /** The names in {@code dir} through one readdir pass (DirectoryStream); fails if a name comes twice. */
    protected static Set<String> listNames(Path dir) throws IOException {
        Set<String> names = new HashSet<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir)) {
            for (Path entry : stream) {
                String name = entry.getFileName().toString();
                if (!names.add(name)) {
                    throw new AssertionError("readdir of " + dir + " listed " + name + " twice");
                }
            }
        }
        return names;
    }

    @Test
    void renameMovesAFileWithinAndAcrossDirectories() throws IOException {
        byte[] data = pattern(20, 70_000);
        Files.write(a("f"), data);
        long inode = inode(a("f"));
        rename(a("f"), a("g"));
        assertThat(Files.exists(a("f"))).isFalse();
        assertThat(Files.exists(b("f"))).isFalse();
        assertBytes(Files.readAllBytes(b("g")), data, "content");
        assertThat(inode(a("g"))).as("the same file under its new name").isEqualTo(inode);
        Files.createDirectories(a("x/y"));
        rename(a("g"), a("x/y/h"));
        assertThat(Files.exists(b("g"))).isFalse();
        assertBytes(Files.readAllBytes(b("x/y/h")), data, "content");
        assertThat(inode(b("x/y/h"))).isEqualTo(inode);
        assertThat(listNames(workA())).containsExactly("x");
        rename(b("x/y/h"), b("x/y/h")); // onto itself: nothing happens
        assertBytes(Files.readAllBytes(a("x/y/h")), data, "content");
        assertThatThrownBy(() -> rename(a("missing"), a("other"))).isInstanceOf(NoSuchFileException.class);
    }

    @Test
    void renameReplacesAFileAtomically() throws Exception {
        Files.write(a("target"), RenameWatch.content(0));
        RenameWatch watch = new RenameWatch(a("target"), b("target"), renameWatchMs());
        int renames = watch.run(version -> {
            Path temporary = version % 2 == 0 ? a("tmp-" + version) : b("tmp-" + version);
            Files.write(temporary, RenameWatch.content(version));
            long replaced = inode(a("target"));
            rename(temporary, version % 2 == 0 ? a("target") : b("target"));
            assertThat(inode(a("target"))).as("rename %d replaced the inode", version).isNotEqualTo(replaced);
        });
        assertThat(renames).as("renames done while watched").isGreaterThanOrEqualTo(RenameWatch.MIN_RENAMES);
        assertThat(watch.reads()).as("reads done while renaming").isGreaterThanOrEqualTo(10);
        assertThat(listNames(workA())).as("no temporary name left, no second target").containsExactly("target");
        assertBytes(Files.readAllBytes(b("target")), RenameWatch.content(renames), "content");
        assertThat(nlink(a("target"))).isEqualTo(1);
    }

    @Test
    void renameMovesDirectories() throws IOException {
        Files.createDirectories(a("p1/d/sub"));
        Files.createDirectory(a("p2"));
        Files.writeString(a("p1/d/sub/f"), "deep");
        rename(a("p1/d"), a("p1/e"));
        assertThat(Files.readString(b("p1/e/sub/f"))).isEqualTo("deep");
        assertThat(Files.exists(b("p1/d"))).isFalse();
        rename(b("p1/e"), b("p2/e"));
        assertThat(Files.readString(a("p2/e/sub/f"))).isEqualTo("deep");
        assertThat(Files.exists(a("p1/e"))).isFalse();
        assertThat(nlink(a("p1"))).as("p1 lost a child's '..'").isEqualTo(2);
        assertThat(nlink(a("p2"))).as("p2 gained one").isEqualTo(3);
        assertThat(Path.of(sh("sh", "-c", "cd p2/e/sub/.. && pwd -P"))).as("'..' follows the move")
                .isEqualTo(a("p2/e").toRealPath());
        assertThatThrownBy(() -> rename(a("p2"), a("p2/e/inside"))).as("into its own subtree")
                .extracting(PosixNamespaceChecks::reason).isEqualTo("Invalid argument");
        Files.createDirectory(a("empty"));
        rename(a("p2/e"), a("empty")); // over an empty directory: replaced
        assertThat(Files.readString(b("empty/sub/f"))).isEqualTo("deep");
        assertThat(Files.exists(a("p2/e"))).isFalse();
    }

    @Test
    void renameOverANonEmptyDirectoryFails() throws IOException {
        Files.createDirectories(a("src/inner"));
        Files.createDirectory(a("full"));
        Files.writeString(a("full/f"), "kept");
        Throwable refused = catchThrowable(() -> rename(a("src"), a("full")));
        assertThat(refused).as("renaming a directory over a non-empty one must fail").isNotNull();
        if (!(refused instanceof FileAlreadyExistsException)) { // POSIX allows EEXIST as well as ENOTEMPTY
            assertThat(refused).isInstanceOf(FileSystemException.class).extracting(PosixNamespaceChecks::reason)
                    .isEqualTo("Directory not empty");
        }
        assertThat(Files.isDirectory(b("src/inner"))).isTrue();
        assertThat(Files.readString(b("full/f"))).isEqualTo("kept");
    }

    @Test
    void hardLinksShareTheFileAndCountTheirNames() throws IOException {
        Files.writeString(a("orig"), "shared");
        Files.createLink(a("link"), a("orig"));
        sh("ln", "orig", "link2");
        assertThat(nlink(a("orig"))).isEqualTo(3);
        assertThat(nlink(b("link"))).as("through mount B").isEqualTo(3);
        assertThat(inode(b("link2"))).isEqualTo(inode(a("orig")));
        Files.writeString(b("link"), "changed through a link");
        assertThat(Files.readString(a("orig"))).isEqualTo("changed through a link");
        Files.delete(a("orig"));
        assertThat(nlink(b("link"))).isEqualTo(2);
        assertThat(Files.readString(b("link2"))).isEqualTo("changed through a link");
        assertThatThrownBy(() -> Files.createLink(a("link"), a("link2")))
                .isInstanceOf(FileAlreadyExistsException.class);
        assertThatThrownBy(() -> Files.createLink(a("new"), a("missing"))).isInstanceOf(NoSuchFileException.class);
        Files.createDirectory(a("d"));
        assertThatThrownBy(() -> Files.createLink(a("dlink"), a("d"))).as("no hard link to a directory")
                .isInstanceOf(FileSystemException.class);
        rename(a("link"), a("link2")); // two names of one inode: rename does nothing
        assertThat(nlink(a("link2"))).isEqualTo(2);
        assertThat(Files.exists(a("link"))).isTrue();
    }

    @Test
    void symlinksAreCreatedReadAndFollowed() throws IOException {
        Files.writeString(a("target.txt"), "through the link");
        Files.createDirectory(a("dir"));
        Files.writeString(a("dir/inner"), "inside");
        Files.createSymbolicLink(a("link"), Path.of("target.txt"));
        Files.createSymbolicLink(a("dangling"), Path.of("nowhere"));
        sh("ln", "-s", "dir", "dirlink");
        assertThat(Files.readSymbolicLink(b("link"))).isEqualTo(Path.of("target.txt"));
        assertThat(Files.isSymbolicLink(b("link"))).isTrue();
        assertThat(mode(a("link")) & 0170000).as("S_IFLNK").isEqualTo(0120000);
        assertThat(Files.readString(b("link"))).isEqualTo("through the link");
        assertThat(Files.readString(a("dirlink/inner"))).isEqualTo("inside");
        assertThat(sh("stat", "-c", "%F %s", "link")).isEqualTo("symbolic link " + "target.txt".length());
        Files.writeString(a("link"), "written through the link");
        assertThat(Files.readString(b("target.txt"))).isEqualTo("written through the link");
        assertThat(Files.exists(a("dangling"))).isFalse();
        assertThat(Files.exists(a("dangling"), LinkOption.NOFOLLOW_LINKS)).isTrue();
        assertThatThrownBy(() -> Files.readString(a("dangling"))).isInstanceOf(NoSuchFileException.class);
        Files.delete(a("link"));
        assertThat(Files.readString(b("target.txt"))).as("the target outlives its link")
                .isEqualTo("written through the link");
        assertThat(listNames(workB())).containsExactlyInAnyOrder("target.txt", "dir", "dangling", "dirlink");
    }

    @Test
    void fifosAreSpecialFiles() throws IOException {
        sh("mkfifo", "pipe");
        assertThat(sh("stat", "-c", "%F", "pipe")).isEqualTo("fifo");
        assertThat(Files.readAttributes(b("pipe"), BasicFileAttributes.class).isOther()).as("S_IFIFO").isTrue();
        Files.delete(a("pipe"));
        assertThat(Files.exists(b("pipe"), LinkOption.NOFOLLOW_LINKS)).isFalse();
    }
}
