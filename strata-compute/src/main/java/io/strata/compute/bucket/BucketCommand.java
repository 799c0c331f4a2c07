package io.strata.compute.bucket;

import io.strata.compute.layout.Stripe;
import java.util.List;

/**
 * Everything that changes a bucket, as it goes into the bucket's Raft log ({@link BucketCodec}
 * turns commands into bytes and back). Every command carries what it needs, times included, so
 * replicas applying the same commands in the same order end byte-identical.
 */
public sealed interface BucketCommand {

    // ---- namespace ----

    record CreateRoot(int fsId, int mode, int uid, int gid, long timeNs) implements BucketCommand {
    }

    /**
     * Creates a name in {@code parent}. Non-directories live in the parent's bucket; a directory
     * whose {@link Inodes#directoryBucket} is another bucket is refused with EXDEV (run a
     * {@link NamespaceOp.Mkdir} transaction). A non-exclusive create of an existing regular file
     * answers that file. A non-zero {@code openHandle} also opens the file under that handle (as
     * {@link Opened} would), so creating and opening a file is one commit.
     */
    record Create(long parent, String name, FileType type, int mode, int uid, int gid, long rdev,
            String symlinkTarget, boolean exclusive, long timeNs, RequestOrigin origin, long openHandle) implements BucketCommand {
        public Create(long parent, String name, FileType type, int mode, int uid, int gid, long rdev, String symlinkTarget,
                boolean exclusive, long timeNs, RequestOrigin origin) {
            this(parent, name, type, mode, uid, gid, rdev, symlinkTarget, exclusive, timeNs, origin, 0);
        }
    }

    /** {@code valid} is a mask of the constants below (the FUSE FATTR bits); {@code ctimeNs} counts only with CTIME. */
    record SetAttr(long ino, int valid, int mode, int uid, int gid, long size, long atimeNs, long mtimeNs,
            long ctimeNs, int callerUid, long timeNs, RequestOrigin origin) implements BucketCommand {
        public static final int MODE = 1;
        public static final int UID = 1 << 1;
        public static final int GID = 1 << 2;
        public static final int SIZE = 1 << 3;
        public static final int ATIME = 1 << 4;
        public static final int MTIME = 1 << 5;
        public static final int ATIME_NOW = 1 << 7;
        public static final int MTIME_NOW = 1 << 8;
        public static final int CTIME = 1 << 10;
    }

    record Unlink(long parent, String name, long timeNs, RequestOrigin origin) implements BucketCommand {
    }

    record Rmdir(long parent, String name, long timeNs, RequestOrigin origin) implements BucketCommand {
    }

    record Link(long ino, long newParent, String newName, long timeNs, RequestOrigin origin) implements BucketCommand {
    }

    /** {@code flags}: 0, {@link #NOREPLACE} or {@link #EXCHANGE} (the Linux renameat2 values). */
    record Rename(long parent, String name, long newParent, String newName, int flags, long timeNs,
            RequestOrigin origin) implements BucketCommand {
        public static final int NOREPLACE = 1;
        public static final int EXCHANGE = 2;
    }

    // ---- data ----

    /**
     * File bytes {@code [fileOffset, fileOffset + length)} are now stripe data bytes from
     * {@code stripeOffset}. The stripe is new: its id is this bucket's next extent id or later
     * and its chunks must be free in the committed space map.
     */
    record CommitExtent(long ino, long fileOffset, long length, long stripeOffset, Stripe stripe, int callerUid,
            long timeNs, RequestOrigin origin) implements BucketCommand {
    }

    record Opened(long ino, long handle) implements BucketCommand {
    }

    record Released(long ino, long handle) implements BucketCommand {
    }

    /** Releases every handle whose top 16 bits are {@code mountId} (a mount that went away). */
    record ReleaseAllOfMount(int mountId) implements BucketCommand {
    }

    /** Destroys the files {@link LingeringFiles lingering} under numbers up to {@code upToNumber}: their grace is over. */
    record DropLingering(long upToNumber) implements BucketCommand {
    }

    record ShardsRepaired(long extentId, long mask) implements BucketCommand {
    }

    // ---- space and capacity (from the control plane) ----

    record RegionsLeased(int drive, List<Integer> regionIndices, long regionBytes, long firstRegionAddress)
            implements BucketCommand {
        public RegionsLeased {
            regionIndices = List.copyOf(regionIndices);
        }
    }

    record CapacityGranted(int fsId, long bytes) implements BucketCommand {
    }

    record CapacityReturned(int fsId, long bytes) implements BucketCommand {
    }

    /** Drops every inode of {@code fsId} in this bucket, frees their space and the fs's reservation. */
    record DeleteFilesystem(int fsId) implements BucketCommand {
    }

    // ---- transactions, participant side ----

    /** Round {@code round} of transaction {@code txId}; a re-sent round answers as the first time. */
    record TxPrepare(long txId, int coordinatorBucket, int round, List<TxOp> ops, long timeNs)
            implements BucketCommand {
        public TxPrepare {
            ops = List.copyOf(ops);
        }
    }

    record TxCommit(long txId) implements BucketCommand {
    }

    record TxAbort(long txId) implements BucketCommand {
    }

    // ---- transactions, coordinator side ----

    record TxBegin(long txId, NamespaceOp op, RequestOrigin origin, long timeNs) implements BucketCommand {
    }

    record TxDecided(long txId, boolean commit, int errno, Attributes result, List<Integer> participants)
            implements BucketCommand {
        public TxDecided {
            participants = List.copyOf(participants);
        }
    }

    record TxFinished(long txId) implements BucketCommand {
    }
}
