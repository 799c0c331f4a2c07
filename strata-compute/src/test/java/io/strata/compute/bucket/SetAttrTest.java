package io.strata.compute.bucket;

import static io.strata.compute.bucket.Errno.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.strata.compute.bucket.BucketCommand.SetAttr;
import org.junit.jupiter.api.Test;

/** setattr: mode, owner and the POSIX privilege rules, size, times. */
class SetAttrTest {
    private final Fixture f = Fixture.oneBucket();

    private SetAttr setAttr(long ino, int valid, int mode, int uid, int gid, long size, int callerUid) {
        return new SetAttr(ino, valid, mode, uid, gid, size, 0, 0, 0, callerUid, f.now(), RequestOrigin.NONE);
    }

    @Test
    void chmodKeepsTwelveBitsAndUpdatesCtime() {
        long file = f.file(f.root, "f");
        long time = f.clockNs + 1000;
        Attributes after = f.attrs(setAttr(file, SetAttr.MODE, 0107755, 0, 0, 0, Fixture.USER));
        assertThat(after.mode()).isEqualTo(07755);
        assertThat(after.ctimeNs()).isEqualTo(time);
        assertThat(after.mtimeNs()).isLessThan(time);
    }

    @Test
    void chownByANonRootUserDropsSetIdBits() {
        long file = f.file(f.root, "f");
        f.apply(setAttr(file, SetAttr.MODE, 06755, 0, 0, 0, 0));
        Attributes after = f.attrs(setAttr(file, SetAttr.GID, 0, 0, 42, 0, Fixture.USER));
        assertThat(after.gid()).isEqualTo(42);
        assertThat(after.mode()).isEqualTo(0755);
        f.apply(setAttr(file, SetAttr.MODE, 06745, 0, 0, 0, 0));
        assertThat(f.attrs(setAttr(file, SetAttr.UID, 0, 5, 0, 0, Fixture.USER)).mode())
                .as("set-group-id without group execute is kept").isEqualTo(02745);
        f.apply(setAttr(file, SetAttr.MODE, 06755, 0, 0, 0, 0));
        assertThat(f.attrs(setAttr(file, SetAttr.UID | SetAttr.GID, 0, 9, 9, 0, 0)).mode())
                .as("root keeps the bits").isEqualTo(06755);
    }

    @Test
    void truncateByANonRootUserDropsSetUserId() {
        long file = f.file(f.root, "f");
        f.apply(setAttr(file, SetAttr.MODE, 04755, 0, 0, 0, 0));
        assertThat(f.attrs(setAttr(file, SetAttr.SIZE, 0, 0, 0, 10, Fixture.USER)).mode()).isEqualTo(0755);
    }

    @Test
    void growingMakesAHoleAndShrinkingTrims() {
        f.provision(2, 1L << 30);
        long file = f.file(f.root, "f");
        f.write(file, 0, 8192);
        Attributes grown = f.attrs(setAttr(file, SetAttr.SIZE, 0, 0, 0, 1L << 33, 0));
        assertThat(grown.size()).isEqualTo(1L << 33);
        assertThat(f.state.usage(Fixture.FS).usedBytes()).isEqualTo(8192);
        assertThat(f.state.layout(file, 8192, 4096)).containsExactly(new Segment.Hole(8192, 4096));
        f.apply(setAttr(file, SetAttr.SIZE, 0, 0, 0, 100, 0));
        assertThat(f.state.usage(Fixture.FS).usedBytes()).isEqualTo(100);
        assertThat(f.state.getattr(file).size()).isEqualTo(100);
    }

    @Test
    void sizeRefusals() {
        long dir = f.dir(f.root, "d");
        long link = f.create(f.root, "l", FileType.SYMLINK).ino();
        long file = f.file(f.root, "f");
        assertThat(f.errno(setAttr(dir, SetAttr.SIZE, 0, 0, 0, 0, 0))).isEqualTo(EISDIR);
        assertThat(f.errno(setAttr(link, SetAttr.SIZE, 0, 0, 0, 0, 0))).isEqualTo(EINVAL);
        assertThat(f.errno(setAttr(file, SetAttr.SIZE, 0, 0, 0, -1, 0))).isEqualTo(EINVAL);
        assertThat(f.errno(setAttr(file, SetAttr.SIZE, 0, 0, 0, AttributeCommands.MAX_FILE_BYTES + 1, 0))).isEqualTo(EFBIG);
        assertThat(f.errno(setAttr(Inodes.id(0, 99), SetAttr.MODE, 0, 0, 0, 0, 0))).isEqualTo(ENOENT);
    }

    @Test
    void timesAreSetGivenOrNow() {
        long file = f.file(f.root, "f");
        long now = f.clockNs + 1000;
        SetAttr explicit = new SetAttr(file, SetAttr.ATIME | SetAttr.MTIME | SetAttr.CTIME, 0, 0, 0, 0, 11, 22, 33, 0,
                now, RequestOrigin.NONE);
        Attributes after = f.attrs(explicit);
        assertThat(after.atimeNs()).isEqualTo(11);
        assertThat(after.mtimeNs()).isEqualTo(22);
        assertThat(after.ctimeNs()).isEqualTo(33);
        SetAttr touch = new SetAttr(file, SetAttr.ATIME | SetAttr.ATIME_NOW | SetAttr.MTIME | SetAttr.MTIME_NOW, 0, 0, 0,
                0, 11, 22, 33, 0, now + 5, RequestOrigin.NONE);
        after = f.attrs(touch);
        assertThat(after.atimeNs()).isEqualTo(now + 5);
        assertThat(after.mtimeNs()).isEqualTo(now + 5);
        assertThat(after.ctimeNs()).isEqualTo(now + 5);
    }
}
