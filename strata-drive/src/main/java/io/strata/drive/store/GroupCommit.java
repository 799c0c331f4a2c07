package io.strata.drive.store;

import io.strata.runtime.Clock;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Makes landed writes durable with as few fdatasync calls as possible, across IO threads.
 *
 * <p>Syncs are numbered in the order they start, one at a time. A thread whose writes returned
 * when {@code k} syncs had started needs sync {@code k + 1} (or a later one): that one starts after
 * its writes landed, so it covers them. While one thread is in fdatasync the others queue on the
 * lock; the first of them to get it syncs once for all of them, and the rest find their sync done.
 *
 * <p>After a failed fdatasync nothing is acknowledged any more: Linux may report a write-back error
 * to one fsync caller only, so a later "successful" sync proves nothing about earlier writes.
 */
final class GroupCommit {
    private final FileChannel channel;
    private final Clock clock;
    private final ReentrantLock lock = new ReentrantLock();
    private final AtomicLong started = new AtomicLong();
    private volatile long completed;
    private volatile IOException failure;
    private final LongAdder syncCount = new LongAdder();
    private final LongAdder syncNanos = new LongAdder();

    GroupCommit(FileChannel channel, Clock clock) {
        this.channel = channel;
        this.clock = clock;
    }

    /** Returns once every write that returned before this call is on stable storage. */
    void sync() throws IOException {
        long needed = started.get() + 1;
        lock.lock();
        try {
            if (failure != null) {
                throw new IOException("an earlier fdatasync failed: " + failure.getMessage(), failure);
            }
            if (completed >= needed) {
                return;
            }
            long ticket = started.incrementAndGet();
            long startNanos = clock.nanoTime();
            try {
                channel.force(false);
            } catch (IOException e) {
                failure = e;
                throw e;
            }
            syncNanos.add(clock.nanoTime() - startNanos);
            syncCount.increment();
            completed = ticket;
        } finally {
            lock.unlock();
        }
    }

    boolean hasFailed() {
        return failure != null;
    }

    long syncCount() {
        return syncCount.sum();
    }

    long syncNanos() {
        return syncNanos.sum();
    }
}
