package io.strata.config.cluster;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.ArrayList;
import java.util.List;

/**
 * A formatted drive of the cluster: which container (and which of its drive processes) serves
 * it, its geometry, and which bucket leases each of its regions ({@code -1}: free). Buckets
 * allocate chunk space only inside regions they lease, so no two buckets ever hand out the same
 * bytes.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record DriveEntry(
        int id,
        String uuid,
        int containerId,
        int slot,
        String path,
        long sizeBytes,
        long regionBytes,
        long firstRegionAddress,
        List<Integer> regionOwners,
        boolean active,
        long addedAtMillis) {

    public static final int FREE = -1;

    public DriveEntry {
        regionOwners = regionOwners == null ? List.of() : List.copyOf(regionOwners);
    }

    public int regionCount() {
        return regionOwners.size();
    }

    public long leasedRegions() {
        return regionOwners.stream().filter(o -> o != FREE).count();
    }

    public long usedBytes() {
        return leasedRegions() * regionBytes;
    }

    public DriveEntry withOwners(List<Integer> owners) {
        return new DriveEntry(id, uuid, containerId, slot, path, sizeBytes, regionBytes, firstRegionAddress, owners, active,
                addedAtMillis);
    }

    public DriveEntry withActive(boolean newActive) {
        return new DriveEntry(id, uuid, containerId, slot, path, sizeBytes, regionBytes, firstRegionAddress, regionOwners,
                newActive, addedAtMillis);
    }

    /** Leases up to {@code count} free regions to {@code bucket}; returns the owners after and the regions granted. */
    public List<Integer> freeRegions(int count) {
        List<Integer> granted = new ArrayList<>();
        for (int i = 0; i < regionOwners.size() && granted.size() < count; i++) {
            if (regionOwners.get(i) == FREE) {
                granted.add(i);
            }
        }
        return granted;
    }
}
