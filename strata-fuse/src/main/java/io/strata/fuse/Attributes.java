package io.strata.fuse;

/**
 * The attributes of an inode as the kernel caches them ({@code struct fuse_attr}). Times are
 * seconds and nanoseconds since the epoch; {@code blocks} counts 512-byte units.
 */
public record Attributes(
        long ino,
        long size,
        long blocks,
        long atimeSeconds,
        int atimeNanos,
        long mtimeSeconds,
        int mtimeNanos,
        long ctimeSeconds,
        int ctimeNanos,
        int mode,
        int nlink,
        int uid,
        int gid,
        int rdev,
        int blockSizeBytes) {

    public boolean isDirectory() {
        return FuseProtocol.isDirectory(mode);
    }

    public boolean isRegular() {
        return FuseProtocol.isRegular(mode);
    }
}
