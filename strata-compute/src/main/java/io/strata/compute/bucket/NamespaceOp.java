package io.strata.compute.bucket;

/**
 * A namespace operation that may span buckets; {@link TxPlanner} turns it into rounds of
 * {@link TxOp}s. A {@link Mkdir} carries the new directory's final owner, group, mode and fs id:
 * the coordinator (the parent's bucket) resolves them with {@link BucketState#mkdirOp}.
 */
public sealed interface NamespaceOp {
    long timeNs();

    record Mkdir(long parent, String name, int fsId, int mode, int uid, int gid, long timeNs) implements NamespaceOp {
    }

    record Rmdir(long parent, String name, long timeNs) implements NamespaceOp {
    }

    record Unlink(long parent, String name, long timeNs) implements NamespaceOp {
    }

    record Link(long ino, long newParent, String newName, long timeNs) implements NamespaceOp {
    }

    /** {@code flags}: {@link BucketCommand.Rename#NOREPLACE} or {@link BucketCommand.Rename#EXCHANGE}. */
    record Rename(long parent, String name, long newParent, String newName, int flags, long timeNs)
            implements NamespaceOp {
    }
}
