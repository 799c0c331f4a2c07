package io.strata.drive.store;

/** Counters of a {@link DriveIo} since it started (a snapshot; each counter is exact, the set is not atomic). */
public record DriveIoStats(
        long writes,
        long reads,
        long verifies,
        long fences,
        long bytesWritten,
        long bytesRead,
        /** Group commits the IO threads asked for (each one fdatasync, or none if another covered it). */
        long commits,
        long syncs,
        long syncNanos,
        long headerCacheHits,
        long headerCacheMisses) {

    /** Mean cost of one fdatasync, in microseconds (0 before the first). */
    public double meanSyncMicros() {
        return syncs == 0 ? 0 : syncNanos / 1e3 / syncs;
    }

    /** Writes made durable per fdatasync (how well group commit groups). */
    public double writesPerSync() {
        return syncs == 0 ? 0 : (double) writes / syncs;
    }
}
