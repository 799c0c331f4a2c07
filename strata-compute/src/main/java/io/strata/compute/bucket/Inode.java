package io.strata.compute.bucket;

/** One inode as the bucket keeps it; only the bucket's own command handlers change it. */
final class Inode {
    static final int S_ISUID = 04000;
    static final int S_ISGID = 02000;
    static final int S_IXGRP = 00010;
    static final int PERMISSION_BITS = 07777;
    /** Like ext4: more hard links than this to one file are refused with EMLINK. */
    static final int MAX_FILE_LINKS = 65000;

    final long ino;
    final int fsId;
    final FileType type;
    final long generation;
    int mode;
    int uid;
    int gid;
    long size;
    int nlink;
    long atimeNs;
    long mtimeNs;
    long ctimeNs;
    long rdev;
    String symlinkTarget;
    long parent;
    /** Entries, for directories only. */
    final Directory directory;
    /** Extent map, for regular files only. */
    final ExtentMap extents;

    Inode(long ino, int fsId, FileType type, long generation) {
        this.ino = ino;
        this.fsId = fsId;
        this.type = type;
        this.generation = generation;
        this.directory = type == FileType.DIR ? new Directory() : null;
        this.extents = type == FileType.FILE ? new ExtentMap() : null;
    }

    boolean isDirectory() {
        return type == FileType.DIR;
    }

    void touchAll(long timeNs) {
        atimeNs = timeNs;
        mtimeNs = timeNs;
        ctimeNs = timeNs;
    }

    void touchModified(long timeNs) {
        mtimeNs = timeNs;
        ctimeNs = timeNs;
    }

    /** POSIX: a write or truncate by anyone but root drops set-user-id, and set-group-id when group may execute. */
    void killPrivileges(int callerUid) {
        if (callerUid == 0 || type == FileType.DIR) {
            return;
        }
        mode &= ~S_ISUID;
        if ((mode & S_IXGRP) != 0) {
            mode &= ~S_ISGID;
        }
    }

    Attributes attributes() {
        return new Attributes(ino, fsId, type, mode, uid, gid, size, nlink, atimeNs, mtimeNs, ctimeNs, rdev, parent,
                generation, symlinkTarget);
    }
}
