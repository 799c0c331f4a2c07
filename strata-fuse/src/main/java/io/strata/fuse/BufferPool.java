package io.strata.fuse;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayDeque;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The session's request buffers, all allocated when the session starts. A reader takes one to
 * read a request into; the reply (from whatever thread completes it) gives it back. As a request
 * holds its buffer until replied, the pool's size bounds the requests in flight: when it is empty,
 * readers wait, and the kernel keeps further requests queued.
 */
final class BufferPool implements AutoCloseable {
    private final Arena arena = Arena.ofShared();
    private final RequestBuffer[] buffers;
    private final ArrayDeque<RequestBuffer> free;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private boolean taking = true;

    BufferPool(int count, int bufferBytes) {
        if (count < 1 || bufferBytes < 8192) {
            throw new IllegalArgumentException("pool of " + count + " buffers of " + bufferBytes + " bytes");
        }
        buffers = new RequestBuffer[count];
        free = new ArrayDeque<>(count);
        for (int i = 0; i < count; i++) {
            MemorySegment memory = arena.allocate(bufferBytes, 4096);
            buffers[i] = new RequestBuffer(i, memory);
            buffers[i].pooled = true;
            free.add(buffers[i]);
        }
    }

    int capacity() {
        return buffers.length;
    }

    /** A free buffer, waiting while all are in use; null once {@link #stopTaking()} was called. */
    RequestBuffer take() throws InterruptedException {
        lock.lock();
        try {
            while (taking && free.isEmpty()) {
                changed.await();
            }
            if (!taking) {
                return null;
            }
            RequestBuffer buffer = free.poll();
            buffer.pooled = false;
            return buffer;
        } finally {
            lock.unlock();
        }
    }

    void release(RequestBuffer buffer) {
        buffer.request = null;
        lock.lock();
        try {
            if (buffer.pooled) {
                throw new IllegalStateException("buffer " + buffer.slot + " released twice");
            }
            buffer.pooled = true;
            free.add(buffer);
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Makes waiting and future {@link #take()} calls return null; releases still work. */
    void stopTaking() {
        lock.lock();
        try {
            taking = false;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    void startTaking() {
        lock.lock();
        try {
            taking = true;
        } finally {
            lock.unlock();
        }
    }

    int inUse() {
        lock.lock();
        try {
            return buffers.length - free.size();
        } finally {
            lock.unlock();
        }
    }

    /** Waits until every buffer is back, i.e. every request read has been replied. */
    boolean awaitAllReturned(long timeoutNanos) throws InterruptedException {
        long remaining = timeoutNanos;
        lock.lock();
        try {
            while (free.size() < buffers.length) {
                if (remaining <= 0) {
                    return false;
                }
                remaining = changed.awaitNanos(remaining);
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** The in-flight request with this unique id, or null (already replied, or not yet read). */
    Request findRequest(long unique) {
        for (RequestBuffer buffer : buffers) {
            Request request = buffer.request;
            if (request != null && request.unique() == unique) {
                return request;
            }
        }
        return null;
    }

    /** Frees the memory; any later use of a buffer fails with IllegalStateException, not a crash. */
    @Override
    public void close() {
        arena.close();
    }

}
