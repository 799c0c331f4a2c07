package io.strata.compute.bucket;

/**
 * What getattr answers for one inode. {@code mode} holds the 12 permission bits (suid, sgid and
 * sticky included); {@link #posixMode()} adds the file type bits. {@code parent} is set for
 * directories only (a root is its own parent). {@code symlinkTarget} is null except for symlinks.
 */
public record Attributes(
        long ino,
        int fsId,
        FileType type,
        int mode,
        int uid,
        int gid,
        long size,
        int nlink,
        long atimeNs,
        long mtimeNs,
        long ctimeNs,
        long rdev,
        long parent,
        long generation,
        String symlinkTarget) {

    public int posixMode() {
        return type.formatBits() | mode;
    }
}
