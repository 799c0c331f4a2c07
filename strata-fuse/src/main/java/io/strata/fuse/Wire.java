package io.strata.fuse;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Byte layouts of the FUSE structs ({@code include/uapi/linux/fuse.h}, protocol 7.45) and their
 * encoders and decoders. The protocol is in the host's byte order; Strata runs on little-endian
 * machines only, which {@link #checkByteOrder()} makes explicit. Offsets are written out rather
 * than derived so that each can be checked against the header by eye and by the tests' fixtures.
 */
final class Wire {
    static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED;
    static final ValueLayout.OfLong U64 = ValueLayout.JAVA_LONG_UNALIGNED;
    static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED;

    // Opcodes.
    static final int LOOKUP = 1;
    static final int FORGET = 2;
    static final int GETATTR = 3;
    static final int SETATTR = 4;
    static final int READLINK = 5;
    static final int SYMLINK = 6;
    static final int MKNOD = 8;
    static final int MKDIR = 9;
    static final int UNLINK = 10;
    static final int RMDIR = 11;
    static final int RENAME = 12;
    static final int LINK = 13;
    static final int OPEN = 14;
    static final int READ = 15;
    static final int WRITE = 16;
    static final int STATFS = 17;
    static final int RELEASE = 18;
    static final int FSYNC = 20;
    static final int SETXATTR = 21;
    static final int GETXATTR = 22;
    static final int LISTXATTR = 23;
    static final int REMOVEXATTR = 24;
    static final int FLUSH = 25;
    static final int INIT = 26;
    static final int OPENDIR = 27;
    static final int READDIR = 28;
    static final int RELEASEDIR = 29;
    static final int FSYNCDIR = 30;
    static final int GETLK = 31;
    static final int SETLK = 32;
    static final int SETLKW = 33;
    static final int ACCESS = 34;
    static final int CREATE = 35;
    static final int INTERRUPT = 36;
    static final int BMAP = 37;
    static final int DESTROY = 38;
    static final int IOCTL = 39;
    static final int POLL = 40;
    static final int NOTIFY_REPLY = 41;
    static final int BATCH_FORGET = 42;
    static final int FALLOCATE = 43;
    static final int READDIRPLUS = 44;
    static final int RENAME2 = 45;
    static final int LSEEK = 46;
    static final int COPY_FILE_RANGE = 47;
    static final int SYNCFS = 50;
    static final int TMPFILE = 51;
    static final int STATX = 52;
    static final int COPY_FILE_RANGE_64 = 53;

    // Notification codes (sent in the error field of an out header with unique 0).
    static final int NOTIFY_INVAL_INODE = 2;
    static final int NOTIFY_INVAL_ENTRY = 3;
    static final int NOTIFY_DELETE = 6;
    static final int NOTIFY_RESEND = 7;

    // struct sizes.
    static final int IN_HEADER_SIZE = 40;
    static final int OUT_HEADER_SIZE = 16;
    static final int ATTR_SIZE = 88;
    static final int ENTRY_OUT_SIZE = 128;
    static final int ATTR_OUT_SIZE = 104;
    static final int OPEN_OUT_SIZE = 16;
    static final int WRITE_OUT_SIZE = 8;
    static final int STATFS_OUT_SIZE = 80;
    static final int INIT_IN_SIZE = 64;
    static final int INIT_OUT_SIZE = 64;
    static final int GETXATTR_OUT_SIZE = 8;
    static final int LSEEK_OUT_SIZE = 8;
    static final int DIRENT_HEADER_SIZE = 24;
    static final int DIRENTPLUS_HEADER_SIZE = ENTRY_OUT_SIZE + DIRENT_HEADER_SIZE;
    static final int SETATTR_IN_SIZE = 88;
    static final int READ_IN_SIZE = 40;
    static final int WRITE_IN_SIZE = 40;
    static final int OPEN_IN_SIZE = 8;
    static final int CREATE_IN_SIZE = 16;
    static final int RELEASE_IN_SIZE = 24;
    static final int FLUSH_IN_SIZE = 24;
    static final int FSYNC_IN_SIZE = 16;
    static final int MKNOD_IN_SIZE = 16;
    static final int MKDIR_IN_SIZE = 8;
    static final int RENAME_IN_SIZE = 8;
    static final int RENAME2_IN_SIZE = 16;
    static final int LINK_IN_SIZE = 8;
    static final int GETATTR_IN_SIZE = 16;
    static final int ACCESS_IN_SIZE = 8;
    static final int FORGET_IN_SIZE = 8;
    static final int BATCH_FORGET_IN_SIZE = 8;
    static final int FORGET_ONE_SIZE = 16;
    static final int INTERRUPT_IN_SIZE = 8;
    static final int GETXATTR_IN_SIZE = 8;
    /** Without FUSE_SETXATTR_EXT, which this layer does not ask for. */
    static final int SETXATTR_IN_SIZE = 8;
    static final int FALLOCATE_IN_SIZE = 32;
    static final int LSEEK_IN_SIZE = 24;
    static final int NOTIFY_INVAL_INODE_SIZE = 24;
    static final int NOTIFY_INVAL_ENTRY_SIZE = 16;
    static final int NOTIFY_DELETE_SIZE = 24;

    private Wire() {
    }

    static void checkByteOrder() {
        if (ByteOrder.nativeOrder() != ByteOrder.LITTLE_ENDIAN) {
            throw new IllegalStateException("the FUSE layer supports little-endian hosts only");
        }
    }

    // ---- request header ----

    static int inLength(MemorySegment b) {
        return b.get(U32, 0);
    }

    static int inOpcode(MemorySegment b) {
        return b.get(U32, 4);
    }

    static long inUnique(MemorySegment b) {
        return b.get(U64, 8);
    }

    static long inNodeId(MemorySegment b) {
        return b.get(U64, 16);
    }

    static int inUid(MemorySegment b) {
        return b.get(U32, 24);
    }

    static int inGid(MemorySegment b) {
        return b.get(U32, 28);
    }

    static int inPid(MemorySegment b) {
        return b.get(U32, 32);
    }

    /** Length of the extensions at the end of the request (security context, groups), in bytes. */
    static int inExtensionLength(MemorySegment b) {
        return Short.toUnsignedInt(b.get(U16, 36)) * 8;
    }

    // ---- out header ----

    static void putOutHeader(MemorySegment b, int length, int error, long unique) {
        b.set(U32, 0, length);
        b.set(U32, 4, error);
        b.set(U64, 8, unique);
    }

    // ---- request arguments ----

    record InitIn(int major, int minor, int maxReadahead, long flags) {
    }

    static InitIn decodeInit(MemorySegment b, int argLength) {
        int flags = b.get(U32, IN_HEADER_SIZE + 12);
        long flags2 = 0;
        if ((flags & FuseProtocol.FUSE_INIT_EXT) != 0 && argLength >= 20) {
            flags2 = Integer.toUnsignedLong(b.get(U32, IN_HEADER_SIZE + 16));
        }
        return new InitIn(b.get(U32, IN_HEADER_SIZE), b.get(U32, IN_HEADER_SIZE + 4),
                b.get(U32, IN_HEADER_SIZE + 8), Integer.toUnsignedLong(flags) | flags2 << 32);
    }

    static int encodeInitOut(MemorySegment b, long unique, SessionParameters p) {
        int o = OUT_HEADER_SIZE;
        b.asSlice(o, INIT_OUT_SIZE).fill((byte) 0);
        b.set(U32, o, p.protocolMajor());
        b.set(U32, o + 4, p.protocolMinor());
        b.set(U32, o + 8, p.maxReadaheadBytes());
        b.set(U32, o + 12, (int) p.flags());
        b.set(U16, o + 16, (short) p.maxBackground());
        b.set(U16, o + 18, (short) p.congestionThreshold());
        b.set(U32, o + 20, p.maxWriteBytes());
        b.set(U32, o + 24, p.timeGranularityNanos());
        b.set(U16, o + 28, (short) p.maxPages());
        b.set(U16, o + 30, (short) 0); // map_alignment
        b.set(U32, o + 32, (int) (p.flags() >>> 32));
        int length = OUT_HEADER_SIZE + INIT_OUT_SIZE;
        putOutHeader(b, length, 0, unique);
        return length;
    }

    /** A reply to an INIT from a kernel with a newer major version: our major only, asking for a new INIT. */
    static int encodeInitMajorOnly(MemorySegment b, long unique) {
        b.asSlice(OUT_HEADER_SIZE, 8).fill((byte) 0);
        b.set(U32, OUT_HEADER_SIZE, FuseProtocol.KERNEL_VERSION);
        int length = OUT_HEADER_SIZE + 8;
        putOutHeader(b, length, 0, unique);
        return length;
    }

    static AttributeChanges decodeSetattr(MemorySegment b) {
        int o = IN_HEADER_SIZE;
        return new AttributeChanges(
                b.get(U32, o),
                b.get(U64, o + 8),
                b.get(U64, o + 16),
                b.get(U64, o + 32),
                b.get(U32, o + 56),
                b.get(U64, o + 40),
                b.get(U32, o + 60),
                b.get(U64, o + 48),
                b.get(U32, o + 64),
                b.get(U32, o + 68),
                b.get(U32, o + 76),
                b.get(U32, o + 80));
    }

    record ReadIn(long fileHandle, long offset, int size, int readFlags, long lockOwner, int openFlags) {
    }

    static ReadIn decodeRead(MemorySegment b) {
        int o = IN_HEADER_SIZE;
        return new ReadIn(b.get(U64, o), b.get(U64, o + 8), b.get(U32, o + 16), b.get(U32, o + 20),
                b.get(U64, o + 24), b.get(U32, o + 32));
    }

    /** fuse_write_in has the same layout as fuse_read_in; the data follows it. */
    static ReadIn decodeWrite(MemorySegment b) {
        return decodeRead(b);
    }

    record ReleaseIn(long fileHandle, int openFlags, int releaseFlags, long lockOwner) {
    }

    static ReleaseIn decodeRelease(MemorySegment b) {
        int o = IN_HEADER_SIZE;
        return new ReleaseIn(b.get(U64, o), b.get(U32, o + 8), b.get(U32, o + 12), b.get(U64, o + 16));
    }

    record FallocateIn(long fileHandle, long offset, long length, int mode) {
    }

    static FallocateIn decodeFallocate(MemorySegment b) {
        int o = IN_HEADER_SIZE;
        return new FallocateIn(b.get(U64, o), b.get(U64, o + 8), b.get(U64, o + 16), b.get(U32, o + 24));
    }

    record LseekIn(long fileHandle, long offset, int whence) {
    }

    static LseekIn decodeLseek(MemorySegment b) {
        int o = IN_HEADER_SIZE;
        return new LseekIn(b.get(U64, o), b.get(U64, o + 8), b.get(U32, o + 16));
    }

    static int u32(MemorySegment b, long offset) {
        return b.get(U32, offset);
    }

    static long u64(MemorySegment b, long offset) {
        return b.get(U64, offset);
    }

    /** The NUL-terminated string at {@code offset}, ending at {@code limit} at the latest. */
    static String string(MemorySegment b, long offset, long limit) {
        long end = nul(b, offset, limit);
        byte[] bytes = b.asSlice(offset, end - offset).toArray(ValueLayout.JAVA_BYTE);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** The offset just past the NUL that ends the string at {@code offset}. */
    static long afterString(MemorySegment b, long offset, long limit) {
        return nul(b, offset, limit) + 1;
    }

    private static long nul(MemorySegment b, long offset, long limit) {
        for (long i = offset; i < limit; i++) {
            if (b.get(ValueLayout.JAVA_BYTE, i) == 0) {
                return i;
            }
        }
        throw new IllegalArgumentException("string at " + offset + " has no NUL before " + limit);
    }

    // ---- replies ----

    static void putAttr(MemorySegment b, long o, Attributes a) {
        b.set(U64, o, a.ino());
        b.set(U64, o + 8, a.size());
        b.set(U64, o + 16, a.blocks());
        b.set(U64, o + 24, a.atimeSeconds());
        b.set(U64, o + 32, a.mtimeSeconds());
        b.set(U64, o + 40, a.ctimeSeconds());
        b.set(U32, o + 48, a.atimeNanos());
        b.set(U32, o + 52, a.mtimeNanos());
        b.set(U32, o + 56, a.ctimeNanos());
        b.set(U32, o + 60, a.mode());
        b.set(U32, o + 64, a.nlink());
        b.set(U32, o + 68, a.uid());
        b.set(U32, o + 72, a.gid());
        b.set(U32, o + 76, a.rdev());
        b.set(U32, o + 80, a.blockSizeBytes());
        b.set(U32, o + 84, 0); // flags: no submount, no DAX
    }

    static void putEntry(MemorySegment b, long o, Entry e) {
        b.set(U64, o, e.nodeId());
        b.set(U64, o + 8, e.generation());
        b.set(U64, o + 16, e.entryTimeoutNanos() / 1_000_000_000L);
        b.set(U64, o + 24, e.attrTimeoutNanos() / 1_000_000_000L);
        b.set(U32, o + 32, (int) (e.entryTimeoutNanos() % 1_000_000_000L));
        b.set(U32, o + 36, (int) (e.attrTimeoutNanos() % 1_000_000_000L));
        putAttr(b, o + 40, e.attributes());
    }

    static void putAttrOut(MemorySegment b, long o, Attributes a, long attrTimeoutNanos) {
        b.set(U64, o, attrTimeoutNanos / 1_000_000_000L);
        b.set(U32, o + 8, (int) (attrTimeoutNanos % 1_000_000_000L));
        b.set(U32, o + 12, 0);
        putAttr(b, o + 16, a);
    }

    static void putOpenOut(MemorySegment b, long o, long fileHandle, int openFlags) {
        b.set(U64, o, fileHandle);
        b.set(U32, o + 8, openFlags);
        b.set(U32, o + 12, 0); // backing_id: no passthrough
    }

    static void putStatfs(MemorySegment b, long o, FsStats s) {
        b.asSlice(o, STATFS_OUT_SIZE).fill((byte) 0);
        b.set(U64, o, s.blocks());
        b.set(U64, o + 8, s.freeBlocks());
        b.set(U64, o + 16, s.availableBlocks());
        b.set(U64, o + 24, s.files());
        b.set(U64, o + 32, s.freeFiles());
        b.set(U32, o + 40, s.blockSizeBytes());
        b.set(U32, o + 44, s.maxNameLength());
        b.set(U32, o + 48, s.fragmentSizeBytes());
    }

    static int direntSize(int nameLength) {
        return align8(DIRENT_HEADER_SIZE + nameLength);
    }

    static int direntPlusSize(int nameLength) {
        return align8(DIRENTPLUS_HEADER_SIZE + nameLength);
    }

    /** Writes one {@code struct fuse_dirent} with its padding; returns its size. */
    static int putDirent(MemorySegment b, long o, long ino, long nextOffset, int type, byte[] name) {
        int size = direntSize(name.length);
        b.set(U64, o, ino);
        b.set(U64, o + 8, nextOffset);
        b.set(U32, o + 16, name.length);
        b.set(U32, o + 20, type);
        MemorySegment.copy(name, 0, b, ValueLayout.JAVA_BYTE, o + DIRENT_HEADER_SIZE, name.length);
        b.asSlice(o + DIRENT_HEADER_SIZE + name.length, size - DIRENT_HEADER_SIZE - name.length).fill((byte) 0);
        return size;
    }

    static int putDirentPlus(MemorySegment b, long o, Entry entry, long nextOffset, byte[] name) {
        putEntry(b, o, entry);
        putDirent(b, o + ENTRY_OUT_SIZE, entry.attributes().ino(), nextOffset,
                FuseProtocol.directoryEntryType(entry.attributes().mode()), name);
        return direntPlusSize(name.length);
    }

    static int align8(int n) {
        return (n + 7) & ~7;
    }
}
