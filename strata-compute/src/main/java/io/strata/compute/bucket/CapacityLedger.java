package io.strata.compute.bucket;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * Per filesystem: the bytes of file data this bucket stores (the sum of its files' piece lengths)
 * against the capacity the control plane reserved for this bucket. A write that would go above
 * the reservation is refused with ENOSPC; the leader asks for more first ({@link #needed}).
 * Only the reservation is written into snapshots; use and inode counts are recomputed.
 */
final class CapacityLedger {
    private static final class Usage {
        long usedBytes;
        long reservedBytes;
        long inodes;
    }

    private final TreeMap<Integer, Usage> byFs = new TreeMap<>();

    private Usage usage(int fsId) {
        return byFs.computeIfAbsent(fsId, id -> new Usage());
    }

    long needed(int fsId, long extraBytes) {
        Usage usage = byFs.get(fsId);
        long used = usage == null ? 0 : usage.usedBytes;
        long reserved = usage == null ? 0 : usage.reservedBytes;
        return Math.max(0, used + extraBytes - reserved);
    }

    void checkRoom(int fsId, long extraBytes) {
        if (extraBytes > 0 && needed(fsId, extraBytes) > 0) {
            Usage usage = usage(fsId);
            throw FsException.of(Errno.ENOSPC, "fs %d would use %d bytes of the %d reserved in this bucket", fsId,
                    usage.usedBytes + extraBytes, usage.reservedBytes);
        }
    }

    void addUsed(int fsId, long deltaBytes) {
        usage(fsId).usedBytes += deltaBytes;
    }

    void addInodes(int fsId, long delta) {
        usage(fsId).inodes += delta;
    }

    void grant(int fsId, long bytes) {
        if (bytes <= 0) {
            throw FsException.of(Errno.EINVAL, "capacity grant of %d bytes to fs %d is not positive", bytes, fsId);
        }
        usage(fsId).reservedBytes += bytes;
    }

    void giveBack(int fsId, long bytes) {
        Usage usage = byFs.get(fsId);
        long reserved = usage == null ? 0 : usage.reservedBytes;
        long used = usage == null ? 0 : usage.usedBytes;
        if (bytes <= 0 || reserved - bytes < used) {
            throw FsException.of(Errno.EINVAL, "fs %d cannot return %d bytes: %d reserved, %d used", fsId, bytes,
                    reserved, used);
        }
        usage.reservedBytes -= bytes;
    }

    void setReserved(int fsId, long bytes) {
        usage(fsId).reservedBytes = bytes;
    }

    void forget(int fsId) {
        byFs.remove(fsId);
    }

    FsUsage of(int fsId) {
        Usage usage = byFs.get(fsId);
        return usage == null ? new FsUsage(fsId, 0, 0, 0)
                : new FsUsage(fsId, usage.usedBytes, usage.reservedBytes, usage.inodes);
    }

    List<FsUsage> all() {
        List<FsUsage> all = new ArrayList<>();
        for (int fsId : byFs.keySet()) {
            all.add(of(fsId));
        }
        return all;
    }
}
