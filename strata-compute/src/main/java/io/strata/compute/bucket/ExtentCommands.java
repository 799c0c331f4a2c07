package io.strata.compute.bucket;

import io.strata.compute.bucket.BucketCommand.CommitExtent;
import io.strata.compute.layout.Stripe;

/** Committing written stripes into files. */
final class ExtentCommands {
    private final BucketStore store;

    ExtentCommands(BucketStore store) {
        this.store = store;
    }

    CommandResult commit(CommitExtent c) {
        Inode file = store.inode(c.ino());
        if (file.type != FileType.FILE) {
            throw FsException.of(file.isDirectory() ? Errno.EISDIR : Errno.EINVAL, "inode %s is a %s, not a file",
                    Inodes.format(file.ino), file.type);
        }
        store.locks.requireWritable(file.ino);
        checkRange(c);
        Stripe stripe = c.stripe();
        checkExtentId(stripe.extentId());
        store.space.checkAllocatable(stripe);
        long end = c.fileOffset() + c.length();
        long extraBytes = c.length() - file.extents.coveredBytes(c.fileOffset(), end);
        store.capacity.checkRoom(file.fsId, extraBytes);

        store.nextExtentCounter = Math.max(store.nextExtentCounter, Inodes.counterOf(stripe.extentId()) + 1);
        store.space.allocate(stripe);
        store.stripes.register(stripe);
        Piece piece = new Piece(c.fileOffset(), c.length(), c.stripeOffset(), stripe.extentId());
        store.applyChange(file, file.extents.insert(piece));
        file.size = Math.max(file.size, end);
        file.touchModified(c.timeNs());
        file.killPrivileges(c.callerUid());
        return new CommandResult.AttrResult(file.attributes());
    }

    private static void checkRange(CommitExtent c) {
        if (c.length() <= 0 || c.fileOffset() < 0 || c.stripeOffset() < 0) {
            throw FsException.of(Errno.EINVAL, "extent of %d bytes at file offset %d from stripe offset %d is invalid",
                    c.length(), c.fileOffset(), c.stripeOffset());
        }
        if (c.fileOffset() > AttributeCommands.MAX_FILE_BYTES - c.length()) {
            throw FsException.of(Errno.EFBIG, "extent ends past the largest file size %d", AttributeCommands.MAX_FILE_BYTES);
        }
        if (c.stripeOffset() > c.stripe().dataBytes() - c.length()) {
            throw FsException.of(Errno.EINVAL, "extent of %d bytes from stripe offset %d passes the stripe's %d data bytes",
                    c.length(), c.stripeOffset(), c.stripe().dataBytes());
        }
    }

    /**
     * A leader hands out extent ids upward from {@link BucketState#nextExtentId()} and several
     * writes are in flight at once, so their commits may arrive out of id order: an id is refused
     * only when it is another bucket's or names a stripe that is still referenced here.
     */
    private void checkExtentId(long extentId) {
        if (!store.owns(extentId) || store.stripes.contains(extentId) || Inodes.counterOf(extentId) >= Inodes.ROOT_FLAG) {
            throw FsException.of(Errno.EIO, "extent id %s is not new in bucket %d (next is %s)", Inodes.format(extentId),
                    store.bucket, Inodes.format(Inodes.id(store.bucket, store.nextExtentCounter)));
        }
    }
}
