package io.strata.compute.bucket;

import io.strata.compute.layout.ChunkAddress;
import io.strata.compute.layout.Stripe;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The drive space leased to this bucket and which of it is allocated, in 4096-byte blocks.
 *
 * <p>The control plane leases whole regions of a drive to a bucket (region {@code i} of a drive
 * starts at {@code firstRegionAddress + i * regionBytes}). The leader picks space for a new
 * stripe with {@link #findFree}, passing the reservations it has made for writes in flight; the
 * commit of the stripe then marks its chunks allocated, after checking that they are still free
 * (a leader that picked badly has its commit refused with EIO, nothing changes). The allocation
 * bitmap is not written into snapshots: it is rebuilt from the stripes.
 */
public final class SpaceMap {
    public static final int BLOCK_BYTES = 4096;

    private static final class Region {
        final long start;
        final BitSet allocated = new BitSet();
        int freeBlocks;

        Region(long start, int blocks) {
            this.start = start;
            this.freeBlocks = blocks;
        }
    }

    private static final class Drive {
        final long regionBytes;
        final long firstRegionAddress;
        final int blocksPerRegion;
        final TreeMap<Integer, Region> regions = new TreeMap<>();
        long freeBlocks;

        Drive(long regionBytes, long firstRegionAddress) {
            this.regionBytes = regionBytes;
            this.firstRegionAddress = firstRegionAddress;
            this.blocksPerRegion = (int) (regionBytes / BLOCK_BYTES);
        }

        Region regionAt(long address) {
            if (address < firstRegionAddress) {
                return null;
            }
            long index = (address - firstRegionAddress) / regionBytes;
            return index > Integer.MAX_VALUE ? null : regions.get((int) index);
        }
    }

    private final TreeMap<Integer, Drive> drives = new TreeMap<>();

    /**
     * The lowest free address on {@code drive} for {@code bytes} (rounded up to whole blocks) that
     * lies in one leased region and overlaps neither allocated space nor {@code tentative}.
     */
    public Optional<Long> findFree(int drive, long bytes, Reservations tentative) {
        Drive space = drives.get(drive);
        if (space == null || bytes <= 0) {
            return Optional.empty();
        }
        long blocksNeeded = Math.ceilDiv(bytes, BLOCK_BYTES);
        if (blocksNeeded > space.blocksPerRegion) {
            return Optional.empty();
        }
        for (Region region : space.regions.values()) {
            if (region.freeBlocks >= blocksNeeded) {
                long found = findInRegion(drive, space, region, (int) blocksNeeded, tentative);
                if (found >= 0) {
                    return Optional.of(found);
                }
            }
        }
        return Optional.empty();
    }

    private static long findInRegion(int drive, Drive space, Region region, int blocks, Reservations tentative) {
        int total = space.blocksPerRegion;
        int position = 0;
        while (position + blocks <= total) {
            int runStart = region.allocated.nextClearBit(position);
            if (runStart + blocks > total) {
                return -1;
            }
            int nextAllocated = region.allocated.nextSetBit(runStart);
            int runEnd = nextAllocated < 0 ? total : nextAllocated;
            if (runEnd - runStart < blocks) {
                position = runEnd;
                continue;
            }
            long start = region.start + (long) runStart * BLOCK_BYTES;
            long reservedEnd = tentative.overlapEnd(drive, start, start + (long) blocks * BLOCK_BYTES);
            if (reservedEnd < 0) {
                return start;
            }
            position = (int) Math.ceilDiv(reservedEnd - region.start, BLOCK_BYTES);
        }
        return -1;
    }

    public long freeBytes(int drive) {
        Drive space = drives.get(drive);
        return space == null ? 0 : space.freeBlocks * BLOCK_BYTES;
    }

    public long leasedBytes(int drive) {
        Drive space = drives.get(drive);
        return space == null ? 0 : space.regions.size() * space.regionBytes;
    }

    /** Drives with leased regions, in order. */
    public SortedSet<Integer> drives() {
        return Collections.unmodifiableSortedSet(new TreeSet<>(drives.keySet()));
    }

    /** Leased drives whose free space is below {@code freeBytesThreshold}: the leader asks for more regions on them. */
    public List<Integer> drivesNeedingRegions(long freeBytesThreshold) {
        List<Integer> low = new ArrayList<>();
        for (int drive : drives.keySet()) {
            if (freeBytes(drive) < freeBytesThreshold) {
                low.add(drive);
            }
        }
        return low;
    }

    /** Region indices leased on {@code drive}, in order. */
    public List<Integer> regionsOf(int drive) {
        Drive space = drives.get(drive);
        return space == null ? List.of() : List.copyOf(space.regions.keySet());
    }

    long regionBytes(int drive) {
        return drives.get(drive).regionBytes;
    }

    long firstRegionAddress(int drive) {
        return drives.get(drive).firstRegionAddress;
    }

    void checkLease(int drive, List<Integer> regionIndices, long regionBytes, long firstRegionAddress) {
        if (regionBytes <= 0 || regionBytes % BLOCK_BYTES != 0 || regionBytes / BLOCK_BYTES > Integer.MAX_VALUE
                || firstRegionAddress < 0 || firstRegionAddress % BLOCK_BYTES != 0) {
            throw FsException.of(Errno.EINVAL, "regions of %d bytes from %d on drive %d are not block aligned",
                    regionBytes, firstRegionAddress, drive);
        }
        Drive space = drives.get(drive);
        if (space != null && (space.regionBytes != regionBytes || space.firstRegionAddress != firstRegionAddress)) {
            throw FsException.of(Errno.EINVAL, "drive %d has regions of %d bytes from %d, not %d from %d", drive,
                    space.regionBytes, space.firstRegionAddress, regionBytes, firstRegionAddress);
        }
        for (int index : regionIndices) {
            if (index < 0 || Math.addExact(firstRegionAddress, Math.multiplyExact(regionBytes, (long) index + 1)) < 0) {
                throw FsException.of(Errno.EINVAL, "region %d of drive %d is out of range", index, drive);
            }
        }
    }

    /** Adds regions (already leased ones are left as they are). */
    void lease(int drive, List<Integer> regionIndices, long regionBytes, long firstRegionAddress) {
        Drive space = drives.computeIfAbsent(drive, d -> new Drive(regionBytes, firstRegionAddress));
        for (int index : regionIndices) {
            if (!space.regions.containsKey(index)) {
                space.regions.put(index, new Region(firstRegionAddress + index * regionBytes, space.blocksPerRegion));
                space.freeBlocks += space.blocksPerRegion;
            }
        }
    }

    /** Refuses (EIO) a stripe whose chunks are not all inside leased regions, aligned, free and apart. */
    void checkAllocatable(Stripe stripe) {
        long chunkBytes = BLOCK_BYTES + (long) stripe.chunkBytes();
        List<ChunkAddress> chunks = stripe.shards();
        for (int i = 0; i < chunks.size(); i++) {
            ChunkAddress chunk = chunks.get(i);
            if (chunk == null) {
                continue;
            }
            String fault = allocatableFault(chunk.drive(), chunk.address(), chunkBytes);
            if (fault == null) {
                fault = overlapWithEarlierShard(chunks, i, chunkBytes);
            }
            if (fault != null) {
                throw FsException.of(Errno.EIO, "stripe %d shard %d at drive %d address %d: %s", stripe.extentId(), i,
                        chunk.drive(), chunk.address(), fault);
            }
        }
    }

    private String allocatableFault(int drive, long address, long bytes) {
        Drive space = drives.get(drive);
        if (space == null) {
            return "no region of this drive is leased to the bucket";
        }
        if (address % BLOCK_BYTES != 0) {
            return "address is not block aligned";
        }
        Region region = space.regionAt(address);
        if (region == null || address + bytes > region.start + space.regionBytes) {
            return "chunk is not inside one leased region";
        }
        int first = (int) ((address - region.start) / BLOCK_BYTES);
        int next = region.allocated.nextSetBit(first);
        if (next >= 0 && next < first + bytes / BLOCK_BYTES) {
            return "space is already allocated";
        }
        return null;
    }

    private static String overlapWithEarlierShard(List<ChunkAddress> chunks, int index, long bytes) {
        ChunkAddress chunk = chunks.get(index);
        for (int j = 0; j < index; j++) {
            ChunkAddress other = chunks.get(j);
            if (other != null && other.drive() == chunk.drive() && other.address() < chunk.address() + bytes
                    && chunk.address() < other.address() + bytes) {
                return "overlaps shard " + j;
            }
        }
        return null;
    }

    void allocate(Stripe stripe) {
        mark(stripe, true);
    }

    void free(Stripe stripe) {
        mark(stripe, false);
    }

    private void mark(Stripe stripe, boolean allocated) {
        long bytes = BLOCK_BYTES + (long) stripe.chunkBytes();
        int blocks = (int) (bytes / BLOCK_BYTES);
        for (ChunkAddress chunk : stripe.shards()) {
            if (chunk == null) {
                continue;
            }
            Drive space = drives.get(chunk.drive());
            Region region = space == null ? null : space.regionAt(chunk.address());
            if (region == null) {
                throw new IllegalStateException("chunk at " + chunk + " of stripe " + stripe.extentId() + " is not in a leased region");
            }
            int first = (int) ((chunk.address() - region.start) / BLOCK_BYTES);
            int already = region.allocated.get(first, first + blocks).cardinality();
            if (already != (allocated ? 0 : blocks)) {
                throw new IllegalStateException("chunk at " + chunk + " of stripe " + stripe.extentId() + " is "
                        + (allocated ? "already allocated" : "not allocated"));
            }
            region.allocated.set(first, first + blocks, allocated);
            int delta = allocated ? -blocks : blocks;
            region.freeBlocks += delta;
            space.freeBlocks += delta;
        }
    }
}
