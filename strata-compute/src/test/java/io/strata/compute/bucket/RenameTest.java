package io.strata.compute.bucket;

import static io.strata.compute.bucket.Errno.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.strata.compute.bucket.BucketCommand.Link;
import io.strata.compute.bucket.BucketCommand.Opened;
import io.strata.compute.bucket.BucketCommand.Rename;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Local rename: moves, replacements, flags, type mismatches, subtree moves. */
class RenameTest {
    private final Fixture f = Fixture.oneBucket();

    private Rename rename(long parent, String name, long newParent, String newName, int flags) {
        return new Rename(parent, name, newParent, newName, flags, f.now(), RequestOrigin.NONE);
    }

    private List<String> names(long dir) {
        return f.state.readdir(dir, 0, 1000).stream().map(DirEntry::name).toList();
    }

    @Test
    void moveAFileToAnotherDirectory() {
        long file = f.file(f.root, "a");
        long dir = f.dir(f.root, "d");
        long time = f.clockNs + 1000;
        f.apply(rename(f.root, "a", dir, "b", 0));
        assertThat(names(f.root)).containsExactly("d");
        assertThat(names(dir)).containsExactly("b");
        assertThat(f.state.lookup(dir, "b").ino()).isEqualTo(file);
        assertThat(f.state.getattr(file).ctimeNs()).isEqualTo(time);
        assertThat(f.state.getattr(dir).mtimeNs()).isEqualTo(time);
        assertThat(f.state.getattr(f.root).mtimeNs()).isEqualTo(time);
    }

    @Test
    void moveADirectoryUpdatesParentPointerAndLinkCounts() {
        long a = f.dir(f.root, "a");
        long b = f.dir(f.root, "b");
        long moved = f.dir(a, "m");
        f.apply(rename(a, "m", b, "m", 0));
        assertThat(f.state.parentOf(moved)).isEqualTo(b);
        assertThat(f.state.getattr(a).nlink()).isEqualTo(2);
        assertThat(f.state.getattr(b).nlink()).isEqualTo(3);
    }

    @Test
    void renameOverAFileDropsItsLinkAndFreesIt() {
        long kept = f.file(f.root, "a");
        long replaced = f.file(f.root, "b");
        f.apply(rename(f.root, "a", f.root, "b", 0));
        assertThat(f.state.lookup(f.root, "b").ino()).isEqualTo(kept);
        assertThat(f.state.getattr(replaced).nlink()).as("lingers").isZero();
        f.endGrace();
        assertThatThrownBy(() -> f.state.getattr(replaced)).isInstanceOf(FsException.class);
        long other = f.file(f.root, "c");
        f.apply(new Link(other, f.root, "c2", f.now(), RequestOrigin.NONE));
        f.apply(rename(f.root, "b", f.root, "c", 0));
        assertThat(f.state.getattr(other).nlink()).isEqualTo(1);
    }

    @Test
    void renameOverAnOpenFileKeepsItUntilReleased() {
        f.file(f.root, "a");
        long open = f.file(f.root, "b");
        f.apply(new Opened(open, 77));
        f.apply(rename(f.root, "a", f.root, "b", 0));
        assertThat(f.state.getattr(open).nlink()).isZero();
        f.apply(new BucketCommand.Released(open, 77));
        assertThat(f.state.lingeringFileCount()).as("lingers once released").isEqualTo(1);
        f.endGrace();
        assertThatThrownBy(() -> f.state.getattr(open)).isInstanceOf(FsException.class);
    }

    @Test
    void renameKeepsTheCookieOfAReplacedName() {
        f.file(f.root, "a");
        f.file(f.root, "b");
        long cookieOfB = f.state.readdir(f.root, 0, 10).get(1).cookie();
        f.apply(rename(f.root, "a", f.root, "b", 0));
        assertThat(f.state.readdir(f.root, 0, 10)).singleElement()
                .satisfies(entry -> assertThat(entry.cookie()).isEqualTo(cookieOfB));
    }

    @Test
    void directoryOverAnEmptyDirectoryAndNotOverAFullOne() {
        long a = f.dir(f.root, "a");
        long empty = f.dir(f.root, "empty");
        long full = f.dir(f.root, "full");
        f.file(full, "x");
        assertThat(f.errno(rename(f.root, "a", f.root, "full", 0))).isEqualTo(ENOTEMPTY);
        f.apply(rename(f.root, "a", f.root, "empty", 0));
        assertThat(f.state.lookup(f.root, "empty").ino()).isEqualTo(a);
        assertThatThrownBy(() -> f.state.getattr(empty)).isInstanceOf(FsException.class);
        assertThat(f.state.getattr(f.root).nlink()).isEqualTo(4);
    }

    @Test
    void typeMismatchesAreRefused() {
        f.dir(f.root, "d");
        f.file(f.root, "f");
        assertThat(f.errno(rename(f.root, "d", f.root, "f", 0))).isEqualTo(ENOTDIR);
        assertThat(f.errno(rename(f.root, "f", f.root, "d", 0))).isEqualTo(EISDIR);
    }

    @Test
    void missingSourceAndBadArguments() {
        long file = f.file(f.root, "f");
        assertThat(f.errno(rename(f.root, "missing", f.root, "x", 0))).isEqualTo(ENOENT);
        assertThat(f.errno(rename(f.root, "f", f.root, "x", 3))).isEqualTo(EINVAL);
        assertThat(f.errno(rename(f.root, "f", f.root, "x", 4))).isEqualTo(EINVAL);
        assertThat(f.errno(rename(f.root, "f", file, "x", 0))).isEqualTo(ENOTDIR);
        assertThat(f.errno(rename(f.root, "f", f.root, "..", 0))).isEqualTo(EINVAL);
        assertThat(f.errno(rename(f.root, "f", Inodes.id(4, 1), "x", 0))).isEqualTo(EXDEV);
    }

    @Test
    void noReplaceRefusesAnExistingTarget() {
        f.file(f.root, "a");
        f.file(f.root, "b");
        assertThat(f.errno(rename(f.root, "a", f.root, "b", Rename.NOREPLACE))).isEqualTo(EEXIST);
        f.apply(rename(f.root, "a", f.root, "c", Rename.NOREPLACE));
        assertThat(names(f.root)).containsExactly("b", "c");
    }

    @Test
    void exchangeSwapsTwoNamesOfAnyTypes() {
        long dir = f.dir(f.root, "d");
        long other = f.dir(f.root, "o");
        long file = f.file(other, "f");
        f.apply(rename(f.root, "d", other, "f", Rename.EXCHANGE));
        assertThat(f.state.lookup(f.root, "d").ino()).isEqualTo(file);
        assertThat(f.state.lookup(other, "f").ino()).isEqualTo(dir);
        assertThat(f.state.parentOf(dir)).isEqualTo(other);
        assertThat(f.state.getattr(f.root).nlink()).isEqualTo(3);
        assertThat(f.state.getattr(other).nlink()).isEqualTo(3);
        assertThat(f.errno(rename(f.root, "d", f.root, "missing", Rename.EXCHANGE))).isEqualTo(ENOENT);
    }

    @Test
    void aDirectoryCannotMoveIntoItsOwnSubtree() {
        long a = f.dir(f.root, "a");
        long b = f.dir(a, "b");
        long c = f.dir(b, "c");
        assertThat(f.errno(rename(f.root, "a", c, "a", 0))).isEqualTo(EINVAL);
        assertThat(f.errno(rename(f.root, "a", a, "self", 0))).isEqualTo(EINVAL);
        assertThat(f.errno(rename(f.root, "a", b, "c", Rename.EXCHANGE))).isEqualTo(EINVAL);
        f.apply(rename(b, "c", f.root, "c", 0));
        assertThat(f.state.parentOf(c)).isEqualTo(f.root);
    }

    @Test
    void renamingOntoAnotherLinkOfTheSameFileDoesNothing() {
        long file = f.file(f.root, "a");
        f.apply(new Link(file, f.root, "b", f.now(), RequestOrigin.NONE));
        byte[] before = f.state.snapshot();
        assertThat(f.apply(rename(f.root, "a", f.root, "b", 0))).isEqualTo(CommandResult.DONE);
        assertThat(f.apply(rename(f.root, "a", f.root, "a", 0))).isEqualTo(CommandResult.DONE);
        assertThat(f.state.snapshot()).isEqualTo(before);
    }

    @Test
    void aDirectoryMoveWhoseAncestorsLeaveTheBucketIsATransaction() {
        BucketState state = BucketState.create(1, 2);
        int fsId = firstFsRootedIn(0, 2);
        long root = Inodes.rootIno(fsId, 2);
        // Names that the hash puts into bucket 1 under the remote root: inode and entries live here.
        // The moving directory's new parent has its ancestry in bucket 0, which this bucket cannot check.
        Inode dirA = localDirectory(state, root, "a", 1);
        Inode dirB = localDirectory(state, root, "b", 2);
        Inode moved = localDirectory(state, dirA.ino, "m", 3);
        assertThatThrownBy(() -> state.apply(new Rename(dirA.ino, "m", dirB.ino, "m", 0, 9, RequestOrigin.NONE)))
                .isInstanceOfSatisfying(FsException.class, e -> assertThat(e.errno()).isEqualTo(EXDEV));
        state.apply(new Rename(dirA.ino, "m", dirA.ino, "n", 0, 9, RequestOrigin.NONE));
        assertThat(state.parentOf(moved.ino)).isEqualTo(dirA.ino);
    }

    static int firstFsRootedIn(int bucket, int bucketCount) {
        for (int fsId = 0; ; fsId++) {
            if (Inodes.rootBucket(fsId, bucketCount) == bucket) {
                return fsId;
            }
        }
    }

    /** Plants a directory inode in a bucket by hand, as a committed mkdir transaction would leave it. */
    private static Inode localDirectory(BucketState state, long parent, String name, long counter) {
        BucketStore store = state.store();
        Inode dir = store.newInode(Inodes.id(store.bucket, counter), 0, FileType.DIR, 0755, 0, 0, 1);
        dir.parent = parent;
        store.insert(dir);
        Inode parentInode = store.inodes.get(parent);
        if (parentInode != null) {
            parentInode.directory.add(name, dir.ino, FileType.DIR);
            parentInode.nlink++;
        }
        store.nextInoCounter = Math.max(store.nextInoCounter, counter + 1);
        return dir;
    }
}
