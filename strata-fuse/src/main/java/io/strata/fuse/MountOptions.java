package io.strata.fuse;

import io.strata.runtime.StrataException;

/**
 * How to mount and serve a FUSE file system.
 *
 * @param fsName the mount's source as shown by mount(8) and /proc/mounts
 * @param queues reader queues, each with its own /dev/fuse descriptor (FUSE_DEV_IOC_CLONE) and thread
 * @param requestBuffers request buffers of {@code maxWriteBytes + 4 KiB} allocated at start, shared
 *     by all queues: the bound on requests in flight
 * @param maxWriteBytes the largest READ or WRITE request (a multiple of 4 KiB, up to 1 MiB with the
 *     kernel's default page limit)
 * @param maxReadaheadBytes readahead the kernel may do through the page cache
 * @param maxBackground asynchronous requests (readahead, async direct IO) the kernel keeps in flight
 * @param congestionThreshold background requests at which the kernel reports congestion
 * @param allowOther let users other than the mounting one use the mount
 * @param defaultPermissions let the kernel check permissions from mode bits (the file system then
 *     checks none)
 * @param readdirPlus whether the kernel asks for readdirplus (entries with attributes)
 * @param initTimeoutMs how long mounting waits for the kernel's INIT
 * @param drainTimeoutMs how long stopping waits for in-flight requests to be replied
 */
public record MountOptions(
        String fsName,
        int queues,
        int requestBuffers,
        int maxWriteBytes,
        int maxReadaheadBytes,
        int maxBackground,
        int congestionThreshold,
        boolean allowOther,
        boolean defaultPermissions,
        ReaddirPlus readdirPlus,
        long initTimeoutMs,
        long drainTimeoutMs) {

    /** When the kernel uses READDIRPLUS instead of READDIR. */
    public enum ReaddirPlus {
        NEVER,
        /** The kernel decides per directory (FUSE_READDIRPLUS_AUTO): plus when the entries' attributes get used. */
        AUTO,
        ALWAYS
    }

    public static final int MAX_WRITE_LIMIT_BYTES = 1 << 20;

    public MountOptions {
        if (fsName == null || fsName.isBlank() || fsName.contains(",") || fsName.contains(" ")) {
            throw StrataException.invalid("fs name '%s' must be non-empty, without commas or spaces", fsName);
        }
        if (queues < 1 || queues > 256) {
            throw StrataException.invalid("queues %d is outside 1..256", queues);
        }
        if (requestBuffers < queues || requestBuffers > 4096) {
            throw StrataException.invalid("request buffers %d must be at least the %d queues and at most 4096",
                    requestBuffers, queues);
        }
        if (maxWriteBytes < 4096 || maxWriteBytes > MAX_WRITE_LIMIT_BYTES || maxWriteBytes % 4096 != 0) {
            throw StrataException.invalid("max write %d bytes must be a multiple of 4096 in 4096..%d",
                    maxWriteBytes, MAX_WRITE_LIMIT_BYTES);
        }
        if (maxReadaheadBytes < 0) {
            throw StrataException.invalid("max readahead %d bytes is negative", maxReadaheadBytes);
        }
        if (maxBackground < 1 || maxBackground > 65535 || congestionThreshold < 1 || congestionThreshold > maxBackground) {
            throw StrataException.invalid("max background %d and congestion threshold %d must satisfy "
                    + "1 <= threshold <= background <= 65535", maxBackground, congestionThreshold);
        }
        if (readdirPlus == null) {
            throw StrataException.invalid("readdirPlus must be NEVER, AUTO or ALWAYS");
        }
        if (initTimeoutMs < 1 || drainTimeoutMs < 1) {
            throw StrataException.invalid("timeouts init %d ms and drain %d ms must be positive",
                    initTimeoutMs, drainTimeoutMs);
        }
    }

    public static MountOptions defaults() {
        return new MountOptions("strata", 1, 32, MAX_WRITE_LIMIT_BYTES, MAX_WRITE_LIMIT_BYTES, 32, 24, true, true,
                ReaddirPlus.AUTO, 10_000, 10_000);
    }

    public MountOptions withFsName(String name) {
        return new MountOptions(name, queues, requestBuffers, maxWriteBytes, maxReadaheadBytes, maxBackground,
                congestionThreshold, allowOther, defaultPermissions, readdirPlus, initTimeoutMs, drainTimeoutMs);
    }

    public MountOptions withQueues(int count) {
        return new MountOptions(fsName, count, Math.max(requestBuffers, count), maxWriteBytes, maxReadaheadBytes,
                maxBackground, congestionThreshold, allowOther, defaultPermissions, readdirPlus, initTimeoutMs,
                drainTimeoutMs);
    }

    public MountOptions withRequestBuffers(int count) {
        return new MountOptions(fsName, queues, count, maxWriteBytes, maxReadaheadBytes, maxBackground,
                congestionThreshold, allowOther, defaultPermissions, readdirPlus, initTimeoutMs, drainTimeoutMs);
    }

    public MountOptions withMaxWriteBytes(int bytes) {
        return new MountOptions(fsName, queues, requestBuffers, bytes, maxReadaheadBytes, maxBackground,
                congestionThreshold, allowOther, defaultPermissions, readdirPlus, initTimeoutMs, drainTimeoutMs);
    }

    public MountOptions withReaddirPlus(ReaddirPlus mode) {
        return new MountOptions(fsName, queues, requestBuffers, maxWriteBytes, maxReadaheadBytes, maxBackground,
                congestionThreshold, allowOther, defaultPermissions, mode, initTimeoutMs, drainTimeoutMs);
    }

    public MountOptions withDefaultPermissions(boolean enabled) {
        return new MountOptions(fsName, queues, requestBuffers, maxWriteBytes, maxReadaheadBytes, maxBackground,
                congestionThreshold, allowOther, enabled, readdirPlus, initTimeoutMs, drainTimeoutMs);
    }

    public MountOptions withDrainTimeoutMs(long timeoutMs) {
        return new MountOptions(fsName, queues, requestBuffers, maxWriteBytes, maxReadaheadBytes, maxBackground,
                congestionThreshold, allowOther, defaultPermissions, readdirPlus, initTimeoutMs, timeoutMs);
    }

    /** The request buffer size: the largest WRITE (header, fuse_write_in, data) with room to spare. */
    int requestBufferBytes() {
        return maxWriteBytes + 4096;
    }

    /** The data argument of mount(2) for a /dev/fuse descriptor. */
    String mountData(int deviceFd, int uid, int gid) {
        StringBuilder data = new StringBuilder()
                .append("fd=").append(deviceFd)
                .append(",rootmode=40000,user_id=").append(uid).append(",group_id=").append(gid);
        if (defaultPermissions) {
            data.append(",default_permissions");
        }
        if (allowOther) {
            data.append(",allow_other");
        }
        return data.toString();
    }
}
