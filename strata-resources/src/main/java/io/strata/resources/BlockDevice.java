package io.strata.resources;

import java.util.ArrayList;
import java.util.List;

/**
 * A block device of {@code /sys/block}: an NVMe namespace, a disk, a loop device... {@code path} is
 * what a resource file names it by ({@code /dev/nvme0n1}). {@code mountPoints} and {@code holders}
 * are the device's own; its partitions carry theirs.
 */
public record BlockDevice(
        String name,
        String path,
        long sizeBytes,
        boolean nvme,
        List<String> mountPoints,
        boolean swap,
        List<String> holders,
        List<Partition> partitions) {

    /** A partition of a block device, with what uses it. */
    public record Partition(String name, long sizeBytes, List<String> mountPoints, boolean swap, List<String> holders) {
        public Partition {
            mountPoints = mountPoints == null ? List.of() : List.copyOf(mountPoints);
            holders = holders == null ? List.of() : List.copyOf(holders);
        }
    }

    public BlockDevice {
        mountPoints = mountPoints == null ? List.of() : List.copyOf(mountPoints);
        holders = holders == null ? List.of() : List.copyOf(holders);
        partitions = partitions == null ? List.of() : List.copyOf(partitions);
    }

    /** A drive as a simulated server offers it: any path, free, of unknown size. */
    public static BlockDevice simulated(String path) {
        String name = path.substring(path.lastIndexOf('/') + 1);
        return new BlockDevice(name, path, 0, true, List.of(), false, List.of(), List.of());
    }

    /**
     * Why the device is in use (mounted, swap, held by device-mapper or md, also through a
     * partition), or null when nothing uses it. A partition table alone does not count here.
     */
    public String inUseReason() {
        List<String> reasons = new ArrayList<>();
        mountPoints.forEach(m -> reasons.add("mounted at " + m));
        if (swap) {
            reasons.add("used as swap");
        }
        holders.forEach(h -> reasons.add("held by " + h));
        for (Partition partition : partitions) {
            partition.mountPoints().forEach(m -> reasons.add("partition " + partition.name() + " is mounted at " + m));
            if (partition.swap()) {
                reasons.add("partition " + partition.name() + " is used as swap");
            }
            partition.holders().forEach(h -> reasons.add("partition " + partition.name() + " is held by " + h));
        }
        return reasons.isEmpty() ? null : String.join(", ", reasons);
    }

    /** What the generator takes by default: an NVMe namespace without partitions that nothing uses. */
    public boolean isFreeNvme() {
        return nvme && partitions.isEmpty() && inUseReason() == null;
    }
}
