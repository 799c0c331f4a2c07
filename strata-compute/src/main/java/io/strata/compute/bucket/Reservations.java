package io.strata.compute.bucket;

import java.util.Map;
import java.util.TreeMap;

/**
 * The leader's tentative space: ranges it has handed to writes whose extents are not committed
 * yet. It lives only in the leader's memory (it is not replicated); {@link SpaceMap#findFree}
 * never returns space that overlaps it. Remove a range once its commit is applied or abandoned.
 */
public final class Reservations {
    private final TreeMap<Integer, TreeMap<Long, Long>> endByStartByDrive = new TreeMap<>();

    public void add(int drive, long address, long bytes) {
        if (bytes <= 0 || overlapEnd(drive, address, address + bytes) >= 0) {
            throw new IllegalStateException("reservation of " + bytes + " bytes at " + address + " on drive " + drive
                    + " is empty or overlaps another");
        }
        endByStartByDrive.computeIfAbsent(drive, d -> new TreeMap<>()).put(address, address + bytes);
    }

    public void remove(int drive, long address) {
        TreeMap<Long, Long> ranges = endByStartByDrive.get(drive);
        if (ranges == null || ranges.remove(address) == null) {
            throw new IllegalStateException("no reservation at " + address + " on drive " + drive);
        }
        if (ranges.isEmpty()) {
            endByStartByDrive.remove(drive);
        }
    }

    public boolean isEmpty() {
        return endByStartByDrive.isEmpty();
    }

    public void clear() {
        endByStartByDrive.clear();
    }

    /** The end of the last reservation overlapping {@code [start, end)}, or -1 when none does. */
    long overlapEnd(int drive, long start, long end) {
        TreeMap<Long, Long> ranges = endByStartByDrive.get(drive);
        if (ranges == null) {
            return -1;
        }
        Map.Entry<Long, Long> last = ranges.lowerEntry(end);
        return last != null && last.getValue() > start ? last.getValue() : -1;
    }
}
