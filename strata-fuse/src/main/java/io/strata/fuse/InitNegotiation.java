package io.strata.fuse;

import static io.strata.fuse.FuseProtocol.FUSE_ASYNC_DIO;
import static io.strata.fuse.FuseProtocol.FUSE_ASYNC_READ;
import static io.strata.fuse.FuseProtocol.FUSE_ATOMIC_O_TRUNC;
import static io.strata.fuse.FuseProtocol.FUSE_AUTO_INVAL_DATA;
import static io.strata.fuse.FuseProtocol.FUSE_BIG_WRITES;
import static io.strata.fuse.FuseProtocol.FUSE_CACHE_SYMLINKS;
import static io.strata.fuse.FuseProtocol.FUSE_DIRECT_IO_ALLOW_MMAP;
import static io.strata.fuse.FuseProtocol.FUSE_DO_READDIRPLUS;
import static io.strata.fuse.FuseProtocol.FUSE_INIT_EXT;
import static io.strata.fuse.FuseProtocol.FUSE_MAX_PAGES;
import static io.strata.fuse.FuseProtocol.FUSE_PARALLEL_DIROPS;
import static io.strata.fuse.FuseProtocol.FUSE_READDIRPLUS_AUTO;

import io.strata.runtime.StrataException;

/**
 * What this layer asks of the kernel at INIT, and why. Asked for:
 * <ul>
 *   <li>ASYNC_READ: several reads of one file in flight (readahead), needed for page-cache throughput;</li>
 *   <li>BIG_WRITES and MAX_PAGES (max_pages = maxWrite / 4 KiB): READ and WRITE requests of up to 1 MiB
 *       instead of 4 KiB or 128 KiB, far fewer round trips per byte;</li>
 *   <li>ATOMIC_O_TRUNC: O_TRUNC arrives with OPEN instead of a separate SETATTR afterwards, one
 *       request fewer and no window where another mount sees the file open but not yet empty;</li>
 *   <li>PARALLEL_DIROPS: lookups and readdirs in one directory run concurrently instead of being
 *       serialized by the kernel per directory;</li>
 *   <li>ASYNC_DIO: a large direct-IO read or write is split into requests issued together;</li>
 *   <li>DO_READDIRPLUS (+ READDIRPLUS_AUTO unless ALWAYS), per {@link MountOptions#readdirPlus()}:
 *       `ls -l` of a large directory gets attributes with the names instead of one lookup each;</li>
 *   <li>AUTO_INVAL_DATA: when refreshed attributes show another size or mtime, the kernel drops the
 *       file's cached pages, a cheap first line of coherence with other mounts;</li>
 *   <li>CACHE_SYMLINKS: a symlink's target never changes, so the kernel may keep it;</li>
 *   <li>DIRECT_IO_ALLOW_MMAP (with INIT_EXT, which makes the kernel read the reply's flags2): without
 *       it a shared mmap of a file opened with FOPEN_DIRECT_IO fails with ENODEV, so Java's
 *       FileChannel.map, Python's mmap, SQLite's shared memory and the like would fail on direct-IO
 *       mounts. With it the mapping goes through the page cache (written back on msync or
 *       eviction), and the kernel invalidates cached pages when the file is mapped and on each
 *       direct write through this mount.</li>
 * </ul>
 * Not asked for: WRITEBACK_CACHE (a write must be acknowledged by the file system to be visible to
 * other mounts, so the kernel must not hold dirty pages); POSIX_LOCKS/FLOCK_LOCKS (the kernel then
 * keeps locks local to this mount; cross-mount locking is not offered); HANDLE_KILLPRIV(_V2) (the
 * kernel then clears setuid/setgid itself with a SETATTR, so file systems need no privilege logic);
 * EXPORT_SUPPORT (no NFS re-export); DONT_MASK (the kernel applies the umask); SPLICE_* (plain
 * read/write on the device); POSIX_ACL; SETXATTR_EXT and SECURITY_CTX (requests keep the plain
 * layouts).
 */
final class InitNegotiation {
    private InitNegotiation() {
    }

    static long wantedFlags(MountOptions options) {
        long flags = FUSE_ASYNC_READ | FUSE_BIG_WRITES | FUSE_MAX_PAGES | FUSE_ATOMIC_O_TRUNC | FUSE_PARALLEL_DIROPS
                | FUSE_ASYNC_DIO | FUSE_AUTO_INVAL_DATA | FUSE_CACHE_SYMLINKS | FUSE_INIT_EXT
                | FUSE_DIRECT_IO_ALLOW_MMAP;
        return switch (options.readdirPlus()) {
            case NEVER -> flags;
            case AUTO -> flags | FUSE_DO_READDIRPLUS | FUSE_READDIRPLUS_AUTO;
            case ALWAYS -> flags | FUSE_DO_READDIRPLUS;
        };
    }

    /** The parameters for a kernel INIT of major 7; refuses kernels older than {@link FuseProtocol#MIN_MINOR_VERSION}. */
    static SessionParameters negotiate(Wire.InitIn init, MountOptions options) {
        if (init.major() != FuseProtocol.KERNEL_VERSION || init.minor() < FuseProtocol.MIN_MINOR_VERSION) {
            throw StrataException.unavailable("kernel FUSE protocol %d.%d is not supported (need 7.%d or newer)",
                    init.major(), init.minor(), FuseProtocol.MIN_MINOR_VERSION);
        }
        int minor = Math.min(init.minor(), FuseProtocol.MAX_MINOR_VERSION);
        long flags = wantedFlags(options) & init.flags();
        if ((flags & FUSE_MAX_PAGES) == 0) {
            throw StrataException.unavailable("kernel FUSE protocol 7.%d does not offer MAX_PAGES", init.minor());
        }
        int readahead = (int) Math.min(Integer.toUnsignedLong(init.maxReadahead()), options.maxReadaheadBytes());
        return new SessionParameters(FuseProtocol.KERNEL_VERSION, minor, init.flags(), flags,
                options.maxWriteBytes(), readahead, options.maxWriteBytes() / 4096, options.maxBackground(),
                options.congestionThreshold(), 1);
    }
}
