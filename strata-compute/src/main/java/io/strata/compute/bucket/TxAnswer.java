package io.strata.compute.bucket;

/** What a participant found for one {@link TxOp} at prepare. */
public sealed interface TxAnswer {
    record EntryFound(long ino, FileType type) implements TxAnswer {
    }

    record EntryAbsent() implements TxAnswer {
    }

    /** The inode a {@link TxOp.CreateInode} allocated, or an inode as {@link TxOp.AdjustNlink} will leave it. */
    record InodeAttributes(Attributes attributes) implements TxAnswer {
    }

    /** The first ancestor outside the participant's bucket, 0 when the root was reached. */
    record Guarded(long nextAncestor) implements TxAnswer {
    }

    record Accepted() implements TxAnswer {
    }

    TxAnswer ABSENT = new EntryAbsent();
    TxAnswer ACCEPTED = new Accepted();
}
