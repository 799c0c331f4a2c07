package io.strata.compute.bucket;

import io.strata.compute.bucket.BucketCommand.TxPrepare;
import io.strata.compute.bucket.TxOp.AdjustNlink;
import io.strata.compute.bucket.TxOp.CreateInode;
import io.strata.compute.bucket.TxOp.DeleteDirectory;
import io.strata.compute.bucket.TxOp.DeleteEntry;
import io.strata.compute.bucket.TxOp.GuardAncestors;
import io.strata.compute.bucket.TxOp.LockEntry;
import io.strata.compute.bucket.TxOp.PutEntry;
import io.strata.compute.bucket.TxOp.SetParent;
import java.util.ArrayList;
import java.util.List;

/**
 * The participant side of two-phase commit. A prepare validates a round of ops against the
 * current state and takes their locks (re-entrant within the transaction); a refusal of any op
 * drops the whole transaction here at once (the coordinator can only abort it), remembered so that
 * re-sent messages get the same answer. A commit applies every round's ops in order.
 */
final class TxParticipant {
    private final BucketStore store;

    TxParticipant(BucketStore store) {
        this.store = store;
    }

    CommandResult prepare(TxPrepare c) {
        BucketStore.Finished finished = store.finished.get(c.txId());
        if (finished != null) {
            return new CommandResult.TxRefused(finished.committed() || finished.errno() == 0 ? Errno.ESTALE : finished.errno());
        }
        PreparedTx tx = store.prepared.get(c.txId());
        if (tx != null && tx.rounds.containsKey(c.round())) {
            return new CommandResult.TxPrepared(tx.rounds.get(c.round()).answers());
        }
        if (tx == null) {
            tx = new PreparedTx(c.txId(), c.coordinatorBucket(), c.timeNs());
            store.prepared.put(c.txId(), tx);
        }
        try {
            List<TxAnswer> answers = new ArrayList<>(c.ops().size());
            for (TxOp op : c.ops()) {
                answers.add(prepareOp(tx, op, c.timeNs()));
            }
            tx.rounds.put(c.round(), new PreparedTx.Round(c.ops(), answers, c.timeNs()));
            return new CommandResult.TxPrepared(answers);
        } catch (FsException refusal) {
            drop(tx);
            store.rememberFinished(c.txId(), new BucketStore.Finished(false, refusal.errno()));
            return new CommandResult.TxRefused(refusal.errno());
        }
    }

    CommandResult commit(long txId) {
        BucketStore.Finished finished = store.finished.get(txId);
        if (finished != null) {
            if (!finished.committed()) {
                throw new IllegalStateException("transaction " + Inodes.format(txId) + " was aborted here, cannot commit");
            }
            return CommandResult.DONE;
        }
        PreparedTx tx = store.prepared.remove(txId);
        if (tx == null) {
            // Committed here so long ago that the outcome was forgotten: nothing left to do.
            return CommandResult.DONE;
        }
        store.locks.release(txId, tx.locks);
        for (PreparedTx.Round round : tx.rounds.values()) {
            for (int i = 0; i < round.ops().size(); i++) {
                commitOp(tx, round.ops().get(i), round.answers().get(i), round.timeNs());
            }
        }
        store.rememberFinished(txId, new BucketStore.Finished(true, 0));
        return CommandResult.DONE;
    }

    CommandResult abort(long txId) {
        BucketStore.Finished finished = store.finished.get(txId);
        if (finished != null) {
            if (finished.committed()) {
                throw new IllegalStateException("transaction " + Inodes.format(txId) + " was committed here, cannot abort");
            }
            return CommandResult.DONE;
        }
        PreparedTx tx = store.prepared.get(txId);
        if (tx != null) {
            drop(tx);
        }
        // Remembered even when unknown, so a prepare that arrives late is refused.
        store.rememberFinished(txId, new BucketStore.Finished(false, 0));
        return CommandResult.DONE;
    }

    private void drop(PreparedTx tx) {
        store.locks.release(tx.txId, tx.locks);
        store.prepared.remove(tx.txId);
    }

    private TxAnswer prepareOp(PreparedTx tx, TxOp op, long timeNs) {
        return switch (op) {
            case LockEntry e -> lockEntry(tx, e);
            case PutEntry p -> putEntry(tx, p);
            case DeleteEntry d -> deleteEntry(tx, d);
            case CreateInode ci -> createInode(tx, ci, timeNs);
            case AdjustNlink a -> adjustNlink(tx, a, timeNs);
            case DeleteDirectory d -> deleteDirectory(tx, d);
            case SetParent sp -> setParent(tx, sp);
            case GuardAncestors g -> guardAncestors(tx, g);
        };
    }

    private Directory.Entry lockedEntry(PreparedTx tx, long dir, String name) {
        Inode directory = store.directory(dir);
        Names.check(name);
        store.locks.lockEntry(tx.txId, tx.locks, dir, name);
        return directory.directory.get(name);
    }

    private TxAnswer lockEntry(PreparedTx tx, LockEntry e) {
        Directory.Entry current = lockedEntry(tx, e.dir(), e.name());
        return current == null ? TxAnswer.ABSENT : new TxAnswer.EntryFound(current.ino(), current.type());
    }

    private TxAnswer putEntry(PreparedTx tx, PutEntry p) {
        if (p.type() == null || p.ino() == 0) {
            throw FsException.of(Errno.EINVAL, "entry '%s' needs an inode and a type", p.name());
        }
        Directory.Entry current = lockedEntry(tx, p.dir(), p.name());
        if (p.expectedIno() == 0 && current != null) {
            throw FsException.of(Errno.EEXIST, "'%s' exists in %s", p.name(), Inodes.format(p.dir()));
        }
        if (p.expectedIno() != 0) {
            expect(current, p.expectedIno(), p.dir(), p.name());
        }
        return TxAnswer.ACCEPTED;
    }

    private TxAnswer deleteEntry(PreparedTx tx, DeleteEntry d) {
        expect(lockedEntry(tx, d.dir(), d.name()), d.expectedIno(), d.dir(), d.name());
        return TxAnswer.ACCEPTED;
    }

    private static void expect(Directory.Entry current, long expectedIno, long dir, String name) {
        if (current == null) {
            throw FsException.of(Errno.ENOENT, "no '%s' in %s", name, Inodes.format(dir));
        }
        if (current.ino() != expectedIno) {
            throw FsException.of(Errno.ESTALE, "'%s' in %s is %s, not %s", name, Inodes.format(dir),
                    Inodes.format(current.ino()), Inodes.format(expectedIno));
        }
    }

    private TxAnswer createInode(PreparedTx tx, CreateInode ci, long timeNs) {
        if (ci.type() == null || ci.fsId() < 0) {
            throw FsException.of(Errno.EINVAL, "a new inode needs a type and an fs id");
        }
        if (ci.type() == FileType.SYMLINK) {
            Names.checkSymlinkTarget(ci.symlinkTarget());
        }
        if (ci.type() == FileType.DIR && ci.parent() == 0) {
            throw FsException.of(Errno.EINVAL, "a new directory needs a parent");
        }
        Inode inode = store.newInode(store.allocateIno(), ci.fsId(), ci.type(), ci.mode(), ci.uid(), ci.gid(), timeNs);
        inode.rdev = ci.type() == FileType.CHAR || ci.type() == FileType.BLOCK ? ci.rdev() : 0;
        if (ci.type() == FileType.SYMLINK) {
            inode.symlinkTarget = ci.symlinkTarget();
            inode.size = Names.utf8Length(ci.symlinkTarget());
        }
        inode.parent = ci.type() == FileType.DIR ? ci.parent() : 0;
        tx.createdInodes.put(inode.ino, inode);
        return new TxAnswer.InodeAttributes(inode.attributes());
    }

    /** +1 pins the inode (links may be added alongside); -1 locks it, as dropping the last link destroys it. */
    private TxAnswer adjustNlink(PreparedTx tx, AdjustNlink a, long timeNs) {
        Inode inode = store.inode(a.ino());
        if (a.delta() == 1) {
            NamespaceCommands.checkLinkable(inode);
            store.locks.pin(tx.txId, tx.locks, inode.ino);
        } else if (a.delta() == -1) {
            if (inode.isDirectory() || inode.nlink <= 0) {
                throw FsException.of(inode.isDirectory() ? Errno.EISDIR : Errno.ENOENT,
                        "inode %s cannot lose a link", Inodes.format(inode.ino));
            }
            store.locks.lockInode(tx.txId, tx.locks, inode.ino);
        } else {
            throw FsException.of(Errno.EINVAL, "link count change %d is not +1 or -1", a.delta());
        }
        Attributes now = inode.attributes();
        return new TxAnswer.InodeAttributes(new Attributes(now.ino(), now.fsId(), now.type(), now.mode(), now.uid(),
                now.gid(), now.size(), now.nlink() + a.delta(), now.atimeNs(), now.mtimeNs(), timeNs, now.rdev(),
                now.parent(), now.generation(), now.symlinkTarget()));
    }

    private TxAnswer deleteDirectory(PreparedTx tx, DeleteDirectory d) {
        Inode dir = store.directory(d.dir());
        if (!dir.directory.isEmpty()) {
            throw FsException.of(Errno.ENOTEMPTY, "directory %s has %d entries", Inodes.format(dir.ino), dir.directory.size());
        }
        if (Inodes.isRoot(dir.ino)) {
            throw FsException.of(Errno.EBUSY, "the root directory cannot be removed");
        }
        store.locks.lockInode(tx.txId, tx.locks, dir.ino);
        return TxAnswer.ACCEPTED;
    }

    private TxAnswer setParent(PreparedTx tx, SetParent sp) {
        Inode dir = store.directory(sp.dir());
        if (dir.parent != sp.expectedParent()) {
            throw FsException.of(Errno.ESTALE, "directory %s is under %s, not %s", Inodes.format(dir.ino),
                    Inodes.format(dir.parent), Inodes.format(sp.expectedParent()));
        }
        store.locks.lockInode(tx.txId, tx.locks, dir.ino);
        return TxAnswer.ACCEPTED;
    }

    private TxAnswer guardAncestors(PreparedTx tx, GuardAncestors g) {
        long current = g.dir();
        for (int steps = 0; steps <= store.inodes.size(); steps++) {
            if (current == g.forbiddenIno()) {
                throw FsException.of(Errno.EINVAL, "directory %s cannot move into its own subtree",
                        Inodes.format(g.forbiddenIno()));
            }
            Inode dir = store.directory(current);
            store.locks.pin(tx.txId, tx.locks, dir.ino);
            if (dir.parent == dir.ino) {
                return new TxAnswer.Guarded(0);
            }
            if (!store.owns(dir.parent)) {
                return new TxAnswer.Guarded(dir.parent);
            }
            current = dir.parent;
        }
        throw new IllegalStateException("parent pointers from " + Inodes.format(g.dir()) + " form a cycle");
    }

    private void commitOp(PreparedTx tx, TxOp op, TxAnswer answer, long timeNs) {
        switch (op) {
            case LockEntry e -> {
            }
            case GuardAncestors g -> {
            }
            case PutEntry p -> commitPut(p, timeNs);
            case DeleteEntry d -> commitDelete(d, timeNs);
            case CreateInode ci -> store.insert(tx.createdInodes.get(((TxAnswer.InodeAttributes) answer).attributes().ino()));
            case AdjustNlink a -> commitAdjust(a, timeNs);
            case DeleteDirectory d -> store.destroy(store.inodes.get(d.dir()));
            case SetParent sp -> {
                Inode dir = store.inodes.get(sp.dir());
                dir.parent = sp.newParent();
                dir.ctimeNs = timeNs;
            }
        }
    }

    private void commitPut(PutEntry p, long timeNs) {
        Inode dir = store.inodes.get(p.dir());
        Directory.Entry replaced = dir.directory.get(p.name());
        if (replaced != null && replaced.type() == FileType.DIR) {
            dir.nlink--;
        }
        if (p.type() == FileType.DIR) {
            dir.nlink++;
        }
        dir.directory.put(p.name(), p.ino(), p.type());
        dir.touchModified(timeNs);
    }

    private void commitDelete(DeleteEntry d, long timeNs) {
        Inode dir = store.inodes.get(d.dir());
        Directory.Entry removed = dir.directory.remove(d.name());
        if (removed.type() == FileType.DIR) {
            dir.nlink--;
        }
        dir.touchModified(timeNs);
    }

    private void commitAdjust(AdjustNlink a, long timeNs) {
        Inode inode = store.inodes.get(a.ino());
        inode.nlink += a.delta();
        inode.ctimeNs = timeNs;
        store.retireIfUnused(inode);
    }
}
