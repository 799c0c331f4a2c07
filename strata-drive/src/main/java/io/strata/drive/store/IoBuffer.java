package io.strata.drive.store;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;

/**
 * One 4 KiB-aligned off-heap buffer of an {@link IoBufferPool}.
 *
 * <p>Ownership: whoever acquired the buffer owns it and releases it, exactly once. Between
 * {@link DriveIo#submit} of an operation naming it and the delivery of that operation's completion,
 * the IO engine borrows it and the owner must not touch it; after the completion it is the owner's
 * again (a read's data stays valid until the owner releases or reuses the buffer).
 *
 * <p>For a WRITE the first 4 KiB are the chunk header, filled by the engine; the payload goes in
 * {@link #payload()}, and the engine zeroes the bytes after the payload up to the next 4 KiB.
 */
public final class IoBuffer {
    private final IoBufferPool pool;
    private final MemorySegment segment;
    private final ByteBuffer byteBuffer;
    boolean acquired;

    IoBuffer(IoBufferPool pool, MemorySegment segment) {
        this.pool = pool;
        this.segment = segment;
        this.byteBuffer = segment.asByteBuffer();
    }

    /** The whole buffer. */
    public MemorySegment segment() {
        return segment;
    }

    /** Where a WRITE's payload goes: after the 4 KiB header block, up to the largest payload that fits. */
    public MemorySegment payload() {
        return segment.asSlice(DriveLayout.CHUNK_HEADER_BYTES, maxPayloadBytes());
    }

    public int capacityBytes() {
        return (int) segment.byteSize();
    }

    /** The largest WRITE payload this buffer can carry. */
    public int maxPayloadBytes() {
        return Math.min(capacityBytes() - DriveLayout.CHUNK_HEADER_BYTES, DriveLayout.MAX_CHUNK_PAYLOAD_BYTES);
    }

    /** Returns the buffer to its pool; the caller must not use it afterwards. */
    public void release() {
        pool.release(this);
    }

    /** A view of the whole buffer; the engine only ever works on slices and duplicates of it. */
    ByteBuffer byteBuffer() {
        return byteBuffer;
    }
}
