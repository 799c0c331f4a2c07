package io.strata.compute.process;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * The stripe buffers of a bucket leader's writes, reused from one write to the next. Allocating
 * a write's D+P chunks fresh cost more CPU than encoding them: the JDK zeroes every new segment,
 * and closing a shared arena stops every thread of the process for a handshake. A buffer comes
 * from the pool dirty; the write path fills every byte it sends.
 *
 * <p>Segments come from automatic arenas: one that is not given back (its chunk may still sit in
 * a connection's queue after a drive stopped answering) is freed by the garbage collector once
 * nothing refers to it, never while a queued send does. Owned by the compute process's thread.
 */
final class StripeBuffers {
    private static final long ALIGNMENT = 4096;

    private final long maxPooledBytes;
    private final Map<Long, ArrayDeque<MemorySegment>> free = new HashMap<>();
    private long pooledBytes;

    StripeBuffers(long maxPooledBytes) {
        this.maxPooledBytes = maxPooledBytes;
    }

    /** A buffer of exactly {@code bytes} bytes, 4 KiB aligned, with whatever it held before. */
    MemorySegment acquire(long bytes) {
        ArrayDeque<MemorySegment> same = free.get(bytes);
        MemorySegment reused = same == null ? null : same.poll();
        if (reused != null) {
            pooledBytes -= bytes;
            return reused;
        }
        return Arena.ofAuto().allocate(Math.max(1, bytes), ALIGNMENT);
    }

    /** Takes a buffer back once nothing will read it any more; beyond the pool's bound it is left to the collector. */
    void release(MemorySegment buffer) {
        long bytes = buffer.byteSize();
        if (pooledBytes + bytes > maxPooledBytes) {
            return;
        }
        free.computeIfAbsent(bytes, b -> new ArrayDeque<>()).push(buffer);
        pooledBytes += bytes;
    }

    long pooledBytes() {
        return pooledBytes;
    }
}
