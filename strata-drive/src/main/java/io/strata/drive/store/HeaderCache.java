package io.strata.drive.store;

import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * Recently read chunk headers, so a read deep inside a large chunk costs one IO instead of two.
 *
 * <p>Direct-mapped (a slot per address hash, a collision evicts), not LRU: lookups must be cheap
 * and lock one slot only. A cached header must never hide a rewrite, including a rewrite at another
 * address whose chunk overlaps this one, so validity is per region: every write bumps its region's
 * generation before and after its positional write, and an entry is only used while its region's
 * generation is the one read before the header was read from disk. A reader racing a writer thus
 * either inserts an entry that is already invalid or reads after the write landed. Regions share
 * generation counters modulo {@value #MAX_GENERATIONS} (a write then also invalidates the other
 * regions of its counter: harmless misses, bounded memory).
 */
final class HeaderCache {
    private final Slot[] slots;
    private final int indexShift;
    private static final int MAX_GENERATIONS = 1 << 16;

    private final AtomicLongArray regionGenerations;
    private final LongAdder hits = new LongAdder();
    private final LongAdder misses = new LongAdder();

    private static final class Slot {
        long address = -1;
        long regionGeneration;
        final ChunkHeader header = new ChunkHeader();
    }

    /** {@code entries} is rounded up to a power of two; 0 disables the cache. */
    HeaderCache(int entries, long regionCount) {
        int size = entries <= 0 ? 0 : Integer.highestOneBit(Math.max(1, entries - 1)) << 1;
        this.slots = new Slot[size];
        for (int i = 0; i < size; i++) {
            slots[i] = new Slot();
        }
        this.indexShift = 64 - Integer.numberOfTrailingZeros(Math.max(2, size));
        this.regionGenerations = new AtomicLongArray(size == 0 ? 0 : (int) Math.min(regionCount, MAX_GENERATIONS));
    }

    boolean enabled() {
        return slots.length > 0;
    }

    /** The region's generation now; read it before reading a header from disk to cache it later. */
    long generation(long region) {
        return enabled() ? regionGenerations.get(counter(region)) : 0;
    }

    /** Called before and after every write into the region. */
    void invalidateRegion(long region) {
        if (enabled()) {
            regionGenerations.incrementAndGet(counter(region));
        }
    }

    /** Copies the cached header of {@code address} into {@code into}; false when absent or invalidated. */
    boolean lookup(long address, long region, ChunkHeader into) {
        if (!enabled()) {
            return false;
        }
        Slot slot = slots[index(address)];
        synchronized (slot) {
            if (slot.address != address || slot.regionGeneration != regionGenerations.get(counter(region))) {
                misses.increment();
                return false;
            }
            into.copyFrom(slot.header);
        }
        hits.increment();
        return true;
    }

    long hits() {
        return hits.sum();
    }

    long misses() {
        return misses.sum();
    }

    /** Caches a verified header read while the region was at {@code generationBeforeRead}. */
    void offer(long address, long region, long generationBeforeRead, ChunkHeader header) {
        if (!enabled() || regionGenerations.get(counter(region)) != generationBeforeRead) {
            return;
        }
        Slot slot = slots[index(address)];
        synchronized (slot) {
            slot.address = address;
            slot.regionGeneration = generationBeforeRead;
            slot.header.copyFrom(header);
        }
    }

    private int counter(long region) {
        return (int) (region % regionGenerations.length());
    }

    /**
     * Fibonacci hashing (the top bits of the block number times 2^64/phi): chunk addresses are
     * strided (regions of a power-of-two size), so their low bits alone would collide.
     */
    private int index(long address) {
        long block = address >>> 12;
        return (int) ((block * 0x9E3779B97F4A7C15L) >>> indexShift);
    }
}
