package io.strata.compute.bucket;

import io.strata.compute.layout.Stripe;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.TreeMap;

/**
 * All of one bucket's replicated state, and the few steps every command handler shares (finding
 * inodes, destroying them, counting stripe references). Handlers validate everything first and
 * mutate afterwards, so a refusal leaves this untouched.
 */
final class BucketStore {
    /** How many decided transactions a participant remembers, to answer re-sent messages alike. */
    static final int FINISHED_TX_CAPACITY = 4096;

    /** The outcome a participant remembers of a transaction it no longer holds. */
    record Finished(boolean committed, int errno) {
    }

    final int bucket;
    final int bucketCount;
    long nextInoCounter = 1;
    long nextExtentCounter = 1;
    long nextTxCounter = 1;
    long nextGeneration = 1;
    final TreeMap<Long, Inode> inodes = new TreeMap<>();
    final StripeTable stripes = new StripeTable();
    final SpaceMap space = new SpaceMap();
    final CapacityLedger capacity = new CapacityLedger();
    final OpenFiles open = new OpenFiles();
    final LingeringFiles lingering = new LingeringFiles();
    final RequestDedup dedup = new RequestDedup();
    final LockTable locks = new LockTable();
    final TreeMap<Long, PreparedTx> prepared = new TreeMap<>();
    final LinkedHashMap<Long, Finished> finished = new LinkedHashMap<>();
    final TreeMap<Long, CoordinatorTx> coordinated = new TreeMap<>();

    BucketStore(int bucket, int bucketCount) {
        if (bucketCount <= 0 || bucketCount > Inodes.MAX_BUCKETS || bucket < 0 || bucket >= bucketCount) {
            throw new IllegalArgumentException("bucket " + bucket + " of " + bucketCount + " does not exist");
        }
        this.bucket = bucket;
        this.bucketCount = bucketCount;
    }

    boolean owns(long id) {
        return Inodes.bucketOf(id) == bucket;
    }

    /** A live inode: one with a name or an open handle (ENOENT for a file that only lingers). */
    Inode inode(long ino) {
        Inode inode = inodeOrLingering(ino);
        if (lingering.contains(ino)) {
            throw FsException.of(Errno.ENOENT, "inode %s has no name left", Inodes.format(ino));
        }
        return inode;
    }

    /** An inode, also one that {@link LingeringFiles lingers} (for open and getattr). */
    Inode inodeOrLingering(long ino) {
        if (!owns(ino)) {
            throw FsException.of(Errno.ESTALE, "inode %s belongs to bucket %d, not %d", Inodes.format(ino),
                    Inodes.bucketOf(ino), bucket);
        }
        Inode inode = inodes.get(ino);
        if (inode == null) {
            throw FsException.of(Errno.ENOENT, "inode %s does not exist", Inodes.format(ino));
        }
        return inode;
    }

    Inode directory(long ino) {
        Inode inode = inode(ino);
        if (!inode.isDirectory()) {
            throw FsException.of(Errno.ENOTDIR, "inode %s is a %s, not a directory", Inodes.format(ino), inode.type);
        }
        return inode;
    }

    long allocateIno() {
        if (nextInoCounter >= Inodes.ROOT_FLAG) {
            throw FsException.of(Errno.ENOSPC, "bucket %d has used every inode number", bucket);
        }
        return Inodes.id(bucket, nextInoCounter++);
    }

    Inode newInode(long ino, int fsId, FileType type, int mode, int uid, int gid, long timeNs) {
        Inode inode = new Inode(ino, fsId, type, nextGeneration++);
        inode.mode = mode & Inode.PERMISSION_BITS;
        inode.uid = uid;
        inode.gid = gid;
        inode.nlink = type == FileType.DIR ? 2 : 1;
        inode.touchAll(timeNs);
        return inode;
    }

    void insert(Inode inode) {
        if (inodes.putIfAbsent(inode.ino, inode) != null) {
            throw new IllegalStateException("inode " + Inodes.format(inode.ino) + " exists already");
        }
        capacity.addInodes(inode.fsId, 1);
    }

    /** Forgets an inode and frees its data. */
    void destroy(Inode inode) {
        if (lingering.remove(inode.ino)) {
            countAgainstCapacity(inode, 1); // counted out when it began to linger; counted out below for good
        }
        if (inode.extents != null) {
            applyChange(inode, inode.extents.clear());
        }
        inodes.remove(inode.ino);
        open.forget(inode.ino);
        capacity.addInodes(inode.fsId, -1);
    }

    /**
     * Lets a non-directory that has no name left and is not open linger, to be destroyed after a
     * grace. Its bytes no longer count against its filesystem's capacity: deleting a file on a full
     * filesystem makes room at once.
     */
    void retireIfUnused(Inode inode) {
        if (inode.nlink == 0 && !open.isOpen(inode.ino) && !lingering.contains(inode.ino)) {
            lingering.add(inode.ino);
            countAgainstCapacity(inode, -1);
        }
    }

    /** A lingering file opened again (the open raced with its last unlink or rename) counts again. */
    void revive(long ino) {
        if (lingering.remove(ino)) {
            countAgainstCapacity(inodes.get(ino), 1);
        }
    }

    /** Adds ({@code sign} 1) or takes away (-1) a file's bytes and itself from its filesystem's use. */
    void countAgainstCapacity(Inode inode, int sign) {
        capacity.addUsed(inode.fsId, sign * (inode.extents == null ? 0 : inode.extents.totalBytes()));
        capacity.addInodes(inode.fsId, sign);
    }

    /** Destroys the files that started to linger up to number {@code number} (still without name or handle). */
    void dropLingering(long number) {
        for (long ino : lingering.upTo(number)) {
            destroy(inodes.get(ino));
        }
    }

    /** Counts references for an extent map change: added pieces first, so trimmed stripes never reach zero. */
    void applyChange(Inode file, ExtentMap.Change change) {
        for (Piece piece : change.added()) {
            stripes.addReference(piece.extentId());
        }
        for (Piece piece : change.removed()) {
            Stripe freed = stripes.release(piece.extentId());
            if (freed != null) {
                space.free(freed);
            }
        }
        capacity.addUsed(file.fsId, change.bytesDelta());
    }

    void rememberFinished(long txId, Finished outcome) {
        finished.remove(txId);
        finished.put(txId, outcome);
        if (finished.size() > FINISHED_TX_CAPACITY) {
            Iterator<Long> oldest = finished.keySet().iterator();
            oldest.next();
            oldest.remove();
        }
    }
}
