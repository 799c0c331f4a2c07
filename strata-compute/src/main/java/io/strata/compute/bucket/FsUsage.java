package io.strata.compute.bucket;

/** A filesystem's use of this bucket: file data stored, capacity the control plane granted, inodes. */
public record FsUsage(int fsId, long usedBytes, long reservedBytes, long inodes) {
}
