package io.strata.compute.bucket;

/**
 * The Linux error numbers a bucket answers with. {@link #EXDEV} has a bucket-internal meaning as
 * well: a local command refuses with it when a key it needs lives in another bucket, so the leader
 * runs the operation as a cross-bucket transaction instead ({@link TxPlanner}). {@link #EIO} marks
 * a command the leader should never have sent (space not free, an extent id used twice).
 */
public final class Errno {
    public static final int EPERM = 1;
    public static final int ENOENT = 2;
    public static final int EIO = 5;
    public static final int EBUSY = 16;
    public static final int EEXIST = 17;
    public static final int EXDEV = 18;
    public static final int ENOTDIR = 20;
    public static final int EISDIR = 21;
    public static final int EINVAL = 22;
    public static final int EFBIG = 27;
    public static final int ENOSPC = 28;
    public static final int EMLINK = 31;
    public static final int ENAMETOOLONG = 36;
    public static final int ENOTEMPTY = 39;
    public static final int ETIMEDOUT = 110;
    public static final int ESTALE = 116;

    private Errno() {
    }

    /** A short name for messages and test output. */
    public static String name(int errno) {
        return switch (errno) {
            case 0 -> "OK";
            case EPERM -> "EPERM";
            case ENOENT -> "ENOENT";
            case EIO -> "EIO";
            case EBUSY -> "EBUSY";
            case EEXIST -> "EEXIST";
            case EXDEV -> "EXDEV";
            case ENOTDIR -> "ENOTDIR";
            case EISDIR -> "EISDIR";
            case EINVAL -> "EINVAL";
            case EFBIG -> "EFBIG";
            case ENOSPC -> "ENOSPC";
            case EMLINK -> "EMLINK";
            case ENAMETOOLONG -> "ENAMETOOLONG";
            case ENOTEMPTY -> "ENOTEMPTY";
            case ETIMEDOUT -> "ETIMEDOUT";
            case ESTALE -> "ESTALE";
            default -> "errno " + errno;
        };
    }
}
