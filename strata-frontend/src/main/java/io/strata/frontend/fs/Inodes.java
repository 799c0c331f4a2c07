package io.strata.frontend.fs;

import io.strata.compute.wire.BucketResults.Attrs;
import io.strata.fuse.Attributes;
import io.strata.fuse.Entry;
import io.strata.runtime.StrataException;

/**
 * Between the kernel's node ids and Strata's inode numbers: the same number, except that the
 * filesystem's root is node 1 (FUSE_ROOT_ID), and whatever inode is numbered 1 takes the root's
 * number in exchange. And between bucket attributes and the kernel's.
 */
public final class Inodes {
    public static final long FUSE_ROOT_ID = 1;
    static final int S_IFMT = 0170000;

    private final long rootIno;

    public Inodes(long rootIno) {
        this.rootIno = rootIno;
    }

    public long rootIno() {
        return rootIno;
    }

    public long ino(long nodeId) {
        if (nodeId == FUSE_ROOT_ID) {
            return rootIno;
        }
        return nodeId == rootIno ? FUSE_ROOT_ID : nodeId;
    }

    public long nodeId(long ino) {
        if (ino == rootIno) {
            return FUSE_ROOT_ID;
        }
        return ino == FUSE_ROOT_ID ? rootIno : ino;
    }

    public static int typeBits(String type) {
        return switch (type) {
            case "FILE" -> 0100000;
            case "DIR" -> 0040000;
            case "SYMLINK" -> 0120000;
            case "FIFO" -> 0010000;
            case "CHAR" -> 0020000;
            case "BLOCK" -> 0060000;
            case "SOCKET" -> 0140000;
            default -> throw new IllegalArgumentException("unknown inode type " + type);
        };
    }

    public static String typeOf(int mode) {
        return switch (mode & S_IFMT) {
            case 0100000, 0 -> "FILE";
            case 0040000 -> "DIR";
            case 0120000 -> "SYMLINK";
            case 0010000 -> "FIFO";
            case 0020000 -> "CHAR";
            case 0060000 -> "BLOCK";
            case 0140000 -> "SOCKET";
            default -> throw StrataException.invalid("mode %o names no file type", mode);
        };
    }

    public Attributes attributes(Attrs attrs) {
        long blocks = (attrs.size() + 511) / 512;
        return new Attributes(nodeId(attrs.ino()), attrs.size(), blocks, attrs.atimeNs() / 1_000_000_000L,
                (int) (attrs.atimeNs() % 1_000_000_000L), attrs.mtimeNs() / 1_000_000_000L, (int) (attrs.mtimeNs() % 1_000_000_000L),
                attrs.ctimeNs() / 1_000_000_000L, (int) (attrs.ctimeNs() % 1_000_000_000L), typeBits(attrs.type()) | (attrs.mode() & 07777),
                attrs.nlink(), attrs.uid(), attrs.gid(), attrs.rdev(), 4096);
    }

    public Entry entry(Attrs attrs, long entryTimeoutNanos, long attrTimeoutNanos) {
        return new Entry(nodeId(attrs.ino()), attrs.generation(), attributes(attrs), entryTimeoutNanos, attrTimeoutNanos);
    }
}
