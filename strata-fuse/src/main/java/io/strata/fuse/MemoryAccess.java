package io.strata.fuse;

/** The smaller rules of {@link MemoryFilesystem}: access(2), fallocate(2), SEEK_DATA/SEEK_HOLE. Run under its lock. */
final class MemoryAccess {
    private static final int R_OK = 4;
    private static final int W_OK = 2;
    private static final int X_OK = 1;

    private MemoryAccess() {
    }

    /**
     * access(2) from mode bits, for mounts without default_permissions (supplementary groups are
     * not known here, so only the caller's primary group counts).
     */
    static int check(MemoryNode node, Request request, int mask) {
        if (request.uid() == 0) {
            boolean anyExecute = (node.mode & 0111) != 0 || node.isDirectory();
            return (mask & X_OK) != 0 && !anyExecute ? Errno.EACCES : 0;
        }
        int bits;
        if (request.uid() == node.uid) {
            bits = (node.mode >> 6) & 7;
        } else if (request.gid() == node.gid) {
            bits = (node.mode >> 3) & 7;
        } else {
            bits = node.mode & 7;
        }
        return (mask & (R_OK | W_OK | X_OK) & ~bits) == 0 ? 0 : Errno.EACCES;
    }

    static int fallocate(MemoryNode.File file, long offset, long length, int mode, long nowNanos) {
        if (offset < 0 || length <= 0 || offset + length < 0 || offset + length > MemoryFilesystem.MAX_FILE_BYTES) {
            return Errno.EINVAL;
        }
        if (mode == 0) {
            if (offset + length > file.size) {
                file.size = offset + length;
                file.mtimeNanos = nowNanos;
                file.ctimeNanos = nowNanos;
            }
            return 0;
        }
        if (mode == FuseProtocol.FALLOC_FL_KEEP_SIZE) {
            return 0;
        }
        if (mode == (FuseProtocol.FALLOC_FL_PUNCH_HOLE | FuseProtocol.FALLOC_FL_KEEP_SIZE)) {
            if (file.data != null && offset < file.size) {
                file.data.punch(offset, Math.min(length, file.size - offset));
            }
            file.mtimeNanos = nowNanos;
            file.ctimeNanos = nowNanos;
            return 0;
        }
        return Errno.EOPNOTSUPP;
    }

    /** The offset SEEK_DATA/SEEK_HOLE finds, or minus an errno. */
    static long seek(MemoryNode.File file, long offset, int whence) {
        if (whence != FuseProtocol.SEEK_DATA && whence != FuseProtocol.SEEK_HOLE) {
            return -Errno.EINVAL;
        }
        if (offset < 0 || offset >= file.size) {
            return -Errno.ENXIO;
        }
        if (whence == FuseProtocol.SEEK_HOLE) {
            return file.data == null ? file.size : file.data.nextHole(offset, file.size);
        }
        if (file.data == null) {
            return offset;
        }
        long data = file.data.nextData(offset);
        return data < 0 || data >= file.size ? -Errno.ENXIO : data;
    }
}
