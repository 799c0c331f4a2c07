package io.strata.compute.process;

import io.strata.config.cluster.ClusterConfig;
import io.strata.config.cluster.ContainerEntry;
import io.strata.config.cluster.DriveEntry;
import io.strata.config.cluster.Health;
import io.strata.config.cluster.Protection;
import io.strata.runtime.StrataException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Where the chunks of a new stripe go: D+P drives in D+P distinct failure domains, the domains
 * taken in a rotation that starts at a place given by the extent id (so stripes spread evenly),
 * a drive of each domain likewise. Domains whose drives are all unavailable are used only when
 * fewer than D+P are available: their shards are then marked missing and not written (a degraded
 * stripe, repaired when they return). Fewer than D available domains refuse the write.
 */
public final class StripePlacement {
    public static final int BLOCK = 4096;

    private StripePlacement() {
    }

    /** The plan of one stripe: one drive per shard (-1 for an implicit zero chunk), the missing ones, the sizes. */
    public record Plan(int chunkBytes, int storedData, List<Integer> drives, long missing) {
    }

    /** Chunk size for {@code length} data bytes over {@code dataShards}: the smallest multiple of 4096 that holds them. */
    public static int chunkBytes(long length, int dataShards) {
        long perChunk = (length + dataShards - 1) / dataShards;
        return (int) (((perChunk + BLOCK - 1) / BLOCK) * BLOCK);
    }

    public static Plan plan(ClusterConfig config, long extentId, long length) {
        Protection protection = config.protection();
        int data = protection.dataDrives();
        int width = protection.stripeWidth();
        int chunk = chunkBytes(Math.max(1, length), data);
        int stored = (int) ((length + chunk - 1) / chunk);
        Map<String, List<DriveEntry>> byDomain = drivesByDomain(config);
        List<String> domains = new ArrayList<>(byDomain.keySet());
        if (domains.size() < width) {
            throw StrataException.unavailable("protection %s needs drives in %d failure domains; drives are in %d", protection,
                    width, domains.size());
        }
        int start = (int) Math.floorMod(mix(extentId), (long) domains.size());
        List<String> available = new ArrayList<>();
        List<String> unavailable = new ArrayList<>();
        for (int i = 0; i < domains.size(); i++) {
            String domain = domains.get((start + i) % domains.size());
            (upDrives(config, byDomain.get(domain)).isEmpty() ? unavailable : available).add(domain);
        }
        if (available.size() < data) {
            throw StrataException.unavailable("only %d failure domains have a drive available; a %s stripe needs at least %d",
                    available.size(), protection, data);
        }
        List<String> chosen = new ArrayList<>(available.subList(0, Math.min(width, available.size())));
        for (int i = 0; chosen.size() < width; i++) {
            chosen.add(unavailable.get(i));
        }
        List<Integer> drives = new ArrayList<>();
        long missing = 0;
        for (int shard = 0; shard < width; shard++) {
            if (shard < data && shard >= stored) {
                drives.add(-1);
                continue;
            }
            String domain = chosen.get(shard);
            List<DriveEntry> up = upDrives(config, byDomain.get(domain));
            List<DriveEntry> candidates = up.isEmpty() ? byDomain.get(domain) : up;
            DriveEntry drive = candidates.get((int) Math.floorMod(mix(extentId) >>> 8, (long) candidates.size()));
            drives.add(drive.id());
            if (up.isEmpty()) {
                missing |= 1L << shard;
            }
        }
        return new Plan(chunk, stored, drives, missing);
    }

    static Map<String, List<DriveEntry>> drivesByDomain(ClusterConfig config) {
        Map<String, List<DriveEntry>> byDomain = new TreeMap<>();
        for (DriveEntry drive : config.dataPlane().drives().values()) {
            ContainerEntry container = config.containers().get(drive.containerId());
            if (drive.active() && container != null) {
                byDomain.computeIfAbsent(container.failureDomain(), d -> new ArrayList<>()).add(drive);
            }
        }
        return byDomain;
    }

    static List<DriveEntry> upDrives(ClusterConfig config, List<DriveEntry> drives) {
        return drives.stream().filter(d -> {
            ContainerEntry container = config.containers().get(d.containerId());
            return container != null && container.active() && container.health() == Health.UP;
        }).toList();
    }

    /** Spreads consecutive extent ids over the rotation. */
    private static long mix(long value) {
        long z = value * 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        return z ^ (z >>> 27);
    }
}
