package io.strata.fuse;

/**
 * A name resolved to an inode ({@code struct fuse_entry_out}). Each entry a file system returns
 * from lookup, create, mknod, mkdir, symlink, link or readdirplus adds one to the kernel's lookup
 * count of {@code nodeId}, which the kernel gives back with FORGET. Timeouts say how long the
 * kernel may trust the name and the attributes without asking again; zero means always ask.
 */
public record Entry(long nodeId, long generation, Attributes attributes, long entryTimeoutNanos, long attrTimeoutNanos) {

    public Entry {
        if (entryTimeoutNanos < 0 || attrTimeoutNanos < 0) {
            throw new IllegalArgumentException("negative timeout " + entryTimeoutNanos + "/" + attrTimeoutNanos);
        }
    }

    /**
     * A negative entry: the kernel remembers for {@code entryTimeoutNanos} that the name does not
     * exist, without any lookup count.
     */
    public static Entry negative(long entryTimeoutNanos) {
        return new Entry(0, 0, new Attributes(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0), entryTimeoutNanos, 0);
    }
}
