package io.strata.compute.bucket;

import static io.strata.compute.bucket.Errno.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.strata.compute.bucket.BucketCommand.CapacityGranted;
import io.strata.compute.bucket.BucketCommand.CapacityReturned;
import io.strata.compute.bucket.BucketCommand.CommitExtent;
import io.strata.compute.bucket.BucketCommand.Create;
import io.strata.compute.bucket.BucketCommand.DeleteFilesystem;
import io.strata.compute.bucket.BucketCommand.Opened;
import io.strata.compute.bucket.BucketCommand.Released;
import io.strata.compute.bucket.BucketCommand.ReleaseAllOfMount;
import io.strata.compute.bucket.BucketCommand.SetAttr;
import io.strata.compute.bucket.BucketCommand.ShardsRepaired;
import io.strata.compute.bucket.BucketCommand.Unlink;
import io.strata.compute.layout.ChunkAddress;
import io.strata.compute.layout.ExtentView;
import io.strata.compute.layout.Stripe;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Extent maps, stripe references, space, capacity, open-unlinked files and degraded stripes. */
class ExtentTest {
    private static final long K64 = 64 * 1024;
    private final Fixture f = Fixture.oneBucket();
    private long file;

    @BeforeEach
    void provision() {
        f.provision(2, 1L << 30);
        file = f.file(f.root, "f");
    }

    private List<Segment> layout(long offset, long length) {
        return f.state.layout(file, offset, length);
    }

    private Segment.Data data(long fileOffset, long length, long stripeOffset, long extentId) {
        Stripe stripe = f.state.layout(file, fileOffset, 1).stream().map(s -> ((Segment.Data) s).view().stripe())
                .findFirst().orElseThrow();
        assertThat(stripe.extentId()).isEqualTo(extentId);
        return new Segment.Data(new ExtentView(fileOffset, length, stripeOffset, stripe));
    }

    private void assertAllSpaceFree() {
        for (int drive = 0; drive < Fixture.DATA + Fixture.PARITY; drive++) {
            assertThat(f.state.space().freeBytes(drive)).isEqualTo(f.state.space().leasedBytes(drive));
        }
    }

    @Test
    void aCommitSetsSizeTimesAndUse() {
        long time = f.clockNs + 1000;
        Attributes after = f.attrs(f.commitCommand(file, 100, 5000));
        assertThat(after.size()).isEqualTo(5100);
        assertThat(after.mtimeNs()).isEqualTo(time).isEqualTo(after.ctimeNs());
        assertThat(f.state.usage(Fixture.FS).usedBytes()).isEqualTo(5000);
        assertThat(f.state.stripeCount()).isEqualTo(1);
        long perChunk = 4096 + Fixture.CHUNK_BYTES;
        assertThat(f.state.space().freeBytes(0)).isEqualTo(f.state.space().leasedBytes(0) - perChunk);
        assertThat(f.state.space().freeBytes(1)).as("data chunk 1 is all zeros, not stored")
                .isEqualTo(f.state.space().leasedBytes(1));
        assertThat(f.state.space().freeBytes(5)).isEqualTo(f.state.space().leasedBytes(5) - perChunk);
    }

    @Test
    void overwritingTheMiddleSplitsTheOlderView() {
        long a = f.write(file, 0, K64);
        long b = f.write(file, 1000, 2000);
        assertThat(layout(0, K64)).containsExactly(data(0, 1000, 0, a), data(1000, 2000, 0, b),
                data(3000, K64 - 3000, 3000, a));
        assertThat(f.state.stripeReferences(a)).isEqualTo(2);
        assertThat(f.state.usage(Fixture.FS).usedBytes()).isEqualTo(K64);
    }

    @Test
    void holesBetweenAndClippingToTheRangeAndSize() {
        long a = f.write(file, 0, 4096);
        long b = f.write(file, 3L << 20, 4096);
        assertThat(layout(1000, 10L << 20)).containsExactly(data(1000, 3096, 1000, a),
                new Segment.Hole(4096, (3L << 20) - 4096), data(3L << 20, 4096, 0, b));
        assertThat(layout(5L << 20, 100)).isEmpty();
        assertThat(layout(2000, 10)).containsExactly(data(2000, 10, 2000, a));
    }

    @Test
    void offsetsBeyondFourGibibytes() {
        long far = (5L << 30) + 12345;
        long a = f.write(file, far, 8192);
        assertThat(f.state.getattr(file).size()).isEqualTo(far + 8192);
        assertThat(layout(far - 10, 20)).containsExactly(new Segment.Hole(far - 10, 10), data(far, 10, 0, a));
        f.apply(new SetAttr(file, SetAttr.SIZE, 0, 0, 0, far + 100, 0, 0, 0, 0, f.now(), RequestOrigin.NONE));
        assertThat(layout(far, 1L << 20)).containsExactly(data(far, 100, 0, a));
    }

    @Test
    void truncateInTheMiddleOfAView() {
        long a = f.write(file, 0, K64);
        f.apply(new SetAttr(file, SetAttr.SIZE, 0, 0, 0, 1000, 0, 0, 0, 0, f.now(), RequestOrigin.NONE));
        assertThat(layout(0, K64)).containsExactly(data(0, 1000, 0, a));
        assertThat(f.state.usage(Fixture.FS).usedBytes()).isEqualTo(1000);
        f.apply(new SetAttr(file, SetAttr.SIZE, 0, 0, 0, K64, 0, 0, 0, 0, f.now(), RequestOrigin.NONE));
        assertThat(layout(0, K64)).containsExactly(data(0, 1000, 0, a), new Segment.Hole(1000, K64 - 1000));
    }

    @Test
    void aStripeIsFreedExactlyWhenItsLastViewGoes() {
        long a = f.write(file, 0, K64);
        f.write(file, 0, K64 / 2);
        assertThat(f.state.stripeReferences(a)).isEqualTo(1);
        long freeBefore = f.state.space().freeBytes(0);
        f.write(file, K64 / 2, K64 / 2);
        assertThat(f.state.stripeReferences(a)).isZero();
        assertThat(f.state.space().freeBytes(0)).as("one chunk allocated, the first stripe's freed").isEqualTo(freeBefore);
        assertThat(f.state.stripeCount()).isEqualTo(2);
        f.apply(new SetAttr(file, SetAttr.SIZE, 0, 0, 0, 0, 0, 0, 0, 0, f.now(), RequestOrigin.NONE));
        assertThat(f.state.stripeCount()).isZero();
        assertAllSpaceFree();
        assertThat(f.state.usage(Fixture.FS).usedBytes()).isZero();
    }

    @Test
    void freedSpaceIsFoundAgain() {
        f.write(file, 0, K64);
        long firstAddress = ((Segment.Data) layout(0, 1).getFirst()).view().stripe().shards().getFirst().address();
        f.apply(new Unlink(f.root, "f", f.now(), RequestOrigin.NONE));
        assertThat(f.state.space().findFree(0, 4096 + Fixture.CHUNK_BYTES, new Reservations())).as("lingering")
                .isNotEqualTo(java.util.Optional.of(firstAddress));
        f.endGrace();
        assertThat(f.state.space().findFree(0, 4096 + Fixture.CHUNK_BYTES, new Reservations())).contains(firstAddress);
    }

    @Test
    void aRetriedCommitAnswersTheFirstResultAndAllocatesOnce() {
        CommitExtent first = f.commitCommand(file, 0, 4096);
        CommitExtent retry = new CommitExtent(first.ino(), 0, 4096, 0, first.stripe(), Fixture.USER, first.timeNs(),
                new RequestOrigin(2, 9));
        CommitExtent original = new CommitExtent(first.ino(), 0, 4096, 0, first.stripe(), Fixture.USER, first.timeNs(),
                new RequestOrigin(2, 9));
        Attributes result = f.attrs(original);
        long free = f.state.space().freeBytes(0);
        assertThat(f.attrs(retry)).isEqualTo(result);
        assertThat(f.state.space().freeBytes(0)).isEqualTo(free);
        assertThat(f.state.stripeCount()).isEqualTo(1);
        assertThat(f.errno(new CommitExtent(first.ino(), 0, 4096, 0, first.stripe(), Fixture.USER, first.timeNs(),
                new RequestOrigin(2, 10)))).isEqualTo(EIO);
    }

    @Test
    void aWriteByANonRootUserDropsSetIdBits() {
        f.apply(new SetAttr(file, SetAttr.MODE, 06775, 0, 0, 0, 0, 0, 0, 0, f.now(), RequestOrigin.NONE));
        CommitExtent byRoot = f.commitCommand(file, 0, 10);
        f.apply(new CommitExtent(file, 0, 10, 0, byRoot.stripe(), 0, f.now(), RequestOrigin.NONE));
        assertThat(f.state.getattr(file).mode()).isEqualTo(06775);
        assertThat(f.attrs(f.commitCommand(file, 0, 10)).mode()).isEqualTo(0775);
    }

    @Test
    void writesInFlightTogetherMayCommitOutOfIdOrder() {
        long first = f.state.nextExtentId();
        Stripe later = f.stripe(first + 1, 4096);
        f.apply(new CommitExtent(file, 4096, 4096, 0, later, 0, f.now(), RequestOrigin.NONE));
        Stripe earlier = new Stripe(first, 4, 2, Fixture.CHUNK_BYTES, 1, 4096,
                f.stripe(first + 2, 4096).shards(), 0);
        f.apply(new CommitExtent(file, 0, 4096, 0, earlier, 0, f.now(), RequestOrigin.NONE));
        assertThat(f.state.stripeReferences(first)).isEqualTo(1);
        assertThat(f.state.stripeReferences(first + 1)).isEqualTo(1);
        assertThat(f.state.nextExtentId()).isEqualTo(first + 2);
    }

    @Test
    void commitsThatTheLeaderShouldNotHaveSentAreRefusedWithEio() {
        Stripe good = f.stripe(f.state.nextExtentId(), 4096);
        f.apply(new CommitExtent(file, 0, 4096, 0, good, 0, f.now(), RequestOrigin.NONE));
        Stripe sameSpace = new Stripe(f.state.nextExtentId(), 4, 2, Fixture.CHUNK_BYTES, 1, 4096, good.shards(), 0);
        assertThat(f.errno(new CommitExtent(file, 0, 4096, 0, sameSpace, 0, f.now(), RequestOrigin.NONE))).isEqualTo(EIO);
        Stripe reusedId = f.stripe(good.extentId(), 4096);
        assertThat(f.errno(new CommitExtent(file, 0, 4096, 0, reusedId, 0, f.now(), RequestOrigin.NONE))).isEqualTo(EIO);
        Stripe foreignId = f.stripe(Inodes.id(5, 100), 4096);
        assertThat(f.errno(new CommitExtent(file, 0, 4096, 0, foreignId, 0, f.now(), RequestOrigin.NONE))).isEqualTo(EIO);
        assertThat(f.errno(commitWithChunk(new ChunkAddress(9, 1L << 20)))).as("drive not leased").isEqualTo(EIO);
        assertThat(f.errno(commitWithChunk(new ChunkAddress(0, (1L << 20) + 512)))).as("misaligned").isEqualTo(EIO);
        assertThat(f.errno(commitWithChunk(new ChunkAddress(0, (1L << 20) + 2 * Fixture.REGION_BYTES))))
                .as("beyond the leased regions").isEqualTo(EIO);
        assertThat(f.errno(commitWithChunk(new ChunkAddress(0, (1L << 20) + Fixture.REGION_BYTES - 4096))))
                .as("across a region's end").isEqualTo(EIO);
    }

    private CommitExtent commitWithChunk(ChunkAddress first) {
        Stripe fresh = f.stripe(f.state.nextExtentId(), 4096);
        List<ChunkAddress> shards = new ArrayList<>(fresh.shards());
        shards.set(0, first);
        Stripe stripe = new Stripe(fresh.extentId(), 4, 2, Fixture.CHUNK_BYTES, 1, 4096, shards, 0);
        return new CommitExtent(file, 0, 4096, 0, stripe, 0, f.now(), RequestOrigin.NONE);
    }

    @Test
    void twoShardsOfOneStripeMayNotOverlap() {
        Stripe fresh = f.stripe(f.state.nextExtentId(), 4096);
        List<ChunkAddress> shards = new ArrayList<>(fresh.shards());
        shards.set(4, new ChunkAddress(0, shards.getFirst().address() + 4096));
        Stripe stripe = new Stripe(fresh.extentId(), 4, 2, Fixture.CHUNK_BYTES, 1, 4096, shards, 0);
        assertThat(f.errno(new CommitExtent(file, 0, 4096, 0, stripe, 0, f.now(), RequestOrigin.NONE))).isEqualTo(EIO);
    }

    @Test
    void badRangesAndTypes() {
        long dir = f.dir(f.root, "d");
        long link = f.create(f.root, "l", FileType.SYMLINK).ino();
        Stripe stripe = f.stripe(f.state.nextExtentId(), 4096);
        assertThat(f.errno(new CommitExtent(dir, 0, 10, 0, stripe, 0, 1, RequestOrigin.NONE))).isEqualTo(EISDIR);
        assertThat(f.errno(new CommitExtent(link, 0, 10, 0, stripe, 0, 1, RequestOrigin.NONE))).isEqualTo(EINVAL);
        assertThat(f.errno(new CommitExtent(file, 0, 0, 0, stripe, 0, 1, RequestOrigin.NONE))).isEqualTo(EINVAL);
        assertThat(f.errno(new CommitExtent(file, -1, 10, 0, stripe, 0, 1, RequestOrigin.NONE))).isEqualTo(EINVAL);
        assertThat(f.errno(new CommitExtent(file, 0, 10, 4090, stripe, 0, 1, RequestOrigin.NONE))).isEqualTo(EINVAL);
        assertThat(f.errno(new CommitExtent(file, AttributeCommands.MAX_FILE_BYTES - 5, 10, 0, stripe, 0, 1,
                RequestOrigin.NONE))).isEqualTo(EFBIG);
    }

    @Test
    void writesBeyondTheReservationAreRefusedWithEnospc() {
        Fixture small = Fixture.oneBucket();
        small.provision(1, 0);
        long ino = small.file(small.root, "f");
        assertThat(small.errno(small.commitCommand(ino, 0, 10))).isEqualTo(ENOSPC);
        assertThat(small.state.capacityNeeded(Fixture.FS, 10)).isEqualTo(10);
        small.apply(new CapacityGranted(Fixture.FS, 100_000));
        small.write(ino, 0, K64);
        assertThat(small.state.capacityNeeded(Fixture.FS, 50_000)).isEqualTo(K64 + 50_000 - 100_000);
        assertThat(small.errno(small.commitCommand(ino, K64, K64))).isEqualTo(ENOSPC);
        small.write(ino, 0, K64);
        small.write(ino, K64 - 1000, 1000 + 100_000 - K64);
        assertThat(small.state.usage(Fixture.FS).usedBytes()).isEqualTo(100_000);
        assertThat(small.errno(new CapacityReturned(Fixture.FS, 1))).isEqualTo(EINVAL);
        assertThat(small.errno(new CapacityGranted(Fixture.FS, 0))).isEqualTo(EINVAL);
        small.apply(new SetAttr(ino, SetAttr.SIZE, 0, 0, 0, 0, 0, 0, 0, 0, small.now(), RequestOrigin.NONE));
        small.apply(new CapacityReturned(Fixture.FS, 60_000));
        assertThat(small.state.usage(Fixture.FS)).isEqualTo(new FsUsage(Fixture.FS, 0, 40_000, 2));
    }

    @Test
    void anOpenUnlinkedFileKeepsItsDataUntilTheLastRelease() {
        long a = f.write(file, 0, 4096);
        f.apply(new Opened(file, 1));
        f.apply(new Opened(file, 2));
        f.apply(new Unlink(f.root, "f", f.now(), RequestOrigin.NONE));
        assertThat(f.state.getattr(file).nlink()).isZero();
        f.write(file, 4096, 4096);
        f.apply(new Released(file, 1));
        assertThat(f.state.stripeReferences(a)).isEqualTo(1);
        f.apply(new Released(file, 2));
        assertThat(f.state.stripeReferences(a)).as("lingering").isEqualTo(1);
        f.endGrace();
        assertThat(f.state.stripeCount()).isZero();
        assertThat(f.state.inodeCount()).isEqualTo(1);
        assertAllSpaceFree();
        f.apply(new Released(file, 2));
    }

    /** A mount's open follows its lookup of the name; a rename or unlink may commit in between. */
    @Test
    void anOpenThatRacedWithTheLastUnlinkRevivesTheLingeringFile() {
        long a = f.write(file, 0, 4096);
        FsUsage before = f.state.usage(Fixture.FS);
        f.apply(new Unlink(f.root, "f", f.now(), RequestOrigin.NONE));
        assertThat(f.state.lingeringFileCount()).isEqualTo(1);
        assertThat(f.state.usage(Fixture.FS).usedBytes()).as("a lingering file's bytes make room at once").isZero();
        assertThat(f.state.usage(Fixture.FS).inodes()).isEqualTo(before.inodes() - 1);
        assertThat(f.state.getattr(file).nlink()).as("getattr sees a lingering file").isZero();
        assertThat(f.errno(f.commitCommand(file, 4096, 4096))).as("nothing else does").isEqualTo(ENOENT);
        f.apply(new Opened(file, 5));
        assertThat(f.state.lingeringFileCount()).as("revived").isZero();
        assertThat(f.state.usage(Fixture.FS)).as("and counted again").isEqualTo(before);
        f.endGrace();
        assertThat(f.state.stripeReferences(a)).as("an open file outlives the grace").isEqualTo(1);
        assertThat(layout(0, 4096)).containsExactly(data(0, 4096, 0, a));
        f.apply(new Released(file, 5));
        assertThat(f.state.lingeringFileCount()).as("lingers again once released").isEqualTo(1);
        f.endGrace();
        assertThat(f.state.stripeCount()).isZero();
        assertThat(f.state.usage(Fixture.FS).usedBytes()).isZero();
        assertThat(f.state.usage(Fixture.FS).inodes()).isEqualTo(before.inodes() - 1);
        assertThat(f.errno(new Opened(file, 6))).as("gone after the grace").isEqualTo(ENOENT);
        assertAllSpaceFree();
    }

    @Test
    void theGraceEndsInTheOrderFilesStartedToLinger() {
        long second = f.file(f.root, "g");
        f.apply(new Unlink(f.root, "f", f.now(), RequestOrigin.NONE));
        long firstNumber = f.state.lastLingeringNumber();
        f.apply(new Unlink(f.root, "g", f.now(), RequestOrigin.NONE));
        assertThat(f.state.oldestLingeringNumber()).isEqualTo(firstNumber);
        f.apply(new BucketCommand.DropLingering(firstNumber));
        assertThat(f.errno(new Opened(file, 1))).isEqualTo(ENOENT);
        assertThat(f.state.getattr(second).nlink()).as("the later one still lingers").isZero();
        assertThat(f.state.oldestLingeringNumber()).isGreaterThan(firstNumber);
        f.endGrace();
        assertThat(f.state.lingeringFileCount()).isZero();
        assertThat(f.state.oldestLingeringNumber()).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void aCreateThatOpensKeepsTheNewFileWhileItsHandleLives() {
        long created = f.attrs(new Create(f.root, "new", FileType.FILE, 0644, 1, 1, 0, null, true, f.now(), RequestOrigin.NONE, 11)).ino();
        long found = f.attrs(new Create(f.root, "new", FileType.FILE, 0644, 1, 1, 0, null, false, f.now(), RequestOrigin.NONE, 12)).ino();
        assertThat(found).isEqualTo(created);
        assertThat(f.state.openHandles(created)).as("both creates opened the file").isEqualTo(2);
        f.apply(new Unlink(f.root, "new", f.now(), RequestOrigin.NONE));
        f.apply(new Released(created, 11));
        assertThat(f.state.inodeNumbers()).as("the second handle still holds it").contains(created);
        f.apply(new Released(created, 12));
        assertThat(f.state.inodeNumbers()).doesNotContain(created);
    }

    @Test
    void aMountThatWentAwayReleasesAllItsHandles() {
        long mine = 7L << 48;
        long other = 8L << 48;
        f.write(file, 0, 4096);
        long second = f.file(f.root, "g");
        f.apply(new Opened(file, mine | 1));
        f.apply(new Opened(file, other | 1));
        f.apply(new Opened(second, mine | 2));
        f.apply(new Unlink(f.root, "f", f.now(), RequestOrigin.NONE));
        f.apply(new Unlink(f.root, "g", f.now(), RequestOrigin.NONE));
        f.apply(new ReleaseAllOfMount(7));
        assertThat(f.state.openHandles(file)).isEqualTo(1);
        assertThat(f.state.inodeNumbers()).containsExactly(file, f.root);
        f.apply(new ReleaseAllOfMount(8));
        assertThat(f.state.inodeNumbers()).containsExactly(f.root);
        f.endGrace();
        assertAllSpaceFree();
    }

    @Test
    void degradedStripesAreListedByDriveUntilRepaired() {
        Stripe fresh = f.stripe(f.state.nextExtentId(), 3 * K64);
        long missing = (1L << 1) | (1L << 5);
        Stripe degraded = fresh.withMissing(missing);
        f.apply(new CommitExtent(file, 0, 3 * K64, 0, degraded, 0, f.now(), RequestOrigin.NONE));
        assertThat(f.state.degradedStripeCount()).isEqualTo(1);
        assertThat(f.state.stripesMissingOn(1)).containsExactly(degraded);
        assertThat(f.state.stripesMissingOn(5)).containsExactly(degraded);
        assertThat(f.state.stripesMissingOn(0)).isEmpty();
        f.apply(new ShardsRepaired(fresh.extentId(), 1L << 5));
        assertThat(f.state.stripesMissingOn(5)).isEmpty();
        assertThat(((Segment.Data) layout(0, 1).getFirst()).view().stripe().missing()).isEqualTo(1L << 1);
        f.apply(new ShardsRepaired(fresh.extentId(), 1L << 1));
        assertThat(f.state.degradedStripeCount()).isZero();
        assertThat(f.state.stripesMissingOn(1)).isEmpty();
        assertThat(f.errno(new ShardsRepaired(Inodes.id(0, 999), 1))).isEqualTo(ENOENT);
    }

    @Test
    void deletingAFilesystemDropsItsInodesAndSpaceButNotOthers() {
        f.write(file, 0, K64);
        long dir = f.dir(f.root, "d");
        long inner = f.file(dir, "x");
        f.write(inner, 0, 4096);
        f.apply(new BucketCommand.CreateRoot(8, 0755, 0, 0, 1));
        f.apply(new DeleteFilesystem(Fixture.FS));
        assertThat(f.state.inodeNumbers()).containsExactly(Inodes.rootIno(8, 1));
        assertThat(f.state.usage(Fixture.FS)).isEqualTo(new FsUsage(Fixture.FS, 0, 0, 0));
        assertThat(f.state.stripeCount()).isZero();
        assertAllSpaceFree();
    }
}
