package io.strata.config.cluster;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

/** The data plane's part of the configuration: drives, filesystems, and the buckets' Raft groups. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record DataPlane(
        SortedMap<Integer, DriveEntry> drives,
        SortedMap<Integer, FilesystemEntry> filesystems,
        List<BucketEntry> buckets,
        int nextDriveId,
        int nextFilesystemId) {

    public DataPlane {
        drives = drives == null ? new TreeMap<>() : new TreeMap<>(drives);
        filesystems = filesystems == null ? new TreeMap<>() : new TreeMap<>(filesystems);
        buckets = buckets == null ? List.of() : List.copyOf(buckets);
    }

    public static DataPlane empty() {
        return new DataPlane(null, null, null, 0, 1);
    }

    public DataPlane withDrives(SortedMap<Integer, DriveEntry> newDrives, int newNextDriveId) {
        return new DataPlane(newDrives, filesystems, buckets, newNextDriveId, nextFilesystemId);
    }

    public DataPlane withFilesystems(SortedMap<Integer, FilesystemEntry> newFilesystems, int newNextFilesystemId) {
        return new DataPlane(drives, newFilesystems, buckets, nextDriveId, newNextFilesystemId);
    }

    public DataPlane withBuckets(List<BucketEntry> newBuckets) {
        return new DataPlane(drives, filesystems, newBuckets, nextDriveId, nextFilesystemId);
    }

    public java.util.Optional<FilesystemEntry> filesystem(String name) {
        return filesystems.values().stream().filter(f -> f.name().equals(name)).findFirst();
    }
}
