package io.strata.compute.bucket;

import io.strata.compute.bucket.BucketCommand.Create;
import io.strata.compute.bucket.BucketCommand.CreateRoot;
import io.strata.compute.bucket.BucketCommand.Link;
import io.strata.compute.bucket.BucketCommand.Rmdir;
import io.strata.compute.bucket.BucketCommand.Unlink;

/** Creating, linking and removing names whose keys all live in this bucket. */
final class NamespaceCommands {
    /** A new inode's mode and group after the set-group-id directory rule. */
    record Ownership(int mode, int gid) {
    }

    private final BucketStore store;

    NamespaceCommands(BucketStore store) {
        this.store = store;
    }

    CommandResult createRoot(CreateRoot c) {
        if (c.fsId() < 0) {
            throw FsException.of(Errno.EINVAL, "fs id %d is negative", c.fsId());
        }
        int owner = Inodes.rootBucket(c.fsId(), store.bucketCount);
        if (owner != store.bucket) {
            throw FsException.of(Errno.EINVAL, "the root of fs %d belongs to bucket %d, not %d", c.fsId(), owner, store.bucket);
        }
        long ino = Inodes.rootIno(c.fsId(), store.bucketCount);
        Inode existing = store.inodes.get(ino);
        if (existing != null) {
            return new CommandResult.AttrResult(existing.attributes());
        }
        Inode root = store.newInode(ino, c.fsId(), FileType.DIR, c.mode(), c.uid(), c.gid(), c.timeNs());
        root.parent = ino;
        store.insert(root);
        return new CommandResult.AttrResult(root.attributes());
    }

    /**
     * POSIX: in a set-group-id directory new inodes take the directory's group, and new
     * directories keep the set-group-id bit.
     */
    static Ownership inherit(Inode parent, FileType type, int mode, int gid) {
        if ((parent.mode & Inode.S_ISGID) == 0) {
            return new Ownership(mode & Inode.PERMISSION_BITS, gid);
        }
        int inherited = type == FileType.DIR ? mode | Inode.S_ISGID : mode;
        return new Ownership(inherited & Inode.PERMISSION_BITS, parent.gid);
    }

    CommandResult create(Create c) {
        if (c.type() == null) {
            throw FsException.of(Errno.EINVAL, "create of '%s' names no file type", c.name());
        }
        Inode parent = store.directory(c.parent());
        Names.check(c.name());
        store.locks.requireWritable(parent.ino);
        store.locks.requireEntryFree(parent.ino, c.name());
        Directory.Entry existing = parent.directory.get(c.name());
        if (existing != null) {
            CommandResult found = existingFile(c, existing);
            openIfAsked(c, existing.ino());
            return found;
        }
        checkCreatable(c);
        Ownership ownership = inherit(parent, c.type(), c.mode(), c.gid());
        Inode inode = store.newInode(store.allocateIno(), parent.fsId, c.type(), ownership.mode(), c.uid(),
                ownership.gid(), c.timeNs());
        if (c.type() == FileType.CHAR || c.type() == FileType.BLOCK) {
            inode.rdev = c.rdev();
        }
        if (c.type() == FileType.SYMLINK) {
            inode.symlinkTarget = c.symlinkTarget();
            inode.size = Names.utf8Length(c.symlinkTarget());
        }
        if (c.type() == FileType.DIR) {
            inode.parent = parent.ino;
            parent.nlink++;
        }
        store.insert(inode);
        parent.directory.add(c.name(), inode.ino, inode.type);
        parent.touchModified(c.timeNs());
        openIfAsked(c, inode.ino);
        return new CommandResult.AttrResult(inode.attributes());
    }

    private void openIfAsked(Create c, long ino) {
        if (c.openHandle() != 0 && c.type() == FileType.FILE) {
            store.open.open(ino, c.openHandle());
        }
    }

    private CommandResult existingFile(Create c, Directory.Entry existing) {
        if (c.exclusive() || c.type() != FileType.FILE || existing.type() != FileType.FILE || !store.owns(existing.ino())) {
            throw FsException.of(Errno.EEXIST, "name '%s' exists in %s", c.name(), Inodes.format(c.parent()));
        }
        return new CommandResult.AttrResult(store.inode(existing.ino()).attributes());
    }

    private void checkCreatable(Create c) {
        if (c.type() == FileType.SYMLINK) {
            Names.checkSymlinkTarget(c.symlinkTarget());
        }
        if (c.type() == FileType.DIR) {
            int owner = Inodes.directoryBucket(c.parent(), c.name(), store.bucketCount);
            if (owner != store.bucket) {
                throw FsException.of(Errno.EXDEV, "directory '%s' in %s belongs to bucket %d: run a transaction",
                        c.name(), Inodes.format(c.parent()), owner);
            }
        }
    }

    CommandResult unlink(Unlink c) {
        Inode parent = writableDirectory(c.parent(), c.name());
        Directory.Entry entry = existingEntry(parent, c.name());
        if (entry.type() == FileType.DIR) {
            throw FsException.of(Errno.EISDIR, "'%s' in %s is a directory", c.name(), Inodes.format(c.parent()));
        }
        Inode child = localChild(entry, c.name());
        store.locks.requireRemovable(child.ino);
        parent.directory.remove(c.name());
        parent.touchModified(c.timeNs());
        child.nlink--;
        child.ctimeNs = c.timeNs();
        store.retireIfUnused(child);
        return CommandResult.DONE;
    }

    CommandResult rmdir(Rmdir c) {
        Inode parent = writableDirectory(c.parent(), c.name());
        Directory.Entry entry = existingEntry(parent, c.name());
        if (entry.type() != FileType.DIR) {
            throw FsException.of(Errno.ENOTDIR, "'%s' in %s is not a directory", c.name(), Inodes.format(c.parent()));
        }
        Inode child = localChild(entry, c.name());
        if (!child.directory.isEmpty()) {
            throw FsException.of(Errno.ENOTEMPTY, "directory '%s' has %d entries", c.name(), child.directory.size());
        }
        store.locks.requireRemovable(child.ino);
        parent.directory.remove(c.name());
        parent.nlink--;
        parent.touchModified(c.timeNs());
        store.destroy(child);
        return CommandResult.DONE;
    }

    CommandResult link(Link c) {
        Inode parent = writableDirectory(c.newParent(), c.newName());
        if (parent.directory.get(c.newName()) != null) {
            throw FsException.of(Errno.EEXIST, "name '%s' exists in %s", c.newName(), Inodes.format(c.newParent()));
        }
        if (!store.owns(c.ino())) {
            throw FsException.of(Errno.EXDEV, "inode %s is in bucket %d: run a transaction", Inodes.format(c.ino()),
                    Inodes.bucketOf(c.ino()));
        }
        Inode target = store.inode(c.ino());
        checkLinkable(target);
        store.locks.requireWritable(target.ino);
        parent.directory.add(c.newName(), target.ino, target.type);
        parent.touchModified(c.timeNs());
        target.nlink++;
        target.ctimeNs = c.timeNs();
        return new CommandResult.AttrResult(target.attributes());
    }

    static void checkLinkable(Inode target) {
        if (target.isDirectory()) {
            throw FsException.of(Errno.EPERM, "inode %s is a directory: no hard links", Inodes.format(target.ino));
        }
        if (target.nlink == 0) {
            throw FsException.of(Errno.ENOENT, "inode %s has no name left", Inodes.format(target.ino));
        }
        if (target.nlink >= Inode.MAX_FILE_LINKS) {
            throw FsException.of(Errno.EMLINK, "inode %s has %d links already", Inodes.format(target.ino), target.nlink);
        }
    }

    private Inode writableDirectory(long ino, String name) {
        Inode dir = store.directory(ino);
        Names.check(name);
        store.locks.requireWritable(dir.ino);
        store.locks.requireEntryFree(dir.ino, name);
        return dir;
    }

    private static Directory.Entry existingEntry(Inode parent, String name) {
        Directory.Entry entry = parent.directory.get(name);
        if (entry == null) {
            throw FsException.of(Errno.ENOENT, "no '%s' in %s", name, Inodes.format(parent.ino));
        }
        return entry;
    }

    private Inode localChild(Directory.Entry entry, String name) {
        if (!store.owns(entry.ino())) {
            throw FsException.of(Errno.EXDEV, "'%s' is inode %s in bucket %d: run a transaction", name,
                    Inodes.format(entry.ino()), Inodes.bucketOf(entry.ino()));
        }
        return store.inode(entry.ino());
    }
}
