package io.strata.compute.bucket;

import static io.strata.compute.bucket.Errno.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.strata.compute.bucket.BucketCommand.Rename;
import io.strata.compute.bucket.BucketCommand.Rmdir;
import io.strata.compute.bucket.BucketCommand.TxAbort;
import io.strata.compute.bucket.BucketCommand.TxCommit;
import io.strata.compute.bucket.BucketCommand.TxPrepare;
import io.strata.compute.bucket.BucketCommand.Unlink;
import io.strata.compute.bucket.TxOp.AdjustNlink;
import io.strata.compute.bucket.TxOp.CreateInode;
import io.strata.compute.bucket.TxOp.DeleteDirectory;
import io.strata.compute.bucket.TxOp.GuardAncestors;
import io.strata.compute.bucket.TxOp.LockEntry;
import io.strata.compute.bucket.TxOp.PutEntry;
import io.strata.compute.bucket.TxOp.SetParent;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The participant side: idempotent prepare, commit and abort; what locks forbid; refusals. */
class TxParticipantTest {
    private final Fixture f = Fixture.oneBucket();
    private long nextTx = 1;

    private long tx() {
        return Inodes.id(5, nextTx++);
    }

    private CommandResult prepare(long txId, int round, TxOp... ops) {
        return f.apply(new TxPrepare(txId, 5, round, List.of(ops), f.now()));
    }

    @Test
    void aResentPrepareAnswersTheSameAndChangesNothing() {
        long dir = f.dir(f.root, "d");
        long txId = tx();
        TxPrepare first = new TxPrepare(txId, 5, 0, List.of(new CreateInode(Fixture.FS, FileType.DIR, 0700, 1, 1, 0, null, dir),
                new LockEntry(f.root, "d")), 77);
        CommandResult answer = f.apply(first);
        byte[] after = f.state.snapshot();
        assertThat(f.apply(first)).isEqualTo(answer);
        assertThat(f.state.snapshot()).isEqualTo(after);
        Attributes created = ((TxAnswer.InodeAttributes) ((CommandResult.TxPrepared) answer).answers().getFirst()).attributes();
        assertThat(created.ctimeNs()).isEqualTo(77);
        assertThatThrownBy(() -> f.state.getattr(created.ino())).as("invisible until commit").isInstanceOf(FsException.class);
        f.apply(new TxCommit(txId));
        assertThat(f.state.getattr(created.ino())).isEqualTo(created);
        assertThat(f.apply(new TxCommit(txId))).isEqualTo(CommandResult.DONE);
        assertThat(f.apply(first)).isEqualTo(new CommandResult.TxRefused(ESTALE));
        assertThat(f.state.participantCommitted(txId)).contains(true);
        assertThatThrownBy(() -> f.apply(new TxAbort(txId))).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aRefusalDropsEveryRoundAndIsRemembered() {
        f.file(f.root, "taken");
        long txId = tx();
        prepare(txId, 0, new LockEntry(f.root, "a"));
        assertThat(f.state.lockedKeyCount()).isPositive();
        assertThat(prepare(txId, 1, new PutEntry(f.root, "taken", 5, FileType.FILE, 0))).isEqualTo(new CommandResult.TxRefused(EEXIST));
        assertThat(f.state.lockedKeyCount()).isZero();
        assertThat(f.state.preparedTransactions()).isEmpty();
        assertThat(prepare(txId, 0, new LockEntry(f.root, "a"))).isEqualTo(new CommandResult.TxRefused(EEXIST));
        assertThat(f.apply(new TxAbort(txId))).isEqualTo(CommandResult.DONE);
        assertThatThrownBy(() -> f.apply(new TxCommit(txId))).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aPrepareThatArrivesAfterItsAbortIsRefused() {
        long txId = tx();
        f.apply(new TxAbort(txId));
        assertThat(prepare(txId, 0, new LockEntry(f.root, "a"))).isEqualTo(new CommandResult.TxRefused(ESTALE));
        assertThat(f.state.lockedKeyCount()).isZero();
        assertThat(f.state.participantCommitted(txId)).contains(false);
    }

    @Test
    void expectationsAreChecked() {
        long file = f.file(f.root, "f");
        long dir = f.dir(f.root, "d");
        f.file(dir, "inner");
        assertThat(prepare(tx(), 0, new PutEntry(f.root, "f", 5, FileType.FILE, 99))).isEqualTo(new CommandResult.TxRefused(ESTALE));
        assertThat(prepare(tx(), 0, new TxOp.DeleteEntry(f.root, "nope", 5))).isEqualTo(new CommandResult.TxRefused(ENOENT));
        assertThat(prepare(tx(), 0, new DeleteDirectory(dir))).isEqualTo(new CommandResult.TxRefused(ENOTEMPTY));
        assertThat(prepare(tx(), 0, new DeleteDirectory(f.root))).isEqualTo(new CommandResult.TxRefused(ENOTEMPTY));
        assertThat(prepare(tx(), 0, new SetParent(dir, dir, f.root))).isEqualTo(new CommandResult.TxRefused(ESTALE));
        assertThat(prepare(tx(), 0, new AdjustNlink(dir, 1))).isEqualTo(new CommandResult.TxRefused(EPERM));
        assertThat(prepare(tx(), 0, new AdjustNlink(file, 2))).isEqualTo(new CommandResult.TxRefused(EINVAL));
        assertThat(prepare(tx(), 0, new LockEntry(file, "x"))).isEqualTo(new CommandResult.TxRefused(ENOTDIR));
        assertThat(prepare(tx(), 0, new LockEntry(Inodes.id(3, 3), "x"))).isEqualTo(new CommandResult.TxRefused(ESTALE));
        assertThat(prepare(tx(), 0, new GuardAncestors(dir, f.root))).isEqualTo(new CommandResult.TxRefused(EINVAL));
        assertThat(f.state.lockedKeyCount()).isZero();
    }

    @Test
    void aLockedEntryRefusesLocalChangesAndOtherTransactions() {
        f.file(f.root, "f");
        long txId = tx();
        prepare(txId, 0, new LockEntry(f.root, "f"));
        assertThat(f.errno(new Unlink(f.root, "f", f.now(), RequestOrigin.NONE))).isEqualTo(EBUSY);
        assertThat(f.errno(new Rename(f.root, "f", f.root, "g", 0, f.now(), RequestOrigin.NONE))).isEqualTo(EBUSY);
        assertThat(f.errno(new Rename(f.root, "x", f.root, "f", 0, f.now(), RequestOrigin.NONE))).isEqualTo(EBUSY);
        assertThat(prepare(tx(), 0, new LockEntry(f.root, "f"))).isEqualTo(new CommandResult.TxRefused(EBUSY));
        f.file(f.root, "other");
        assertThat(prepare(txId, 1, new TxOp.DeleteEntry(f.root, "f", f.state.lookup(f.root, "f").ino())))
                .as("re-entrant within the transaction").isInstanceOf(CommandResult.TxPrepared.class);
        f.apply(new TxCommit(txId));
        assertThat(f.state.lockedKeyCount()).isZero();
        assertThat(f.state.readdir(f.root, 0, 10)).extracting(DirEntry::name).containsExactly("other");
    }

    @Test
    void aPinnedDirectoryCannotBeRemovedOrMovedButTakesNewNames() {
        long dir = f.dir(f.root, "d");
        long other = f.dir(f.root, "o");
        long txId = tx();
        assertThat(prepare(txId, 0, new GuardAncestors(dir, 12345))).isEqualTo(new CommandResult.TxPrepared(List.of(new TxAnswer.Guarded(0))));
        f.file(dir, "new");
        f.apply(new Unlink(dir, "new", f.now(), RequestOrigin.NONE));
        assertThat(f.errno(new Rmdir(f.root, "d", f.now(), RequestOrigin.NONE))).isEqualTo(EBUSY);
        assertThat(f.errno(new Rename(f.root, "d", other, "d", 0, f.now(), RequestOrigin.NONE))).isEqualTo(EBUSY);
        assertThat(prepare(tx(), 0, new DeleteDirectory(dir))).isEqualTo(new CommandResult.TxRefused(EBUSY));
        assertThat(prepare(tx(), 0, new SetParent(dir, f.root, other))).isEqualTo(new CommandResult.TxRefused(EBUSY));
        assertThat(prepare(tx(), 0, new GuardAncestors(dir, 999))).as("pins are shared").isInstanceOf(CommandResult.TxPrepared.class);
        f.apply(new TxAbort(txId));
        assertThat(f.errno(new Rmdir(f.root, "d", f.now(), RequestOrigin.NONE))).as("still pinned by the other").isEqualTo(EBUSY);
    }

    @Test
    void aDirectoryBeingMovedRefusesChangesInsideIt() {
        long dir = f.dir(f.root, "d");
        long other = f.dir(f.root, "o");
        f.dir(other, "sub");
        long txId = tx();
        prepare(txId, 0, new SetParent(dir, f.root, other));
        assertThat(f.errno(f.createCommand(dir, "x", FileType.FILE))).isEqualTo(EBUSY);
        assertThat(f.errno(new Rename(other, "sub", dir, "sub", 0, f.now(), RequestOrigin.NONE)))
                .as("the ancestry walk meets a directory whose parent is changing").isEqualTo(EBUSY);
        assertThat(prepare(tx(), 0, new GuardAncestors(dir, 5))).isEqualTo(new CommandResult.TxRefused(EBUSY));
        f.apply(new TxCommit(txId));
        assertThat(f.state.parentOf(dir)).isEqualTo(other);
    }

    @Test
    void droppingALinkLocksTheFileAddingOnePinsIt() {
        f.provision(1, 1L << 30);
        long file = f.file(f.root, "f");
        long dropping = tx();
        assertThat(prepare(dropping, 0, new AdjustNlink(file, -1))).isInstanceOf(CommandResult.TxPrepared.class);
        assertThat(f.errno(f.commitCommand(file, 0, 10))).isEqualTo(EBUSY);
        assertThat(prepare(tx(), 0, new AdjustNlink(file, 1))).isEqualTo(new CommandResult.TxRefused(EBUSY));
        f.apply(new TxCommit(dropping));
        assertThat(f.state.inodeNumbers()).as("the last link went").containsExactly(f.root);

        long second = f.file(f.root, "g");
        long adding = tx();
        CommandResult answer = prepare(adding, 0, new AdjustNlink(second, 1));
        Attributes predicted = ((TxAnswer.InodeAttributes) ((CommandResult.TxPrepared) answer).answers().getFirst()).attributes();
        assertThat(predicted.nlink()).isEqualTo(2);
        f.write(second, 0, 10);
        assertThat(f.errno(new Unlink(f.root, "g", f.now(), RequestOrigin.NONE))).isEqualTo(EBUSY);
        f.apply(new TxCommit(adding));
        assertThat(f.state.getattr(second).nlink()).isEqualTo(2);
    }

    @Test
    void aFilesystemInATransactionCannotBeDeleted() {
        long txId = tx();
        prepare(txId, 0, new LockEntry(f.root, "x"));
        assertThat(f.errno(new BucketCommand.DeleteFilesystem(Fixture.FS))).isEqualTo(EBUSY);
        f.apply(new TxAbort(txId));
        long creating = tx();
        prepare(creating, 0, new CreateInode(Fixture.FS, FileType.DIR, 0700, 1, 1, 0, null, f.root));
        assertThat(f.errno(new BucketCommand.DeleteFilesystem(Fixture.FS))).isEqualTo(EBUSY);
        f.apply(new TxAbort(creating));
        f.apply(new BucketCommand.DeleteFilesystem(Fixture.FS));
        assertThat(f.state.inodeCount()).isZero();
    }
}
