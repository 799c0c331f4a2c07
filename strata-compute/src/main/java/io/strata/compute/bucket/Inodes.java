package io.strata.compute.bucket;

/**
 * Identifiers and the placement functions every participant must agree on.
 *
 * <p>An inode number, an extent id and a transaction id all carry their owning bucket in the top
 * 16 bits and a per-bucket counter (from 1 upward) below. Root directories are the exception: a
 * filesystem's root is {@code rootIno(fsId, bucketCount)}, its counter part being
 * {@link #ROOT_FLAG} | fsId. Ordinary counters stay below {@link #ROOT_FLAG}, so two filesystems
 * whose roots hash to the same bucket never collide, and anyone can compute a root without asking.
 */
public final class Inodes {
    /** Bit 47 of the counter part marks a root directory; the fs id is below it. */
    public static final long ROOT_FLAG = 1L << 47;
    public static final int BUCKET_SHIFT = 48;
    public static final long COUNTER_MASK = (1L << BUCKET_SHIFT) - 1;
    public static final int MAX_BUCKETS = 1 << 16;

    private Inodes() {
    }

    public static int bucketOf(long id) {
        return (int) (id >>> BUCKET_SHIFT);
    }

    public static long counterOf(long id) {
        return id & COUNTER_MASK;
    }

    /** An id owned by {@code bucket} with the given counter (inode, extent or transaction). */
    public static long id(int bucket, long counter) {
        if (bucket < 0 || bucket >= MAX_BUCKETS || counter <= 0 || counter > COUNTER_MASK) {
            throw new IllegalArgumentException("bucket " + bucket + " counter " + counter + " do not form an id");
        }
        return ((long) bucket << BUCKET_SHIFT) | counter;
    }

    /** The bucket holding the root directory of {@code fsId}. */
    public static int rootBucket(int fsId, int bucketCount) {
        return Math.floorMod(fsId * 0x9E3779B9, bucketCount);
    }

    /** The root directory's inode number of {@code fsId}. */
    public static long rootIno(int fsId, int bucketCount) {
        if (fsId < 0) {
            throw new IllegalArgumentException("fs id " + fsId + " is negative");
        }
        return id(rootBucket(fsId, bucketCount), ROOT_FLAG | fsId);
    }

    /** An id for messages: its bucket and counter, e.g. {@code 3:17}. */
    public static String format(long id) {
        return bucketOf(id) + ":" + (isRoot(id) ? "root" + (counterOf(id) & ~ROOT_FLAG) : String.valueOf(counterOf(id)));
    }

    public static boolean isRoot(long ino) {
        return (ino & ROOT_FLAG) != 0;
    }

    /**
     * The bucket a new directory named {@code name} under {@code parent} lives in. Files, symlinks
     * and special files always live in their parent's bucket; directories spread over buckets by
     * this hash so that a large tree's metadata is shared by every bucket.
     */
    public static int directoryBucket(long parent, String name, int bucketCount) {
        return Math.floorMod(Long.hashCode(parent) * 31 + name.hashCode(), bucketCount);
    }
}
