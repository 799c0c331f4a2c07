package io.strata.fuse;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * An inode of {@link MemoryFilesystem}. Guarded by the file system's lock. It lives while it has
 * a name (nlink), a kernel reference (lookups) or an open file; then the file system drops it.
 */
class MemoryNode {
    final long id;
    int mode;
    int uid;
    int gid;
    int rdev;
    int nlink;
    long lookups;
    int openFiles;
    long size;
    long atimeNanos;
    long mtimeNanos;
    long ctimeNanos;
    Map<String, byte[]> xattrs;

    MemoryNode(long id, int mode, int uid, int gid, long nowNanos) {
        this.id = id;
        this.mode = mode;
        this.uid = uid;
        this.gid = gid;
        this.atimeNanos = nowNanos;
        this.mtimeNanos = nowNanos;
        this.ctimeNanos = nowNanos;
    }

    boolean isDirectory() {
        return FuseProtocol.isDirectory(mode);
    }

    boolean isRegular() {
        return FuseProtocol.isRegular(mode);
    }

    boolean isUnused() {
        return nlink == 0 && lookups == 0 && openFiles == 0;
    }

    Map<String, byte[]> xattrs() {
        if (xattrs == null) {
            xattrs = new HashMap<>();
        }
        return xattrs;
    }

    long blocks() {
        return (size + 511) / 512;
    }

    /** A regular file: its bytes, or in discard mode nothing but its size. */
    static final class File extends MemoryNode {
        final SparseData data;

        File(long id, int mode, int uid, int gid, long nowNanos, boolean store) {
            super(id, mode, uid, gid, nowNanos);
            this.data = store ? new SparseData() : null;
            this.nlink = 1;
        }

        @Override
        long blocks() {
            return data == null ? super.blocks() : data.allocatedBytes() / 512;
        }
    }

    /**
     * A directory. Each entry gets a cookie from a counter when it is added (cookies 1 and 2 are
     * "." and ".."); readdir continues after a cookie, so a listing stays correct while entries
     * come and go: an entry present throughout is listed exactly once.
     */
    static final class Directory extends MemoryNode {
        static final long FIRST_COOKIE = 3;

        long parent;
        final Map<String, DirEntry> byName = new HashMap<>();
        final TreeMap<Long, DirEntry> byCookie = new TreeMap<>();
        private long nextCookie = FIRST_COOKIE;

        Directory(long id, int mode, int uid, int gid, long nowNanos, long parent) {
            super(id, mode, uid, gid, nowNanos);
            this.parent = parent;
            this.nlink = 2;
            this.size = 4096;
        }

        DirEntry get(String name) {
            return byName.get(name);
        }

        void add(String name, MemoryNode node) {
            DirEntry entry = new DirEntry(name, node, nextCookie++);
            byName.put(name, entry);
            byCookie.put(entry.cookie(), entry);
        }

        /** Points the existing entry {@code name} at another node, keeping its cookie. */
        void replace(String name, MemoryNode node) {
            DirEntry old = byName.get(name);
            DirEntry entry = new DirEntry(name, node, old.cookie());
            byName.put(name, entry);
            byCookie.put(entry.cookie(), entry);
        }

        void remove(String name) {
            DirEntry entry = byName.remove(name);
            byCookie.remove(entry.cookie());
        }

        boolean isEmpty() {
            return byName.isEmpty();
        }
    }

    record DirEntry(String name, MemoryNode node, long cookie) {
    }

    static final class Symlink extends MemoryNode {
        final String target;

        Symlink(long id, int uid, int gid, long nowNanos, String target) {
            super(id, FuseProtocol.S_IFLNK | 0777, uid, gid, nowNanos);
            this.target = target;
            this.nlink = 1;
            this.size = target.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
        }
    }

    /** A FIFO, socket or device node: attributes only. */
    static final class Special extends MemoryNode {
        Special(long id, int mode, int rdev, int uid, int gid, long nowNanos) {
            super(id, mode, uid, gid, nowNanos);
            this.rdev = rdev;
            this.nlink = 1;
        }
    }
}
