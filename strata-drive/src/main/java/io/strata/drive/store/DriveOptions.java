package io.strata.drive.store;

import io.strata.runtime.Clock;
import java.util.UUID;

/**
 * How a drive is opened.
 *
 * @param expectedClusterId refuse a drive of any other cluster; null accepts any (tools only)
 * @param directIo O_DIRECT or not
 * @param durability how writes are made durable
 * @param headerCacheEntries chunk headers kept in memory (about 4 KiB each); 0 disables the cache
 * @param maxReadGapBytes a read fetches header and blocks in one IO when the blocks start at most this far into the payload
 * @param repairSuperblock rewrite a damaged superblock copy from the good one when opening
 * @param clock time for chunk headers
 */
public record DriveOptions(
        UUID expectedClusterId,
        DirectIoMode directIo,
        DurabilityMode durability,
        int headerCacheEntries,
        int maxReadGapBytes,
        boolean repairSuperblock,
        Clock clock) {

    public static final int DEFAULT_HEADER_CACHE_ENTRIES = 1024;
    public static final int DEFAULT_MAX_READ_GAP_BYTES = 32 * 1024;

    public DriveOptions {
        if (directIo == null || durability == null || clock == null) {
            throw new IllegalArgumentException("directIo, durability and clock are required");
        }
        if (headerCacheEntries < 0 || headerCacheEntries > 1 << 20 || maxReadGapBytes < 0) {
            throw new IllegalArgumentException("header cache entries " + headerCacheEntries
                    + " outside 0..1048576 or negative read gap " + maxReadGapBytes);
        }
    }

    public static DriveOptions defaults() {
        return new DriveOptions(null, DirectIoMode.AUTO, DurabilityMode.FDATASYNC, DEFAULT_HEADER_CACHE_ENTRIES,
                DEFAULT_MAX_READ_GAP_BYTES, true, Clock.SYSTEM);
    }

    public static DriveOptions forCluster(UUID clusterId) {
        return defaults().withExpectedClusterId(clusterId);
    }

    public DriveOptions withExpectedClusterId(UUID clusterId) {
        return new DriveOptions(clusterId, directIo, durability, headerCacheEntries, maxReadGapBytes, repairSuperblock, clock);
    }

    public DriveOptions withDirectIo(DirectIoMode mode) {
        return new DriveOptions(expectedClusterId, mode, durability, headerCacheEntries, maxReadGapBytes, repairSuperblock, clock);
    }

    public DriveOptions withDurability(DurabilityMode mode) {
        return new DriveOptions(expectedClusterId, directIo, mode, headerCacheEntries, maxReadGapBytes, repairSuperblock, clock);
    }

    public DriveOptions withHeaderCacheEntries(int entries) {
        return new DriveOptions(expectedClusterId, directIo, durability, entries, maxReadGapBytes, repairSuperblock, clock);
    }

    public DriveOptions withMaxReadGapBytes(int bytes) {
        return new DriveOptions(expectedClusterId, directIo, durability, headerCacheEntries, bytes, repairSuperblock, clock);
    }

    public DriveOptions withRepairSuperblock(boolean repair) {
        return new DriveOptions(expectedClusterId, directIo, durability, headerCacheEntries, maxReadGapBytes, repair, clock);
    }

    public DriveOptions withClock(Clock newClock) {
        return new DriveOptions(expectedClusterId, directIo, durability, headerCacheEntries, maxReadGapBytes, repairSuperblock, newClock);
    }
}
