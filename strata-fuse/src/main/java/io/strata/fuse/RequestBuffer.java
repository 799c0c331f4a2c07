package io.strata.fuse;

import java.lang.foreign.MemorySegment;

/**
 * One request-sized piece of native memory from the session's pool. A reader fills it with one
 * request; the request's reply is encoded into the same memory and written from it, after which
 * the buffer goes back to the pool. So a buffer belongs to exactly one request at a time, and the
 * request (and any payload slice handed to the file system) is valid until its reply.
 */
final class RequestBuffer {
    final int slot;
    final MemorySegment memory;
    /** The request now in this buffer, for INTERRUPT lookups; null while pooled. */
    volatile Request request;
    /** The reply made for that request, so a handler that throws can still be answered once. */
    volatile Reply reply;
    /** Guarded by the pool's lock. */
    boolean pooled;

    RequestBuffer(int slot, MemorySegment memory) {
        this.slot = slot;
        this.memory = memory;
    }
}
