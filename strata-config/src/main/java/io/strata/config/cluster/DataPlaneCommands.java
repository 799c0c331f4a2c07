package io.strata.config.cluster;

import io.strata.runtime.StrataException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/** The pure transitions of the data plane's configuration, used by the data-plane commands. */
final class DataPlaneCommands {
    private DataPlaneCommands() {
    }

    static Applied addDrives(ControlState state, List<DriveEntry> drives) {
        ClusterConfig config = state.config();
        DataPlane plane = config.dataPlane();
        SortedMap<Integer, DriveEntry> all = new TreeMap<>(plane.drives());
        int next = plane.nextDriveId();
        List<Integer> ids = new ArrayList<>();
        for (DriveEntry drive : drives) {
            ContainerEntry container = config.container(drive.containerId());
            for (DriveEntry existing : all.values()) {
                if (existing.uuid().equals(drive.uuid())) {
                    throw StrataException.conflict("drive %s is already drive %d of the cluster", drive.uuid(), existing.id());
                }
                ContainerEntry holder = config.containers().get(existing.containerId());
                if (holder != null && holder.hostname().equals(container.hostname()) && existing.path().equals(drive.path())) {
                    throw StrataException.conflict("%s on %s is already drive %d", drive.path(), container.hostname(), existing.id());
                }
            }
            int id = next++;
            all.put(id, new DriveEntry(id, drive.uuid(), drive.containerId(), drive.slot(), drive.path(), drive.sizeBytes(),
                    drive.regionBytes(), drive.firstRegionAddress(), drive.regionOwners(), true, drive.addedAtMillis()));
            ids.add(id);
        }
        return new Applied(state.with(config.withDataPlane(plane.withDrives(all, next))), ids);
    }

    static Applied leaseRegions(ControlState state, int bucket, int driveId, int count) {
        ClusterConfig config = state.config();
        DataPlane plane = config.dataPlane();
        DriveEntry drive = plane.drives().get(driveId);
        if (drive == null) {
            throw StrataException.notFound("no drive %d", driveId);
        }
        if (!drive.active()) {
            throw StrataException.conflict("drive %d is not active", driveId);
        }
        List<Integer> granted = drive.freeRegions(count);
        if (granted.isEmpty()) {
            return new Applied(state, List.of());
        }
        List<Integer> owners = new ArrayList<>(drive.regionOwners());
        granted.forEach(region -> owners.set(region, bucket));
        SortedMap<Integer, DriveEntry> all = new TreeMap<>(plane.drives());
        all.put(driveId, drive.withOwners(owners));
        return new Applied(state.with(config.withDataPlane(plane.withDrives(all, plane.nextDriveId()))), granted);
    }

    static Applied createFilesystem(ControlState state, String name, long capacityBytes, long atMillis) {
        ClusterConfig config = state.config();
        DataPlane plane = config.dataPlane();
        if (plane.filesystem(name).isPresent()) {
            throw StrataException.conflict("filesystem %s exists already", name);
        }
        int id = plane.nextFilesystemId();
        SortedMap<Integer, FilesystemEntry> all = new TreeMap<>(plane.filesystems());
        all.put(id, new FilesystemEntry(id, name, capacityBytes, atMillis, null, null));
        return new Applied(state.with(config.withDataPlane(plane.withFilesystems(all, id + 1))), id);
    }

    /** A new capacity, never below what the filesystem's buckets already reserved of it. */
    static Applied resizeFilesystem(ControlState state, String name, long capacityBytes) {
        ClusterConfig config = state.config();
        DataPlane plane = config.dataPlane();
        FilesystemEntry fs = plane.filesystem(name).orElseThrow(() -> StrataException.notFound("no filesystem %s", name));
        if (capacityBytes < fs.reservedBytes()) {
            throw new StrataException(io.strata.runtime.ErrorCode.NO_SPACE, String.format(
                    "cannot shrink %s to %d bytes: its buckets hold %d bytes of it (%d bytes in use)", name, capacityBytes,
                    fs.reservedBytes(), fs.usedBytes()));
        }
        SortedMap<Integer, FilesystemEntry> all = new TreeMap<>(plane.filesystems());
        all.put(fs.id(), new FilesystemEntry(fs.id(), fs.name(), capacityBytes, fs.createdAtMillis(), fs.reserved(), fs.used()));
        return new Applied(state.with(config.withDataPlane(plane.withFilesystems(all, plane.nextFilesystemId()))), fs.id());
    }

    static Applied deleteFilesystem(ControlState state, String name) {
        ClusterConfig config = state.config();
        DataPlane plane = config.dataPlane();
        FilesystemEntry fs = plane.filesystem(name).orElseThrow(() -> StrataException.notFound("no filesystem %s", name));
        SortedMap<Integer, FilesystemEntry> all = new TreeMap<>(plane.filesystems());
        all.remove(fs.id());
        return new Applied(state.with(config.withDataPlane(plane.withFilesystems(all, plane.nextFilesystemId()))), fs.id());
    }

    /** Grants a bucket up to {@code bytes} more of a filesystem's capacity; the reply is what was granted. */
    static Applied reserveCapacity(ControlState state, int fsId, int bucket, long bytes) {
        ClusterConfig config = state.config();
        DataPlane plane = config.dataPlane();
        FilesystemEntry fs = plane.filesystems().get(fsId);
        if (fs == null) {
            throw StrataException.notFound("no filesystem with id %d", fsId);
        }
        long grant = Math.max(0, Math.min(bytes, fs.capacityBytes() - fs.reservedBytes()));
        if (grant == 0) {
            return new Applied(state, 0L);
        }
        SortedMap<Integer, FilesystemEntry> all = new TreeMap<>(plane.filesystems());
        all.put(fsId, fs.withReserved(bucket, fs.reserved().getOrDefault(bucket, 0L) + grant));
        return new Applied(state.with(config.withDataPlane(plane.withFilesystems(all, plane.nextFilesystemId()))), grant);
    }

    static Applied releaseCapacity(ControlState state, int fsId, int bucket, long bytes) {
        ClusterConfig config = state.config();
        DataPlane plane = config.dataPlane();
        FilesystemEntry fs = plane.filesystems().get(fsId);
        if (fs == null) {
            return new Applied(state, 0L);
        }
        long held = fs.reserved().getOrDefault(bucket, 0L);
        long released = Math.min(held, Math.max(0, bytes));
        SortedMap<Integer, FilesystemEntry> all = new TreeMap<>(plane.filesystems());
        all.put(fsId, fs.withReserved(bucket, held - released));
        return new Applied(state.with(config.withDataPlane(plane.withFilesystems(all, plane.nextFilesystemId()))), released);
    }

    static Applied reportBucketUsage(ControlState state, int bucket, Map<Integer, Long> usedByFs, long degradedStripes, int leader) {
        ClusterConfig config = state.config();
        DataPlane plane = config.dataPlane();
        SortedMap<Integer, FilesystemEntry> all = new TreeMap<>(plane.filesystems());
        usedByFs.forEach((fsId, used) -> {
            FilesystemEntry fs = all.get(fsId);
            if (fs != null) {
                all.put(fsId, fs.withUsed(Map.of(bucket, used)));
            }
        });
        List<BucketEntry> buckets = new ArrayList<>(plane.buckets());
        if (bucket >= 0 && bucket < buckets.size()) {
            BucketEntry entry = buckets.get(bucket);
            buckets.set(bucket, new BucketEntry(entry.id(), entry.members(), degradedStripes, leader >= 0 ? leader : entry.leader()));
        }
        return new Applied(state.with(config.withDataPlane(plane.withFilesystems(all, plane.nextFilesystemId())
                .withBuckets(buckets))), true);
    }
}
