package io.strata.fuse;

/**
 * Constants of the kernel's FUSE protocol ({@code include/uapi/linux/fuse.h}) that a file system
 * sees: open reply flags, rename flags, file types, and the INIT flags this layer negotiates.
 */
public final class FuseProtocol {
    public static final int KERNEL_VERSION = 7;
    /** The newest minor version this layer speaks; the kernel on the development machines speaks 7.45. */
    public static final int MAX_MINOR_VERSION = 45;
    /** max_pages (7.28) and everything this layer encodes exist from here on. */
    public static final int MIN_MINOR_VERSION = 28;
    public static final long ROOT_ID = 1;

    // Flags of the OPEN/CREATE/OPENDIR reply, chosen by the file system per open.
    public static final int FOPEN_DIRECT_IO = 1;
    public static final int FOPEN_KEEP_CACHE = 1 << 1;
    public static final int FOPEN_NONSEEKABLE = 1 << 2;
    public static final int FOPEN_CACHE_DIR = 1 << 3;
    public static final int FOPEN_STREAM = 1 << 4;
    public static final int FOPEN_NOFLUSH = 1 << 5;
    public static final int FOPEN_PARALLEL_DIRECT_WRITES = 1 << 6;

    // rename2 flags.
    public static final int RENAME_NOREPLACE = 1;
    public static final int RENAME_EXCHANGE = 1 << 1;
    public static final int RENAME_WHITEOUT = 1 << 2;

    // File type bits of st_mode.
    public static final int S_IFMT = 0170000;
    public static final int S_IFSOCK = 0140000;
    public static final int S_IFLNK = 0120000;
    public static final int S_IFREG = 0100000;
    public static final int S_IFBLK = 0060000;
    public static final int S_IFDIR = 0040000;
    public static final int S_IFCHR = 0020000;
    public static final int S_IFIFO = 0010000;

    // open(2) flags as they arrive in OPEN, CREATE, READ and WRITE requests.
    public static final int O_ACCMODE = 03;
    public static final int O_WRONLY = 01;
    public static final int O_RDWR = 02;
    public static final int O_CREAT = 0100;
    public static final int O_EXCL = 0200;
    public static final int O_TRUNC = 01000;
    public static final int O_APPEND = 02000;

    // setxattr flags.
    public static final int XATTR_CREATE = 1;
    public static final int XATTR_REPLACE = 2;

    // lseek whence values.
    public static final int SEEK_SET = 0;
    public static final int SEEK_CUR = 1;
    public static final int SEEK_END = 2;
    public static final int SEEK_DATA = 3;
    public static final int SEEK_HOLE = 4;

    // fallocate modes.
    public static final int FALLOC_FL_KEEP_SIZE = 1;
    public static final int FALLOC_FL_PUNCH_HOLE = 2;

    // INIT flags (bits 32..63 travel in flags2).
    public static final long FUSE_ASYNC_READ = 1L;
    public static final long FUSE_POSIX_LOCKS = 1L << 1;
    public static final long FUSE_ATOMIC_O_TRUNC = 1L << 3;
    public static final long FUSE_EXPORT_SUPPORT = 1L << 4;
    public static final long FUSE_BIG_WRITES = 1L << 5;
    public static final long FUSE_DONT_MASK = 1L << 6;
    public static final long FUSE_SPLICE_WRITE = 1L << 7;
    public static final long FUSE_SPLICE_MOVE = 1L << 8;
    public static final long FUSE_SPLICE_READ = 1L << 9;
    public static final long FUSE_FLOCK_LOCKS = 1L << 10;
    public static final long FUSE_AUTO_INVAL_DATA = 1L << 12;
    public static final long FUSE_DO_READDIRPLUS = 1L << 13;
    public static final long FUSE_READDIRPLUS_AUTO = 1L << 14;
    public static final long FUSE_ASYNC_DIO = 1L << 15;
    public static final long FUSE_WRITEBACK_CACHE = 1L << 16;
    public static final long FUSE_NO_OPEN_SUPPORT = 1L << 17;
    public static final long FUSE_PARALLEL_DIROPS = 1L << 18;
    public static final long FUSE_HANDLE_KILLPRIV = 1L << 19;
    public static final long FUSE_POSIX_ACL = 1L << 20;
    public static final long FUSE_ABORT_ERROR = 1L << 21;
    public static final long FUSE_MAX_PAGES = 1L << 22;
    public static final long FUSE_CACHE_SYMLINKS = 1L << 23;
    public static final long FUSE_NO_OPENDIR_SUPPORT = 1L << 24;
    public static final long FUSE_EXPLICIT_INVAL_DATA = 1L << 25;
    public static final long FUSE_HANDLE_KILLPRIV_V2 = 1L << 28;
    public static final long FUSE_SETXATTR_EXT = 1L << 29;
    public static final long FUSE_INIT_EXT = 1L << 30;
    public static final long FUSE_SECURITY_CTX = 1L << 32;
    public static final long FUSE_HAS_EXPIRE_ONLY = 1L << 35;
    public static final long FUSE_DIRECT_IO_ALLOW_MMAP = 1L << 36;
    /** Offered by kernels (6.9+) that accept FUSE_NOTIFY_RESEND; nothing to ask for. */
    public static final long FUSE_HAS_RESEND = 1L << 39;

    private FuseProtocol() {
    }

    /** The {@code d_type} of a directory entry (DT_REG, DT_DIR, ...) for a mode. */
    public static int directoryEntryType(int mode) {
        return (mode & S_IFMT) >>> 12;
    }

    public static boolean isDirectory(int mode) {
        return (mode & S_IFMT) == S_IFDIR;
    }

    public static boolean isRegular(int mode) {
        return (mode & S_IFMT) == S_IFREG;
    }

    public static boolean isSymlink(int mode) {
        return (mode & S_IFMT) == S_IFLNK;
    }
}
