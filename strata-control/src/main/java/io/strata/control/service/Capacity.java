package io.strata.control.service;

import io.strata.config.cluster.ClusterConfig;
import io.strata.config.cluster.DriveEntry;
import io.strata.config.cluster.Protection;

/**
 * What the drives can hold for filesystems:
 * {@code usable = raw x (domains - hot spare) / domains x D / (D + P) x 0.9}, the last tenth kept
 * for metadata, chunk headers and headroom.
 */
public final class Capacity {
    private static final double HEADROOM = 0.9;

    private Capacity() {
    }

    public static long rawBytes(ClusterConfig config) {
        return config.dataPlane().drives().values().stream().filter(DriveEntry::active)
                .mapToLong(d -> d.regionBytes() * d.regionCount()).sum();
    }

    public static long usableBytes(ClusterConfig config) {
        Protection protection = config.protection();
        int domains = config.failureDomainCount();
        if (protection == null || domains == 0) {
            return 0;
        }
        double share = (double) (domains - protection.hotSpare()) / domains * protection.dataDrives() / protection.stripeWidth();
        return (long) (rawBytes(config) * share * HEADROOM);
    }

    public static String describe(long bytes) {
        String[] units = {"B", "KiB", "MiB", "GiB", "TiB", "PiB"};
        double value = bytes;
        int unit = 0;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return unit == 0 ? bytes + " B" : String.format("%.2f %s", value, units[unit]);
    }
}
