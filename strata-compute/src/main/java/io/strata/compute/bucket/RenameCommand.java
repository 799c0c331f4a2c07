package io.strata.compute.bucket;

import io.strata.compute.bucket.BucketCommand.Rename;

/**
 * Rename when every key it touches lives in this bucket: both directories, the moved directory
 * (its parent pointer), the replaced inode, and for a directory moved to another parent the whole
 * chain of ancestors of its new parent, which is how this bucket proves the move makes no cycle.
 * Anything else is refused with EXDEV and runs as a transaction.
 */
final class RenameCommand {
    private final BucketStore store;

    RenameCommand(BucketStore store) {
        this.store = store;
    }

    CommandResult apply(Rename c) {
        if ((c.flags() & ~(Rename.NOREPLACE | Rename.EXCHANGE)) != 0 || c.flags() == (Rename.NOREPLACE | Rename.EXCHANGE)) {
            throw FsException.of(Errno.EINVAL, "rename flags %d are not supported", c.flags());
        }
        Inode from = store.directory(c.parent());
        Names.check(c.name());
        Names.check(c.newName());
        if (!store.owns(c.newParent())) {
            throw FsException.of(Errno.EXDEV, "target directory %s is in bucket %d: run a transaction",
                    Inodes.format(c.newParent()), Inodes.bucketOf(c.newParent()));
        }
        Inode to = store.directory(c.newParent());
        store.locks.requireWritable(from.ino);
        store.locks.requireWritable(to.ino);
        store.locks.requireEntryFree(from.ino, c.name());
        store.locks.requireEntryFree(to.ino, c.newName());
        Directory.Entry source = from.directory.get(c.name());
        if (source == null) {
            throw FsException.of(Errno.ENOENT, "no '%s' in %s", c.name(), Inodes.format(from.ino));
        }
        Directory.Entry target = to.directory.get(c.newName());
        if (target != null && target.ino() == source.ino()) {
            return CommandResult.DONE;
        }
        if (c.flags() == Rename.NOREPLACE && target != null) {
            throw FsException.of(Errno.EEXIST, "'%s' exists in %s", c.newName(), Inodes.format(to.ino));
        }
        if (c.flags() == Rename.EXCHANGE) {
            if (target == null) {
                throw FsException.of(Errno.ENOENT, "no '%s' in %s to exchange with", c.newName(), Inodes.format(to.ino));
            }
            return exchange(c, from, to, source, target);
        }
        return move(c, from, to, source, target);
    }

    private CommandResult move(Rename c, Inode from, Inode to, Directory.Entry source, Directory.Entry target) {
        boolean sourceIsDir = source.type() == FileType.DIR;
        if (target != null) {
            checkReplaceable(source, target, c.newName());
        }
        Inode moved = store.owns(source.ino()) ? store.inode(source.ino()) : null;
        boolean reparent = sourceIsDir && from != to;
        if (reparent) {
            moved = requireLocal(source.ino(), c.name());
            store.locks.requireRemovable(moved.ino);
            checkNotAncestor(moved.ino, to);
        }
        Inode replaced = null;
        if (target != null) {
            replaced = requireLocal(target.ino(), c.newName());
            store.locks.requireRemovable(replaced.ino);
            if (replaced.isDirectory() && !replaced.directory.isEmpty()) {
                throw FsException.of(Errno.ENOTEMPTY, "directory '%s' has %d entries", c.newName(), replaced.directory.size());
            }
        }
        from.directory.remove(c.name());
        to.directory.put(c.newName(), source.ino(), source.type());
        if (sourceIsDir) {
            from.nlink--;
            to.nlink++;
        }
        if (reparent) {
            moved.parent = to.ino;
        }
        if (replaced != null) {
            dropReplaced(to, replaced, c.timeNs());
        }
        from.touchModified(c.timeNs());
        to.touchModified(c.timeNs());
        if (moved != null) {
            moved.ctimeNs = c.timeNs();
        }
        return CommandResult.DONE;
    }

    static void checkReplaceable(Directory.Entry source, Directory.Entry target, String name) {
        boolean sourceIsDir = source.type() == FileType.DIR;
        boolean targetIsDir = target.type() == FileType.DIR;
        if (sourceIsDir && !targetIsDir) {
            throw FsException.of(Errno.ENOTDIR, "cannot replace non-directory '%s' with a directory", name);
        }
        if (!sourceIsDir && targetIsDir) {
            throw FsException.of(Errno.EISDIR, "cannot replace directory '%s' with a non-directory", name);
        }
    }

    private void dropReplaced(Inode to, Inode replaced, long timeNs) {
        if (replaced.isDirectory()) {
            to.nlink--;
            store.destroy(replaced);
            return;
        }
        replaced.nlink--;
        replaced.ctimeNs = timeNs;
        store.retireIfUnused(replaced);
    }

    private CommandResult exchange(Rename c, Inode from, Inode to, Directory.Entry source, Directory.Entry target) {
        boolean moveSource = source.type() == FileType.DIR && from != to;
        boolean moveTarget = target.type() == FileType.DIR && from != to;
        Inode sourceInode = moveSource ? requireLocal(source.ino(), c.name()) : null;
        Inode targetInode = moveTarget ? requireLocal(target.ino(), c.newName()) : null;
        if (moveSource) {
            store.locks.requireRemovable(sourceInode.ino);
            checkNotAncestor(sourceInode.ino, to);
        }
        if (moveTarget) {
            store.locks.requireRemovable(targetInode.ino);
            checkNotAncestor(targetInode.ino, from);
        }
        from.directory.replace(c.name(), target.ino(), target.type());
        to.directory.replace(c.newName(), source.ino(), source.type());
        if (moveSource) {
            from.nlink--;
            to.nlink++;
            sourceInode.parent = to.ino;
        }
        if (moveTarget) {
            to.nlink--;
            from.nlink++;
            targetInode.parent = from.ino;
        }
        from.touchModified(c.timeNs());
        to.touchModified(c.timeNs());
        touchIfLocal(source.ino(), c.timeNs());
        touchIfLocal(target.ino(), c.timeNs());
        return CommandResult.DONE;
    }

    private void touchIfLocal(long ino, long timeNs) {
        Inode inode = store.owns(ino) ? store.inodes.get(ino) : null;
        if (inode != null) {
            inode.ctimeNs = timeNs;
        }
    }

    private Inode requireLocal(long ino, String name) {
        if (!store.owns(ino)) {
            throw FsException.of(Errno.EXDEV, "'%s' is inode %s in bucket %d: run a transaction", name,
                    Inodes.format(ino), Inodes.bucketOf(ino));
        }
        return store.inode(ino);
    }

    /**
     * Refuses (EINVAL) to move {@code dir} under {@code newParent} when {@code dir} is
     * {@code newParent} or one of its ancestors; EXDEV when the chain leaves this bucket before
     * the root, EBUSY when a transaction is changing one of its links.
     */
    private void checkNotAncestor(long dir, Inode newParent) {
        Inode current = newParent;
        for (int steps = 0; steps <= store.inodes.size(); steps++) {
            if (current.ino == dir) {
                throw FsException.of(Errno.EINVAL, "directory %s cannot move into its own subtree", Inodes.format(dir));
            }
            store.locks.requireWritable(current.ino);
            if (current.parent == current.ino) {
                return;
            }
            if (!store.owns(current.parent)) {
                throw FsException.of(Errno.EXDEV, "ancestor %s of %s is in bucket %d: run a transaction",
                        Inodes.format(current.parent), Inodes.format(newParent.ino), Inodes.bucketOf(current.parent));
            }
            current = store.inode(current.parent);
        }
        throw new IllegalStateException("parent pointers from " + Inodes.format(newParent.ino) + " form a cycle");
    }
}
