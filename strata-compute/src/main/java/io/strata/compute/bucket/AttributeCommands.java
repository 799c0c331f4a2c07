package io.strata.compute.bucket;

import io.strata.compute.bucket.BucketCommand.SetAttr;

/** setattr: mode, owner, size (truncate), times. */
final class AttributeCommands {
    /** The largest file offset the bucket accepts. */
    static final long MAX_FILE_BYTES = 1L << 60;

    private final BucketStore store;

    AttributeCommands(BucketStore store) {
        this.store = store;
    }

    CommandResult setAttr(SetAttr c) {
        Inode inode = store.inode(c.ino());
        store.locks.requireWritable(inode.ino);
        int valid = c.valid();
        if (has(valid, SetAttr.SIZE)) {
            checkSize(inode, c.size());
        }
        if (has(valid, SetAttr.UID) || has(valid, SetAttr.GID)) {
            chown(inode, c);
        }
        if (has(valid, SetAttr.MODE)) {
            inode.mode = c.mode() & Inode.PERMISSION_BITS;
        }
        if (has(valid, SetAttr.SIZE)) {
            truncate(inode, c.size(), c.callerUid(), c.timeNs());
        }
        if (has(valid, SetAttr.ATIME)) {
            inode.atimeNs = has(valid, SetAttr.ATIME_NOW) ? c.timeNs() : c.atimeNs();
        }
        if (has(valid, SetAttr.MTIME)) {
            inode.mtimeNs = has(valid, SetAttr.MTIME_NOW) ? c.timeNs() : c.mtimeNs();
        }
        inode.ctimeNs = has(valid, SetAttr.CTIME) ? c.ctimeNs() : c.timeNs();
        return new CommandResult.AttrResult(inode.attributes());
    }

    private static boolean has(int valid, int bit) {
        return (valid & bit) != 0;
    }

    private static void checkSize(Inode inode, long size) {
        if (inode.isDirectory()) {
            throw FsException.of(Errno.EISDIR, "inode %s is a directory: no size to set", Inodes.format(inode.ino));
        }
        if (inode.type != FileType.FILE) {
            throw FsException.of(Errno.EINVAL, "inode %s is a %s: no size to set", Inodes.format(inode.ino), inode.type);
        }
        if (size < 0) {
            throw FsException.of(Errno.EINVAL, "size %d is negative", size);
        }
        if (size > MAX_FILE_BYTES) {
            throw FsException.of(Errno.EFBIG, "size %d is above the largest file size %d", size, MAX_FILE_BYTES);
        }
    }

    /** A chown by anyone but root drops set-user-id (and set-group-id with group execute). */
    private static void chown(Inode inode, SetAttr c) {
        if (has(c.valid(), SetAttr.UID)) {
            inode.uid = c.uid();
        }
        if (has(c.valid(), SetAttr.GID)) {
            inode.gid = c.gid();
        }
        inode.killPrivileges(c.callerUid());
    }

    /** Shrinking trims pieces and frees stripes no piece refers to; growing leaves a hole. */
    private void truncate(Inode inode, long size, int callerUid, long timeNs) {
        if (size < inode.size) {
            store.applyChange(inode, inode.extents.truncate(size));
        }
        if (size != inode.size) {
            inode.size = size;
            inode.mtimeNs = timeNs;
        }
        inode.killPrivileges(callerUid);
    }
}
