package io.strata.fuse;

/**
 * The attributes a SETATTR asks to change ({@code struct fuse_setattr_in}). Only the fields whose
 * bit is in {@code valid} carry meaning; the accessors below answer which ones.
 * {@link #atimeNow()}/{@link #mtimeNow()} mean "set to the file system's current time" (utimensat
 * with UTIME_NOW, or touch), the seconds/nanos fields are then to be ignored.
 */
public record AttributeChanges(
        int valid,
        long fileHandle,
        long size,
        long atimeSeconds,
        int atimeNanos,
        long mtimeSeconds,
        int mtimeNanos,
        long ctimeSeconds,
        int ctimeNanos,
        int mode,
        int uid,
        int gid) {

    static final int FATTR_MODE = 1;
    static final int FATTR_UID = 1 << 1;
    static final int FATTR_GID = 1 << 2;
    static final int FATTR_SIZE = 1 << 3;
    static final int FATTR_ATIME = 1 << 4;
    static final int FATTR_MTIME = 1 << 5;
    static final int FATTR_FH = 1 << 6;
    static final int FATTR_ATIME_NOW = 1 << 7;
    static final int FATTR_MTIME_NOW = 1 << 8;
    static final int FATTR_LOCKOWNER = 1 << 9;
    static final int FATTR_CTIME = 1 << 10;
    static final int FATTR_KILL_SUIDGID = 1 << 11;

    public boolean changesMode() {
        return (valid & FATTR_MODE) != 0;
    }

    public boolean changesUid() {
        return (valid & FATTR_UID) != 0;
    }

    public boolean changesGid() {
        return (valid & FATTR_GID) != 0;
    }

    public boolean changesSize() {
        return (valid & FATTR_SIZE) != 0;
    }

    public boolean changesAtime() {
        return (valid & FATTR_ATIME) != 0;
    }

    public boolean changesMtime() {
        return (valid & FATTR_MTIME) != 0;
    }

    public boolean changesCtime() {
        return (valid & FATTR_CTIME) != 0;
    }

    public boolean atimeNow() {
        return (valid & FATTR_ATIME_NOW) != 0;
    }

    public boolean mtimeNow() {
        return (valid & FATTR_MTIME_NOW) != 0;
    }

    public boolean hasFileHandle() {
        return (valid & FATTR_FH) != 0;
    }

    /** Set by the kernel (with HANDLE_KILLPRIV_V2 only) when setuid/setgid must be dropped. */
    public boolean killSuidGid() {
        return (valid & FATTR_KILL_SUIDGID) != 0;
    }
}
