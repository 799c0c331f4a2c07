package io.strata.frontend.fs;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Where a process serving a mount starts its counters. A mount outlives the process serving it
 * (an upgrade hands it to the next release, a killed frontend's successor takes it over) and
 * keeps its mount id, so whatever the process numbers must never repeat what its predecessor
 * numbered: a bucket remembers the answers to the last few thousand requests by (mount id,
 * request id) and answers a repeated one from memory, so a reused request id would drop a new
 * write or truncate without a word. Both counters therefore start from the clock, above
 * anything an earlier process could have reached.
 */
final class MountCounters {
    /** Request ids: 2^20 per millisecond since the epoch; 63 bits last until the year 10889. */
    static final int REQUEST_SHIFT = 20;
    /** File handles: 64 per millisecond since the epoch, in the 48 bits below the mount id (until 2109). */
    static final int HANDLE_SHIFT = 6;
    static final long HANDLE_MASK = (1L << 48) - 1;

    private MountCounters() {
    }

    static AtomicLong requestIds(long epochMillis) {
        return new AtomicLong(epochMillis << REQUEST_SHIFT);
    }

    static AtomicLong handles(long epochMillis) {
        return new AtomicLong((epochMillis << HANDLE_SHIFT) & HANDLE_MASK);
    }
}
