package io.strata.drive.store;

import io.strata.runtime.StrataException;
import java.lang.foreign.Arena;
import org.agrona.concurrent.ManyToManyConcurrentArrayQueue;

/**
 * A fixed set of 4 KiB-aligned off-heap buffers, all allocated when the pool is made, so the
 * drive never allocates IO memory while serving. {@link #acquire()} answers null when every buffer
 * is out: that is back-pressure, not an error. Any thread may acquire and release.
 */
public final class IoBufferPool implements AutoCloseable {
    private final Arena arena = Arena.ofShared();
    private final ManyToManyConcurrentArrayQueue<IoBuffer> free;
    private final int bufferCount;
    private final int bufferBytes;

    public IoBufferPool(int bufferCount, int bufferBytes) {
        if (bufferCount < 1 || bufferCount > 1 << 16) {
            throw StrataException.invalid("buffer count %d is outside 1..65536", bufferCount);
        }
        if (bufferBytes < 2 * DriveLayout.BLOCK_BYTES || !DriveLayout.isBlockAligned(bufferBytes)) {
            throw StrataException.invalid("buffer size %d B is not a multiple of 4096 of at least 8192", bufferBytes);
        }
        this.bufferCount = bufferCount;
        this.bufferBytes = bufferBytes;
        this.free = new ManyToManyConcurrentArrayQueue<>(Math.max(2, bufferCount));
        for (int i = 0; i < bufferCount; i++) {
            free.offer(new IoBuffer(this, arena.allocate(bufferBytes, DriveLayout.BLOCK_BYTES)));
        }
    }

    /** A free buffer, or null when all are in use. */
    public IoBuffer acquire() {
        IoBuffer buffer = free.poll();
        if (buffer != null) {
            buffer.acquired = true;
        }
        return buffer;
    }

    void release(IoBuffer buffer) {
        if (!buffer.acquired) {
            throw new IllegalStateException("buffer released twice (or never acquired)");
        }
        buffer.acquired = false;
        if (!free.offer(buffer)) {
            throw new IllegalStateException("buffer pool overflow: a buffer of another pool was released here");
        }
    }

    public int available() {
        return free.size();
    }

    public int bufferCount() {
        return bufferCount;
    }

    public int bufferBytes() {
        return bufferBytes;
    }

    /** Frees the memory; every buffer must be back (no IO may be using one). */
    @Override
    public void close() {
        arena.close();
    }
}
