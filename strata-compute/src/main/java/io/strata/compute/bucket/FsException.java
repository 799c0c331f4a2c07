package io.strata.compute.bucket;

import io.strata.runtime.ErrorCode;
import io.strata.runtime.StrataException;

/**
 * A file system refusal carrying a Linux errno for the frontend to answer the kernel with. A
 * command that throws it has left the bucket's state untouched.
 */
public final class FsException extends StrataException {
    private final int errno;

    public FsException(int errno, String message) {
        super(codeOf(errno), Errno.name(errno) + ": " + message);
        this.errno = errno;
    }

    public static FsException of(int errno, String format, Object... args) {
        return new FsException(errno, String.format(format, args));
    }

    public int errno() {
        return errno;
    }

    private static ErrorCode codeOf(int errno) {
        return switch (errno) {
            case Errno.ENOENT, Errno.ESTALE -> ErrorCode.NOT_FOUND;
            case Errno.EEXIST, Errno.EBUSY, Errno.ENOTEMPTY -> ErrorCode.CONFLICT;
            case Errno.ENOSPC -> ErrorCode.NO_SPACE;
            case Errno.EPERM -> ErrorCode.PERMISSION_DENIED;
            case Errno.EIO -> ErrorCode.INTERNAL;
            case Errno.ETIMEDOUT -> ErrorCode.TIMEOUT;
            default -> ErrorCode.INVALID_ARGUMENT;
        };
    }
}
