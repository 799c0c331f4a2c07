package io.strata.compute.bucket;

import static io.strata.compute.bucket.Errno.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.strata.compute.bucket.BucketCommand.Create;
import io.strata.compute.bucket.BucketCommand.Rename;
import io.strata.compute.bucket.BucketCommand.TxPrepare;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Each cross-bucket operation run as a transaction from start to end, and what it leaves. */
class TxFlowTest {
    private static final int BUCKETS = 4;
    private final SimCluster c = new SimCluster(BUCKETS, RenameTest.firstFsRootedIn(0, BUCKETS));
    private long time = 100;

    private long now() {
        return time += 10;
    }

    private int bucketOf(long ino) {
        return Inodes.bucketOf(ino);
    }

    /** mkdir as the lead does it: local first, a transaction on EXDEV. */
    private long mkdir(long parent, String name) {
        try {
            return ((CommandResult.AttrResult) c.submit(bucketOf(parent), new Create(parent, name, FileType.DIR, 0755, 1, 1,
                    0, null, true, now(), RequestOrigin.NONE))).attributes().ino();
        } catch (FsException e) {
            assertThat(e.errno()).isEqualTo(EXDEV);
        }
        NamespaceOp.Mkdir op = c.owner(parent).mkdirOp(parent, name, 0755, 1, 1, now());
        SimCluster.Outcome outcome = c.transact(bucketOf(parent), op, RequestOrigin.NONE);
        assertThat(outcome.errno()).isZero();
        return outcome.attributes().ino();
    }

    private long file(long parent, String name) {
        return ((CommandResult.AttrResult) c.submit(bucketOf(parent), new Create(parent, name, FileType.FILE, 0644, 1, 1, 0,
                null, true, now(), RequestOrigin.NONE))).attributes().ino();
    }

    private int rename(long parent, String name, long newParent, String newName, int flags) {
        try {
            c.submit(bucketOf(parent), new Rename(parent, name, newParent, newName, flags, now(), RequestOrigin.NONE));
            return 0;
        } catch (FsException e) {
            if (e.errno() != EXDEV) {
                return e.errno();
            }
        }
        return c.transact(bucketOf(parent), new NamespaceOp.Rename(parent, name, newParent, newName, flags, now()),
                RequestOrigin.NONE).errno();
    }

    private int tx(long coordinatorKey, NamespaceOp op) {
        return c.transact(bucketOf(coordinatorKey), op, RequestOrigin.NONE).errno();
    }

    @Test
    void mkdirInAnotherBucket() {
        String name = c.nameIn(c.root, "d", 2);
        assertThatThrownBy(() -> c.submit(0, new Create(c.root, name, FileType.DIR, 0755, 1, 1, 0, null, true, 5,
                RequestOrigin.NONE))).isInstanceOfSatisfying(FsException.class, e -> assertThat(e.errno()).isEqualTo(EXDEV));
        long dir = mkdir(c.root, name);
        assertThat(bucketOf(dir)).isEqualTo(2);
        Attributes attrs = c.owner(dir).getattr(dir);
        assertThat(attrs.parent()).isEqualTo(c.root);
        assertThat(attrs.nlink()).isEqualTo(2);
        assertThat(attrs.fsId()).isEqualTo(c.fsId);
        assertThat(c.leader(0).lookup(c.root, name).ino()).isEqualTo(dir);
        assertThat(c.leader(0).getattr(c.root).nlink()).isEqualTo(3);
        assertThat(tx(c.root, c.owner(c.root).mkdirOp(c.root, name, 0755, 1, 1, now()))).isEqualTo(EEXIST);
        assertThat(c.leader(2).inodeCount()).as("the refused mkdir's inode was never committed").isEqualTo(1);
        c.checkNamespace("mkdir");
    }

    @Test
    void rmdirOfADirectoryInAnotherBucket() {
        String name = c.nameIn(c.root, "d", 3);
        long dir = mkdir(c.root, name);
        file(dir, "inside");
        assertThat(tx(c.root, new NamespaceOp.Rmdir(c.root, name, now()))).isEqualTo(ENOTEMPTY);
        c.submit(3, new BucketCommand.Unlink(dir, "inside", now(), RequestOrigin.NONE));
        assertThat(tx(c.root, new NamespaceOp.Rmdir(c.root, "missing", now()))).isEqualTo(ENOENT);
        assertThat(tx(c.root, new NamespaceOp.Rmdir(c.root, name, now()))).isZero();
        assertThat(c.leader(3).inodeCount()).isZero();
        assertThat(c.leader(0).getattr(c.root).nlink()).isEqualTo(2);
        c.checkNamespace("rmdir");
    }

    @Test
    void filesMoveLinkAndUnlinkAcrossBuckets() {
        long dir = mkdir(c.root, c.nameIn(c.root, "d", 2));
        long file = file(c.root, "f");
        assertThat(rename(c.root, "f", dir, "g", 0)).isZero();
        assertThat(c.leader(2).lookup(dir, "g").ino()).isEqualTo(file);
        assertThat(c.leader(2).lookup(dir, "g").attributes()).as("inode stays in bucket 0").isNull();
        SimCluster.Outcome linked = c.transact(0, new NamespaceOp.Link(file, dir, "h", now()), RequestOrigin.NONE);
        assertThat(linked.attributes().nlink()).isEqualTo(2);
        assertThat(c.leader(0).getattr(file).nlink()).isEqualTo(2);
        c.checkNamespace("linked");
        assertThatThrownBy(() -> c.submit(2, new BucketCommand.Unlink(dir, "g", now(), RequestOrigin.NONE)))
                .isInstanceOfSatisfying(FsException.class, e -> assertThat(e.errno()).isEqualTo(EXDEV));
        assertThat(tx(dir, new NamespaceOp.Unlink(dir, "g", now()))).isZero();
        assertThat(c.leader(0).getattr(file).nlink()).isEqualTo(1);
        assertThat(tx(dir, new NamespaceOp.Unlink(dir, "h", now()))).isZero();
        assertThat(c.leader(0).inodeNumbers()).containsExactly(c.root);
        assertThat(tx(dir, new NamespaceOp.Unlink(dir, "h", now()))).isEqualTo(ENOENT);
        c.checkNamespace("unlinked");
    }

    @Test
    void linkRefusals() {
        long dir = mkdir(c.root, c.nameIn(c.root, "d", 2));
        long file = file(c.root, "f");
        file(dir, "taken");
        assertThat(c.transact(0, new NamespaceOp.Link(file, dir, "taken", now()), RequestOrigin.NONE).errno()).isEqualTo(EEXIST);
        assertThat(c.leader(0).getattr(file).nlink()).isEqualTo(1);
        assertThat(c.transact(2, new NamespaceOp.Link(dir, c.root, "x", now()), RequestOrigin.NONE).errno()).isEqualTo(EPERM);
        c.checkNamespace("link refusals");
    }

    @Test
    void directoriesMoveAcrossBucketsButNeverIntoTheirSubtree() {
        String aName = c.nameIn(c.root, "a", 1);
        long a = mkdir(c.root, aName);
        String bName = c.nameIn(a, "b", 3);
        long b = mkdir(a, bName);
        long deep = mkdir(b, c.nameIn(b, "c", 2));
        assertThat(rename(c.root, aName, deep, "a", 0)).isEqualTo(EINVAL);
        assertThat(rename(c.root, aName, b, "a", 0)).isEqualTo(EINVAL);
        assertThat(rename(c.root, aName, a, "a", 0)).isEqualTo(EINVAL);
        assertThat(rename(a, bName, c.root, "b", 0)).isZero();
        assertThat(c.owner(b).parentOf(b)).isEqualTo(c.root);
        assertThat(c.owner(a).getattr(a).nlink()).isEqualTo(2);
        assertThat(c.leader(0).getattr(c.root).nlink()).isEqualTo(4);
        assertThat(rename(c.root, aName, deep, "a", 0)).isZero();
        assertThat(c.owner(a).parentOf(a)).isEqualTo(deep);
        c.checkNamespace("moves");
    }

    @Test
    void twoCrossingDirectoryMovesCannotBothCommit() {
        // root/a/d and root/b/c; moving a under c and b under d at once would make a -> c -> b -> d -> a.
        String aName = c.nameIn(c.root, "a", 1);
        long a = mkdir(c.root, aName);
        String bName = c.nameIn(c.root, "b", 2);
        long b = mkdir(c.root, bName);
        long d = mkdir(a, c.nameIn(a, "d", 3));
        long cc = mkdir(b, c.nameIn(b, "c", 3));
        SimCluster.Run first = c.begin(0, new NamespaceOp.Rename(c.root, aName, cc, "x", 0, now()));
        SimCluster.Run second = c.begin(0, new NamespaceOp.Rename(c.root, bName, d, "y", 0, now()));
        // Each has locked its names and guarded its new parent's ancestors; neither has changed anything yet.
        for (SimCluster.Run run : List.of(first, second)) {
            while (!isFinalRound(run.next())) {
                run.step(run.next());
            }
        }
        SimCluster.Outcome firstOutcome = first.finish();
        SimCluster.Outcome secondOutcome = second.finish();
        assertThat(List.of(firstOutcome.errno(), secondOutcome.errno())).as("one of them must lose").contains(EBUSY);
        c.checkNamespace("crossing moves");
    }

    private static boolean isFinalRound(TxCoordinator.Next next) {
        return next.sends().stream().anyMatch(send -> send.command() instanceof TxPrepare prepare
                && prepare.ops().stream().anyMatch(op -> op instanceof TxOp.SetParent));
    }

    @Test
    void replacementsFlagsAndTypeMismatches() {
        long dir = mkdir(c.root, c.nameIn(c.root, "d", 2));
        String emptyName = c.nameIn(dir, "e", 1);
        long emptyDir = mkdir(dir, emptyName);
        String fullName = c.nameIn(c.root, "full", 3);
        long fullDir = mkdir(c.root, fullName);
        file(fullDir, "x");
        long replaced = file(dir, "victim");
        file(c.root, "f");
        assertThat(rename(c.root, "f", dir, "victim", BucketCommand.Rename.NOREPLACE)).isEqualTo(EEXIST);
        assertThat(rename(c.root, "f", dir, emptyName, 0)).isEqualTo(EISDIR);
        assertThat(rename(c.root, fullName, dir, "victim", 0)).isEqualTo(ENOTDIR);
        assertThat(rename(c.root, fullName, dir, emptyName, BucketCommand.Rename.NOREPLACE)).isEqualTo(EEXIST);
        assertThat(rename(dir, emptyName, c.root, fullName, 0)).isEqualTo(ENOTEMPTY);
        assertThat(rename(c.root, "f", dir, "victim", 0)).isZero();
        assertThat(c.owner(replaced).getattr(replaced).nlink()).as("the replaced file lingers").isZero();
        assertThat(c.owner(replaced).inodeNumbers()).doesNotContain(replaced);
        c.checkNamespace("replaced file");
        assertThat(rename(c.root, fullName, dir, emptyName, 0)).isZero();
        assertThatThrownBy(() -> c.owner(emptyDir).getattr(emptyDir)).isInstanceOf(FsException.class);
        assertThat(c.owner(fullDir).parentOf(fullDir)).isEqualTo(dir);
        c.checkNamespace("replaced directory");
    }

    @Test
    void exchangeAcrossBucketsAndNoOps() {
        long dir = mkdir(c.root, c.nameIn(c.root, "d", 2));
        String subName = c.nameIn(dir, "s", 3);
        long sub = mkdir(dir, subName);
        long file = file(c.root, "f");
        assertThat(rename(c.root, "f", dir, subName, BucketCommand.Rename.EXCHANGE)).isZero();
        assertThat(c.leader(0).lookup(c.root, "f").ino()).isEqualTo(sub);
        assertThat(c.owner(dir).lookup(dir, subName).ino()).isEqualTo(file);
        assertThat(c.owner(sub).parentOf(sub)).isEqualTo(c.root);
        c.checkNamespace("exchanged");
        assertThat(rename(c.root, "f", dir, "missing", BucketCommand.Rename.EXCHANGE)).isEqualTo(ENOENT);
        c.transact(0, new NamespaceOp.Link(file, c.root, "same", now()), RequestOrigin.NONE);
        assertThat(rename(c.root, "same", dir, subName, 0)).as("two names of one file").isZero();
        assertThat(c.owner(file).getattr(file).nlink()).isEqualTo(2);
        assertThat(rename(dir, "nothing", c.root, "x", 0)).isEqualTo(ENOENT);
        c.checkNamespace("no-ops");
    }

    @Test
    void keysOfAPreparedTransactionAreBusyUntilItEnds() {
        long dir = mkdir(c.root, c.nameIn(c.root, "d", 2));
        long file = file(dir, "f");
        long txId = c.leader(0).nextTxId();
        c.submit(0, new BucketCommand.TxBegin(txId, new NamespaceOp.Rename(dir, "f", c.root, "g", 0, 5), RequestOrigin.NONE, 5));
        CommandResult prepared = c.submit(2, new TxPrepare(txId, 0, 0, List.of(new TxOp.LockEntry(dir, "f")), 5));
        assertThat(prepared).isEqualTo(new CommandResult.TxPrepared(List.of(new TxAnswer.EntryFound(file, FileType.FILE))));
        assertThat(c.leader(2).preparedTransactions()).extracting(InDoubtTx::coordinatorBucket).containsExactly(0);
        assertThatThrownBy(() -> c.submit(2, new BucketCommand.Unlink(dir, "f", now(), RequestOrigin.NONE)))
                .isInstanceOfSatisfying(FsException.class, e -> assertThat(e.errno()).isEqualTo(EBUSY));
        assertThatThrownBy(() -> c.submit(2, new Create(dir, "f", FileType.FILE, 0644, 1, 1, 0, null, false, now(),
                RequestOrigin.NONE))).isInstanceOfSatisfying(FsException.class, e -> assertThat(e.errno()).isEqualTo(EBUSY));
        file(dir, "other");
        assertThat(TxCoordinator.resolveInDoubt(c.leader(2).preparedTransactions().getFirst(), c.leader(0).coordinatorPhase(txId)))
                .as("the coordinator is still preparing: wait").isEmpty();
        c.submit(0, new BucketCommand.TxDecided(txId, false, ETIMEDOUT, null, List.of(2)));
        assertThat(TxCoordinator.resolveInDoubt(c.leader(2).preparedTransactions().getFirst(), c.leader(0).coordinatorPhase(txId)))
                .contains(new BucketCommand.TxAbort(txId));
        c.submit(2, new BucketCommand.TxAbort(txId));
        c.submit(0, new BucketCommand.TxFinished(txId));
        c.submit(2, new BucketCommand.Unlink(dir, "f", now(), RequestOrigin.NONE));
        c.checkNamespace("after abort");
    }

    @Test
    void aRetriedMkdirGetsTheResultOfItsTransaction() {
        String name = c.nameIn(c.root, "d", 1);
        RequestOrigin origin = new RequestOrigin(5, 99);
        Create create = new Create(c.root, name, FileType.DIR, 0755, 1, 1, 0, null, true, now(), origin);
        assertThatThrownBy(() -> c.submit(0, create)).isInstanceOf(FsException.class);
        SimCluster.Outcome outcome = c.transact(0, c.leader(0).mkdirOp(c.root, name, 0755, 1, 1, now()), origin);
        assertThat(c.submit(0, create)).isEqualTo(new CommandResult.AttrResult(outcome.attributes()));
        assertThat(c.submit(0, new BucketCommand.TxBegin(c.leader(0).nextTxId(), c.leader(0).mkdirOp(c.root, "x", 0, 0, 0, 1),
                origin, 1))).isEqualTo(new CommandResult.AttrResult(outcome.attributes()));
        c.checkNamespace("retried mkdir");
    }
}
