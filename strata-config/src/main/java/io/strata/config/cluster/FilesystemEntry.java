package io.strata.config.cluster;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A filesystem: its name and capacity, and the capacity each bucket reserved of it. A bucket
 * stores file data only within what it reserved, so the sum of reservations, never above the
 * capacity, bounds what the filesystem holds. {@code used} is what buckets last reported.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record FilesystemEntry(
        int id,
        String name,
        long capacityBytes,
        long createdAtMillis,
        SortedMap<Integer, Long> reserved,
        SortedMap<Integer, Long> used) {

    public FilesystemEntry {
        reserved = reserved == null ? new TreeMap<>() : new TreeMap<>(reserved);
        used = used == null ? new TreeMap<>() : new TreeMap<>(used);
    }

    public long reservedBytes() {
        return reserved.values().stream().mapToLong(Long::longValue).sum();
    }

    public long usedBytes() {
        return used.values().stream().mapToLong(Long::longValue).sum();
    }

    public FilesystemEntry withReserved(int bucket, long bytes) {
        SortedMap<Integer, Long> next = new TreeMap<>(reserved);
        next.put(bucket, bytes);
        return new FilesystemEntry(id, name, capacityBytes, createdAtMillis, next, used);
    }

    public FilesystemEntry withUsed(Map<Integer, Long> reports) {
        SortedMap<Integer, Long> next = new TreeMap<>(used);
        next.putAll(reports);
        return new FilesystemEntry(id, name, capacityBytes, createdAtMillis, reserved, next);
    }
}
