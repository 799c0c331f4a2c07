package io.strata.compute.bucket;

import static io.strata.compute.bucket.Errno.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.strata.compute.bucket.BucketCommand.Create;
import io.strata.compute.bucket.BucketCommand.CreateRoot;
import io.strata.compute.bucket.BucketCommand.Link;
import io.strata.compute.bucket.BucketCommand.Rmdir;
import io.strata.compute.bucket.BucketCommand.Unlink;
import org.junit.jupiter.api.Test;

/** Create, lookup, link, unlink and rmdir at the state level, every refusal included. */
class NamespaceTest {
    private final Fixture f = Fixture.oneBucket();

    @Test
    void rootIsADirectoryThatIsItsOwnParentAndCreateRootIsIdempotent() {
        Attributes root = f.state.getattr(f.root);
        assertThat(root.type()).isEqualTo(FileType.DIR);
        assertThat(root.parent()).isEqualTo(f.root);
        assertThat(root.nlink()).isEqualTo(2);
        assertThat(root.mode()).isEqualTo(0755);
        assertThat(f.attrs(new CreateRoot(Fixture.FS, 0700, 5, 5, 99))).isEqualTo(root);
        assertThat(Inodes.isRoot(f.root)).isTrue();
        assertThat(Inodes.bucketOf(f.root)).isEqualTo(Inodes.rootBucket(Fixture.FS, 1));
    }

    @Test
    void rootsOfTwoFilesystemsInOneBucketDoNotCollide() {
        BucketState state = BucketState.create(0, 1);
        Attributes a = ((CommandResult.AttrResult) state.apply(new CreateRoot(1, 0755, 0, 0, 1))).attributes();
        Attributes b = ((CommandResult.AttrResult) state.apply(new CreateRoot(2, 0755, 0, 0, 1))).attributes();
        assertThat(a.ino()).isNotEqualTo(b.ino());
        assertThat(a.fsId()).isEqualTo(1);
        assertThat(b.fsId()).isEqualTo(2);
    }

    @Test
    void createRootInTheWrongBucketIsRefused() {
        int fsId = 3;
        int owner = Inodes.rootBucket(fsId, 24);
        BucketState other = BucketState.create((owner + 1) % 24, 24);
        assertThatThrownBy(() -> other.apply(new CreateRoot(fsId, 0755, 0, 0, 1)))
                .isInstanceOfSatisfying(FsException.class, e -> assertThat(e.errno()).isEqualTo(EINVAL));
    }

    @Test
    void createdInodesHaveTheirAttributesAndAreFoundByName() {
        long time = f.clockNs + 1000;
        Attributes file = f.create(f.root, "a", FileType.FILE);
        assertThat(file.type()).isEqualTo(FileType.FILE);
        assertThat(file.mode()).isEqualTo(0644);
        assertThat(file.uid()).isEqualTo(Fixture.USER);
        assertThat(file.gid()).isEqualTo(Fixture.GROUP);
        assertThat(file.nlink()).isEqualTo(1);
        assertThat(file.size()).isZero();
        assertThat(file.fsId()).isEqualTo(Fixture.FS);
        assertThat(file.ctimeNs()).isEqualTo(time);
        assertThat(Inodes.bucketOf(file.ino())).isZero();
        assertThat(Inodes.counterOf(file.ino())).isEqualTo(1);
        LookupResult found = f.state.lookup(f.root, "a");
        assertThat(found.ino()).isEqualTo(file.ino());
        assertThat(found.attributes()).isEqualTo(file);
        assertThat(f.state.getattr(f.root).mtimeNs()).isEqualTo(time);
    }

    @Test
    void directoriesCountTheirSubdirectoriesInNlink() {
        long dir = f.dir(f.root, "d");
        f.dir(dir, "x");
        f.dir(dir, "y");
        f.file(dir, "z");
        assertThat(f.state.getattr(dir).nlink()).isEqualTo(4);
        assertThat(f.state.getattr(f.root).nlink()).isEqualTo(3);
        assertThat(f.state.parentOf(dir)).isEqualTo(f.root);
        f.apply(new Rmdir(dir, "x", f.now(), RequestOrigin.NONE));
        assertThat(f.state.getattr(dir).nlink()).isEqualTo(3);
    }

    @Test
    void symlinksSpecialFilesAndTheirFields() {
        Attributes link = f.create(f.root, "l", FileType.SYMLINK);
        assertThat(f.state.readlink(link.ino())).isEqualTo("target/of/l");
        assertThat(link.size()).isEqualTo("target/of/l".length());
        Attributes device = f.attrs(new Create(f.root, "dev", FileType.CHAR, 0600, 0, 0, 0x0103, null, true, f.now(),
                RequestOrigin.NONE));
        assertThat(device.rdev()).isEqualTo(0x0103);
        assertThat(device.posixMode()).isEqualTo(0020600);
        assertThat(f.errno(new Create(f.root, "s", FileType.SYMLINK, 0777, 0, 0, 0, "", true, f.now(), RequestOrigin.NONE)))
                .isEqualTo(EINVAL);
        assertThat(f.errno(new Create(f.root, "s", FileType.SYMLINK, 0777, 0, 0, 0, "x".repeat(4096), true, f.now(),
                RequestOrigin.NONE))).isEqualTo(ENAMETOOLONG);
        long file = f.file(f.root, "f");
        assertThatThrownBy(() -> f.state.readlink(file))
                .isInstanceOfSatisfying(FsException.class, e -> assertThat(e.errno()).isEqualTo(EINVAL));
    }

    @Test
    void setGroupIdDirectoriesPassTheirGroupAndBitOn() {
        Attributes dir = f.attrs(new Create(f.root, "shared", FileType.DIR, 02775, Fixture.USER, 555, 0, null, true,
                f.now(), RequestOrigin.NONE));
        assertThat(dir.mode()).isEqualTo(02775);
        Attributes file = f.create(dir.ino(), "f", FileType.FILE);
        assertThat(file.gid()).isEqualTo(555);
        assertThat(file.mode()).isEqualTo(0644);
        Attributes sub = f.create(dir.ino(), "sub", FileType.DIR);
        assertThat(sub.gid()).isEqualTo(555);
        assertThat(sub.mode()).isEqualTo(02755);
        assertThat(f.state.mkdirOp(dir.ino(), "other", 0700, 1, 2, 5)).isEqualTo(
                new NamespaceOp.Mkdir(dir.ino(), "other", Fixture.FS, 02700, 1, 555, 5));
    }

    @Test
    void badNamesAreRefused() {
        assertThat(f.errno(f.createCommand(f.root, "", FileType.FILE))).isEqualTo(EINVAL);
        assertThat(f.errno(f.createCommand(f.root, ".", FileType.FILE))).isEqualTo(EINVAL);
        assertThat(f.errno(f.createCommand(f.root, "..", FileType.DIR))).isEqualTo(EINVAL);
        assertThat(f.errno(f.createCommand(f.root, "a/b", FileType.FILE))).isEqualTo(EINVAL);
        assertThat(f.errno(f.createCommand(f.root, "a\0b", FileType.FILE))).isEqualTo(EINVAL);
        assertThat(f.errno(f.createCommand(f.root, "n".repeat(256), FileType.FILE))).isEqualTo(ENAMETOOLONG);
        assertThat(f.errno(f.createCommand(f.root, "é".repeat(128), FileType.FILE))).isEqualTo(ENAMETOOLONG);
        f.file(f.root, "n".repeat(255));
        f.file(f.root, "é".repeat(127));
    }

    @Test
    void createRefusals() {
        long file = f.file(f.root, "f");
        assertThat(f.errno(f.createCommand(f.root, "f", FileType.FILE))).isEqualTo(EEXIST);
        assertThat(f.errno(f.createCommand(f.root, "f", FileType.DIR))).isEqualTo(EEXIST);
        assertThat(f.errno(f.createCommand(file, "x", FileType.FILE))).isEqualTo(ENOTDIR);
        long missing = Inodes.id(0, 999);
        assertThat(f.errno(f.createCommand(missing, "x", FileType.FILE))).isEqualTo(ENOENT);
        long elsewhere = Inodes.id(3, 1);
        assertThat(f.errno(f.createCommand(elsewhere, "x", FileType.FILE))).isEqualTo(ESTALE);
        assertThat(f.errno(new Create(f.root, "t", null, 0644, 1, 1, 0, null, true, 1, RequestOrigin.NONE))).isEqualTo(EINVAL);
        assertThat(f.errno(new CreateRoot(-1, 0755, 0, 0, 1))).isEqualTo(EINVAL);
        assertThatThrownBy(() -> f.state.getattr(missing))
                .isInstanceOfSatisfying(FsException.class, e -> assertThat(e.errno()).isEqualTo(ENOENT));
        assertThatThrownBy(() -> f.state.lookup(f.root, "nope"))
                .isInstanceOfSatisfying(FsException.class, e -> assertThat(e.errno()).isEqualTo(ENOENT));
    }

    @Test
    void nonExclusiveCreateOfAnExistingFileAnswersIt() {
        Attributes first = f.create(f.root, "f", FileType.FILE);
        Create again = new Create(f.root, "f", FileType.FILE, 0600, 1, 1, 0, null, false, f.now(), RequestOrigin.NONE);
        assertThat(f.attrs(again)).isEqualTo(first);
        f.dir(f.root, "d");
        assertThat(f.errno(new Create(f.root, "d", FileType.FILE, 0600, 1, 1, 0, null, false, f.now(),
                RequestOrigin.NONE))).isEqualTo(EEXIST);
    }

    @Test
    void aDirectoryThatHashesToAnotherBucketIsATransaction() {
        BucketState state = BucketState.create(0, 24);
        int fsId = 0;
        state.apply(new CreateRoot(fsId, 0755, 0, 0, 1));
        long root = Inodes.rootIno(fsId, 24);
        String local = null;
        String remote = null;
        for (int i = 0; local == null || remote == null; i++) {
            String name = "d" + i;
            if (Inodes.directoryBucket(root, name, 24) == 0) {
                local = name;
            } else {
                remote = name;
            }
        }
        Create mkdirRemote = new Create(root, remote, FileType.DIR, 0755, 0, 0, 0, null, true, 5, RequestOrigin.NONE);
        assertThatThrownBy(() -> state.apply(mkdirRemote))
                .isInstanceOfSatisfying(FsException.class, e -> assertThat(e.errno()).isEqualTo(EXDEV));
        Create mkdirLocal = new Create(root, local, FileType.DIR, 0755, 0, 0, 0, null, true, 5, RequestOrigin.NONE);
        assertThat(Inodes.bucketOf(((CommandResult.AttrResult) state.apply(mkdirLocal)).attributes().ino())).isZero();
        Create file = new Create(root, remote, FileType.FILE, 0644, 0, 0, 0, null, true, 5, RequestOrigin.NONE);
        assertThat(Inodes.bucketOf(((CommandResult.AttrResult) state.apply(file)).attributes().ino())).isZero();
    }

    @Test
    void unlinkDropsALinkAndFreesTheLastOne() {
        long file = f.file(f.root, "f");
        f.apply(new Link(file, f.root, "g", f.now(), RequestOrigin.NONE));
        assertThat(f.state.getattr(file).nlink()).isEqualTo(2);
        f.apply(new Unlink(f.root, "f", f.now(), RequestOrigin.NONE));
        assertThat(f.state.getattr(file).nlink()).isEqualTo(1);
        f.apply(new Unlink(f.root, "g", f.now(), RequestOrigin.NONE));
        assertThat(f.state.getattr(file).nlink()).as("lingers").isZero();
        assertThat(f.state.lingeringFileCount()).isEqualTo(1);
        assertThat(f.state.inodeCount()).isEqualTo(1);
        f.endGrace();
        assertThatThrownBy(() -> f.state.getattr(file)).isInstanceOf(FsException.class);
        assertThat(f.state.lingeringFileCount()).isZero();
    }

    @Test
    void unlinkAndRmdirRefusals() {
        long dir = f.dir(f.root, "d");
        f.file(dir, "inner");
        f.file(f.root, "f");
        assertThat(f.errno(new Unlink(f.root, "missing", f.now(), RequestOrigin.NONE))).isEqualTo(ENOENT);
        assertThat(f.errno(new Unlink(f.root, "d", f.now(), RequestOrigin.NONE))).isEqualTo(EISDIR);
        assertThat(f.errno(new Rmdir(f.root, "f", f.now(), RequestOrigin.NONE))).isEqualTo(ENOTDIR);
        assertThat(f.errno(new Rmdir(f.root, "d", f.now(), RequestOrigin.NONE))).isEqualTo(ENOTEMPTY);
        assertThat(f.errno(new Rmdir(f.root, "missing", f.now(), RequestOrigin.NONE))).isEqualTo(ENOENT);
        assertThat(f.errno(new Rmdir(f.root, ".", f.now(), RequestOrigin.NONE))).isEqualTo(EINVAL);
        long file = f.state.lookup(f.root, "f").ino();
        assertThat(f.errno(new Unlink(file, "x", f.now(), RequestOrigin.NONE))).isEqualTo(ENOTDIR);
        f.apply(new Unlink(dir, "inner", f.now(), RequestOrigin.NONE));
        f.apply(new Rmdir(f.root, "d", f.now(), RequestOrigin.NONE));
        assertThat(f.state.getattr(f.root).nlink()).isEqualTo(2);
    }

    @Test
    void linkRefusals() {
        long file = f.file(f.root, "f");
        long dir = f.dir(f.root, "d");
        assertThat(f.errno(new Link(file, f.root, "d", f.now(), RequestOrigin.NONE))).isEqualTo(EEXIST);
        assertThat(f.errno(new Link(dir, f.root, "d2", f.now(), RequestOrigin.NONE))).isEqualTo(EPERM);
        assertThat(f.errno(new Link(file, file, "x", f.now(), RequestOrigin.NONE))).isEqualTo(ENOTDIR);
        assertThat(f.errno(new Link(Inodes.id(0, 999), f.root, "x", f.now(), RequestOrigin.NONE))).isEqualTo(ENOENT);
        assertThat(f.errno(new Link(Inodes.id(2, 1), f.root, "x", f.now(), RequestOrigin.NONE))).isEqualTo(EXDEV);
        Attributes linked = f.attrs(new Link(file, dir, "again", f.now(), RequestOrigin.NONE));
        assertThat(linked.nlink()).isEqualTo(2);
        f.state.store().inode(file).nlink = Inode.MAX_FILE_LINKS;
        assertThat(f.errno(new Link(file, f.root, "one-too-many", f.now(), RequestOrigin.NONE))).isEqualTo(EMLINK);
    }

    @Test
    void retriedRequestsAnswerTheirFirstResult() {
        RequestOrigin origin = new RequestOrigin(3, 41);
        Create create = new Create(f.root, "f", FileType.FILE, 0644, 1, 1, 0, null, true, f.now(), origin);
        Attributes first = f.attrs(create);
        assertThat(f.attrs(create)).isEqualTo(first);
        Unlink unlink = new Unlink(f.root, "f", f.now(), new RequestOrigin(3, 42));
        f.apply(unlink);
        assertThat(f.apply(unlink)).isEqualTo(CommandResult.DONE);
        assertThat(f.errno(new Unlink(f.root, "f", f.now(), new RequestOrigin(3, 43)))).isEqualTo(ENOENT);
    }

    @Test
    void refusedRequestsAreNotRemembered() {
        RequestOrigin origin = new RequestOrigin(3, 7);
        assertThat(f.errno(new Unlink(f.root, "f", f.now(), origin))).isEqualTo(ENOENT);
        f.file(f.root, "f");
        assertThat(f.apply(new Unlink(f.root, "f", f.now(), origin))).isEqualTo(CommandResult.DONE);
    }

    @Test
    void dedupForgetsTheOldestBeyondItsCapacity() {
        for (int i = 1; i <= RequestDedup.CAPACITY + 1; i++) {
            f.apply(new Create(f.root, "f" + i, FileType.FILE, 0644, 1, 1, 0, null, true, f.now(), new RequestOrigin(1, i)));
        }
        // The first request was forgotten: re-sending it runs again and meets its own file.
        assertThat(f.errno(new Create(f.root, "f1", FileType.FILE, 0644, 1, 1, 0, null, true, f.now(),
                new RequestOrigin(1, 1)))).isEqualTo(EEXIST);
        assertThat(f.attrs(new Create(f.root, "f2", FileType.FILE, 0644, 1, 1, 0, null, true, f.now(),
                new RequestOrigin(1, 2))).ino()).isEqualTo(f.state.lookup(f.root, "f2").ino());
    }
}
