package io.strata.compute.bucket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.strata.compute.bucket.BucketCommand.CommitExtent;
import io.strata.compute.bucket.BucketCommand.Create;
import io.strata.compute.bucket.BucketCommand.Link;
import io.strata.compute.bucket.BucketCommand.Opened;
import io.strata.compute.bucket.BucketCommand.Rename;
import io.strata.compute.bucket.BucketCommand.SetAttr;
import io.strata.compute.bucket.BucketCommand.TxBegin;
import io.strata.compute.bucket.BucketCommand.TxDecided;
import io.strata.compute.bucket.BucketCommand.TxPrepare;
import io.strata.compute.bucket.BucketCommand.Unlink;
import io.strata.compute.layout.Stripe;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Snapshots restore exactly: same bytes again, and the same future under the same commands. */
class SnapshotTest {

    /** A state with a bit of everything: dirs, files, links, extents, open handles, transactions, dedup. */
    static Fixture richState() {
        Fixture f = Fixture.oneBucket();
        f.provision(2, 1L << 30);
        long dir = f.dir(f.root, "dir");
        long file = f.file(dir, "file");
        f.write(file, 0, 100_000);
        f.write(file, 5000, 3000);
        f.write(file, 1L << 33, 10);
        Stripe degraded = f.stripe(f.state.nextExtentId(), 4096).withMissing(0b10001);
        f.apply(new CommitExtent(file, 200_000, 4096, 0, degraded, 0, f.now(), RequestOrigin.NONE));
        f.apply(new Link(file, f.root, "hard", f.now(), new RequestOrigin(4, 1)));
        f.create(dir, "link", FileType.SYMLINK);
        long open = f.file(f.root, "open");
        f.write(open, 0, 4096);
        f.apply(new Opened(open, (5L << 48) | 9));
        f.apply(new Unlink(f.root, "open", f.now(), new RequestOrigin(4, 2)));
        for (int i = 0; i < 30; i++) {
            f.create(dir, "e" + i, i % 3 == 0 ? FileType.DIR : FileType.FILE);
        }
        f.apply(new Unlink(dir, "e4", f.now(), RequestOrigin.NONE));
        f.apply(new Rename(dir, "e5", f.root, "moved", 0, f.now(), RequestOrigin.NONE));
        long txId = f.state.nextTxId();
        f.apply(new TxBegin(txId, new NamespaceOp.Unlink(dir, "e7", 5), new RequestOrigin(4, 3), f.now()));
        f.apply(new TxPrepare(txId, 0, 0, List.of(new TxOp.LockEntry(dir, "e7"), new TxOp.GuardAncestors(dir, 0)), 5));
        long decided = f.state.nextTxId();
        f.apply(new TxBegin(decided, new NamespaceOp.Rmdir(dir, "e9", 6), RequestOrigin.NONE, f.now()));
        f.apply(new TxDecided(decided, false, Errno.ENOTEMPTY, null, List.of(0)));
        f.apply(new TxPrepare(Inodes.id(0, 77), 0, 0, List.of(new TxOp.CreateInode(Fixture.FS, FileType.DIR, 0700, 1, 2,
                0, null, dir)), 6));
        f.apply(new BucketCommand.TxAbort(Inodes.id(0, 78)));
        return f;
    }

    /** Commands that touch much of the rich state, for both copies to apply. */
    static List<BucketCommand> nextCommands(Fixture f) {
        long dir = f.state.lookup(f.root, "dir").ino();
        long file = f.state.lookup(dir, "file").ino();
        List<BucketCommand> commands = new ArrayList<>();
        commands.add(new Create(dir, "after", FileType.FILE, 0600, 1, 1, 0, null, true, 50, new RequestOrigin(9, 1)));
        commands.add(new SetAttr(file, SetAttr.SIZE, 0, 0, 0, 6000, 0, 0, 0, 1000, 51, RequestOrigin.NONE));
        commands.add(f.commitCommand(file, 10, 10));
        long unlinkedButOpen = f.state.inodeNumbers().stream().filter(ino -> f.state.getattr(ino).nlink() == 0)
                .findFirst().orElseThrow();
        commands.add(new BucketCommand.DropLingering(f.state.lastLingeringNumber()));
        commands.add(new BucketCommand.Released(unlinkedButOpen, (5L << 48) | 9));
        commands.add(new BucketCommand.ShardsRepaired(Inodes.id(0, 4), 1));
        commands.add(new BucketCommand.TxCommit(Inodes.id(0, 77)));
        commands.add(new Rename(dir, "e8", dir, "e10", BucketCommand.Rename.EXCHANGE, 52, RequestOrigin.NONE));
        commands.add(new BucketCommand.DropLingering(Long.MAX_VALUE));
        return commands;
    }

    @Test
    void aSnapshotRestoresToTheSameBytesAndTheSameFuture() {
        Fixture f = richState();
        byte[] snapshot = f.state.snapshot();
        BucketState copy = BucketState.restore(snapshot);
        assertThat(copy.snapshot()).isEqualTo(snapshot);
        assertThat(copy.preparedTransactions()).isEqualTo(f.state.preparedTransactions());
        assertThat(copy.unfinishedTransactions()).isEqualTo(f.state.unfinishedTransactions());
        assertThat(copy.lockedKeyCount()).isEqualTo(f.state.lockedKeyCount()).isPositive();
        assertThat(copy.usages()).isEqualTo(f.state.usages());
        assertThat(copy.degradedStripeCount()).isEqualTo(1);
        assertThat(copy.lingeringFileCount()).isEqualTo(f.state.lingeringFileCount()).isPositive();
        assertThat(copy.oldestLingeringNumber()).isEqualTo(f.state.oldestLingeringNumber());
        for (int drive = 0; drive < 6; drive++) {
            assertThat(copy.space().freeBytes(drive)).isEqualTo(f.state.space().freeBytes(drive));
        }
        for (BucketCommand command : nextCommands(f)) {
            CommandResult original = apply(f.state, command);
            CommandResult restored = apply(copy, command);
            assertThat(restored).as("%s", command).isEqualTo(original);
            assertThat(copy.snapshot()).as("after %s", command).isEqualTo(f.state.snapshot());
        }
    }

    private static CommandResult apply(BucketState state, BucketCommand command) {
        try {
            return state.apply(command);
        } catch (FsException refusal) {
            return new CommandResult.TxRefused(refusal.errno());
        }
    }

    /** Replicas of an earlier release hand over snapshots without lingering files. */
    @Test
    void aSnapshotFromBeforeLingeringFilesIsStillRead() {
        Fixture f = Fixture.oneBucket();
        f.provision(2, 1L << 30);
        long dir = f.dir(f.root, "dir");
        f.write(f.file(dir, "kept"), 0, 100_000);
        long open = f.file(dir, "open");
        f.write(open, 0, 4096);
        f.apply(new Opened(open, 9));
        f.apply(new Unlink(dir, "open", f.now(), RequestOrigin.NONE));
        BucketState copy = BucketState.restore(f.state.snapshot(SnapshotCodec.VERSION_WITHOUT_LINGERING));
        assertThat(copy.snapshot()).isEqualTo(f.state.snapshot());
        assertThat(copy.usages()).isEqualTo(f.state.usages());
        f.apply(new BucketCommand.Released(open, 9));
        assertThat(f.state.lingeringFileCount()).isEqualTo(1);
        assertThatThrownBy(() -> f.state.snapshot(SnapshotCodec.VERSION_WITHOUT_LINGERING)).as("cannot hold a lingering file")
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void damagedSnapshotsAreRefused() {
        byte[] snapshot = richState().state.snapshot();
        assertThatThrownBy(() -> BucketState.restore(Arrays.copyOf(snapshot, snapshot.length - 1)))
                .isInstanceOf(IllegalArgumentException.class);
        byte[] longer = Arrays.copyOf(snapshot, snapshot.length + 1);
        assertThatThrownBy(() -> BucketState.restore(longer)).isInstanceOf(IllegalArgumentException.class);
        byte[] wrongMagic = snapshot.clone();
        wrongMagic[0] ^= 1;
        assertThatThrownBy(() -> BucketState.restore(wrongMagic)).isInstanceOf(IllegalArgumentException.class);
    }

    /** Size and time for 100,000 files with one extent each (printed; not asserted beyond size). */
    @Test
    void aHundredThousandFilesWithOneExtentEach() {
        Fixture f = Fixture.oneBucket();
        f.provision(512, 1L << 40);
        int files = 100_000;
        long dir = f.dir(f.root, "data");
        for (int i = 0; i < files; i++) {
            long ino = f.file(dir, "file-" + i);
            f.write(ino, 0, 4096);
        }
        long start = System.nanoTime();
        byte[] snapshot = f.state.snapshot();
        long written = System.nanoTime();
        BucketState copy = BucketState.restore(snapshot);
        long restored = System.nanoTime();
        assertThat(copy.snapshot()).isEqualTo(snapshot);
        System.out.printf("snapshot of %d files with one extent each: %d bytes (%.1f per file), write %.0f ms, restore %.0f ms%n",
                files, snapshot.length, snapshot.length / (double) files, (written - start) / 1e6, (restored - written) / 1e6);
        assertThat(snapshot.length / files).as("bytes per file").isLessThan(200);
    }
}
