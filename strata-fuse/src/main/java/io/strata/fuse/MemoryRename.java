package io.strata.fuse;

import static io.strata.fuse.FuseProtocol.RENAME_EXCHANGE;
import static io.strata.fuse.FuseProtocol.RENAME_NOREPLACE;

/** rename(2) and renameat2(2) for {@link MemoryFilesystem}, run under its lock; answers 0 or an errno. */
final class MemoryRename {
    private MemoryRename() {
    }

    static int rename(MemoryFilesystem fs, long parentId, String name, long newParentId, String newName, int flags) {
        if ((flags & ~(RENAME_NOREPLACE | RENAME_EXCHANGE)) != 0 || flags == (RENAME_NOREPLACE | RENAME_EXCHANGE)) {
            return Errno.EINVAL;
        }
        if (MemoryFilesystem.badName(newName)) {
            return Errno.ENAMETOOLONG;
        }
        Object fromFound = fs.directory(parentId);
        Object toFound = fs.directory(newParentId);
        if (!(fromFound instanceof MemoryNode.Directory from)) {
            return (Integer) fromFound;
        }
        if (!(toFound instanceof MemoryNode.Directory to)) {
            return (Integer) toFound;
        }
        MemoryNode.DirEntry source = from.get(name);
        if (source == null) {
            return Errno.ENOENT;
        }
        if (isAncestorOrSelf(fs, source.node(), to)) {
            return Errno.EINVAL;
        }
        MemoryNode.DirEntry target = to.get(newName);
        if ((flags & RENAME_EXCHANGE) != 0) {
            if (target == null) {
                return Errno.ENOENT;
            }
            if (isAncestorOrSelf(fs, target.node(), from)) {
                return Errno.EINVAL;
            }
            exchange(fs, from, name, source.node(), to, newName, target.node());
            return 0;
        }
        if (target != null) {
            int errno = replaceable(source.node(), target.node(), flags);
            if (errno != 0 || target.node() == source.node()) {
                return errno; // renaming a name onto another link of the same inode does nothing
            }
            fs.unlinkEntry(to, newName, target.node());
        }
        move(fs, from, name, source.node(), to, newName);
        return 0;
    }

    private static int replaceable(MemoryNode source, MemoryNode target, int flags) {
        if ((flags & RENAME_NOREPLACE) != 0) {
            return Errno.EEXIST;
        }
        if (source.isDirectory()) {
            if (!(target instanceof MemoryNode.Directory targetDir)) {
                return Errno.ENOTDIR;
            }
            return targetDir.isEmpty() ? 0 : Errno.ENOTEMPTY;
        }
        return target.isDirectory() ? Errno.EISDIR : 0;
    }

    /** True if {@code node} is {@code dir} or one of its ancestors (moving it there would make a loop). */
    private static boolean isAncestorOrSelf(MemoryFilesystem fs, MemoryNode node, MemoryNode.Directory dir) {
        if (!node.isDirectory()) {
            return false;
        }
        MemoryNode.Directory current = dir;
        while (true) {
            if (current.id == node.id) {
                return true;
            }
            if (current.id == FuseProtocol.ROOT_ID || !(fs.directory(current.parent) instanceof MemoryNode.Directory up)) {
                return false;
            }
            current = up;
        }
    }

    private static void move(MemoryFilesystem fs, MemoryNode.Directory from, String name, MemoryNode node,
            MemoryNode.Directory to, String newName) {
        from.remove(name);
        to.add(newName, node);
        if (node instanceof MemoryNode.Directory dir && from != to) {
            from.nlink--;
            to.nlink++;
            dir.parent = to.id;
        }
        node.ctimeNanos = fs.now();
        fs.touchDirectory(from);
        fs.touchDirectory(to);
    }

    private static void exchange(MemoryFilesystem fs, MemoryNode.Directory from, String name, MemoryNode first,
            MemoryNode.Directory to, String newName, MemoryNode second) {
        from.replace(name, second);
        to.replace(newName, first);
        if (from != to) {
            reparent(first, from, to);
            reparent(second, to, from);
        }
        long now = fs.now();
        first.ctimeNanos = now;
        second.ctimeNanos = now;
        fs.touchDirectory(from);
        fs.touchDirectory(to);
    }

    private static void reparent(MemoryNode node, MemoryNode.Directory oldParent, MemoryNode.Directory newParent) {
        if (node instanceof MemoryNode.Directory dir) {
            oldParent.nlink--;
            newParent.nlink++;
            dir.parent = newParent.id;
        }
    }
}
