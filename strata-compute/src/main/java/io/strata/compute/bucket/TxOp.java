package io.strata.compute.bucket;

/**
 * One participant's part of a cross-bucket transaction. At prepare a participant validates each op
 * against its current state, takes the op's locks and answers ({@link TxAnswer}); at commit it
 * applies the ops in order; at abort it drops them. Inspection ops ({@link LockEntry},
 * {@link GuardAncestors}) change nothing at commit: they lock what later rounds rely on.
 */
public sealed interface TxOp {
    /** Locks a name and its directory's existence; answers what the name holds now. */
    record LockEntry(long dir, String name) implements TxOp {
    }

    /**
     * Sets a name to {@code ino}: {@code expectedIno} 0 means the name must be absent (EEXIST
     * otherwise), else it must hold exactly that inode (ESTALE otherwise), which is replaced.
     * The directory's link count follows the directory entries it gains or loses.
     */
    record PutEntry(long dir, String name, long ino, FileType type, long expectedIno) implements TxOp {
    }

    /** Removes a name that must hold {@code expectedIno} (ENOENT if absent, ESTALE if another inode). */
    record DeleteEntry(long dir, String name, long expectedIno) implements TxOp {
    }

    /** Allocates an inode in this bucket at prepare (answered), visible from commit on. */
    record CreateInode(int fsId, FileType type, int mode, int uid, int gid, long rdev, String symlinkTarget,
            long parent) implements TxOp {
    }

    /** Adds or drops one link of a non-directory; the last link of a closed file frees it at commit. */
    record AdjustNlink(long ino, int delta) implements TxOp {
    }

    /** Destroys a directory, which must be empty (ENOTEMPTY) and not in use by another transaction. */
    record DeleteDirectory(long dir) implements TxOp {
    }

    /** Moves a directory's parent pointer from {@code expectedParent} (ESTALE otherwise) to {@code newParent}. */
    record SetParent(long dir, long expectedParent, long newParent) implements TxOp {
    }

    /**
     * Pins {@code dir} and its ancestors as far as they live in this bucket, refusing with EINVAL
     * if one of them is {@code forbiddenIno} (a directory moved into its own subtree). Answers the
     * first ancestor in another bucket, or 0 at the root.
     */
    record GuardAncestors(long dir, long forbiddenIno) implements TxOp {
    }
}
