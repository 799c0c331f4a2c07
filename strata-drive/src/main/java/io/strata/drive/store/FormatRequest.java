package io.strata.drive.store;

import java.util.UUID;

/**
 * What to format a drive as.
 *
 * @param clusterId the cluster the drive will belong to
 * @param driveId the drive's identity in that cluster
 * @param regionSizeBytes size of the regions buckets lease (a whole number of MiB, default 64 MiB)
 * @param force overwrite a drive that already holds a Strata superblock (of this cluster or another);
 *     never overrides the refusal to format a device in use (mounted, held, swap, loop backing file)
 */
public record FormatRequest(UUID clusterId, UUID driveId, long regionSizeBytes, boolean force) {
    public static FormatRequest of(UUID clusterId, UUID driveId) {
        return new FormatRequest(clusterId, driveId, DriveLayout.DEFAULT_REGION_BYTES, false);
    }

    public FormatRequest withRegionSizeBytes(long bytes) {
        return new FormatRequest(clusterId, driveId, bytes, force);
    }

    public FormatRequest withForce(boolean overwrite) {
        return new FormatRequest(clusterId, driveId, regionSizeBytes, overwrite);
    }
}
