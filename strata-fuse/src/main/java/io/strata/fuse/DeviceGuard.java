package io.strata.fuse;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.concurrent.locks.StampedLock;

/**
 * Every system call on a session's descriptors goes through here, under a shared lock; closing
 * them takes the lock exclusively. So a late reply (from a handler that outlived the drain) can
 * never write into a descriptor number that was closed and reused for another file: it finds the
 * session closed and is dropped.
 */
final class DeviceGuard {
    /** Answered by the writes instead of an errno once the descriptors are closed. */
    static final int CLOSED = -1;
    /** Answered by {@link #read} once the descriptors are closed. */
    static final long READ_CLOSED = Long.MIN_VALUE;

    private final StampedLock lock = new StampedLock();
    private boolean closed;

    /** Bytes read, or minus the errno, or {@link #READ_CLOSED}. */
    long read(int fd, MemorySegment buffer) {
        long stamp = lock.readLock();
        try {
            if (closed) {
                return READ_CLOSED;
            }
            long n = LibC.read(fd, buffer, buffer.byteSize());
            return n >= 0 ? n : -LibC.errno();
        } finally {
            lock.unlockRead(stamp);
        }
    }

    /** 0, or the errno of the failed write, or {@link #CLOSED}. */
    int write(int fd, MemorySegment message, long length) {
        long stamp = lock.readLock();
        try {
            if (closed) {
                return CLOSED;
            }
            long n = LibC.write(fd, message, length);
            return n >= 0 ? 0 : LibC.errno();
        } finally {
            lock.unlockRead(stamp);
        }
    }

    /** As {@link #write}, the iovec array in {@code iovecs} (two entries). */
    int writev(int fd, MemorySegment iovecs, int count) {
        long stamp = lock.readLock();
        try {
            if (closed) {
                return CLOSED;
            }
            long n = LibC.writev(fd, iovecs, count);
            return n >= 0 ? 0 : LibC.errno();
        } finally {
            lock.unlockRead(stamp);
        }
    }

    /**
     * Waits until the device or the wake-up descriptor (both in {@code pollfds}) is readable.
     * Answers false when the wake-up descriptor fired or the descriptors are closed.
     */
    boolean awaitReadable(MemorySegment pollfds) {
        long stamp = lock.readLock();
        try {
            if (closed) {
                return false;
            }
            int rc = LibC.poll(pollfds, 2, -1);
            if (rc < 0) {
                return true; // EINTR: the caller just reads again
            }
            short wakeEvents = pollfds.get(ValueLayout.JAVA_SHORT, 14);
            return wakeEvents == 0;
        } finally {
            lock.unlockRead(stamp);
        }
    }

    /** Runs {@code use} while the descriptors cannot be closed; false, without running it, once they are. */
    boolean whileOpen(Runnable use) {
        long stamp = lock.readLock();
        try {
            if (closed) {
                return false;
            }
            use.run();
            return true;
        } finally {
            lock.unlockRead(stamp);
        }
    }

    boolean isClosed() {
        long stamp = lock.readLock();
        try {
            return closed;
        } finally {
            lock.unlockRead(stamp);
        }
    }

    /**
     * Marks the session's descriptors closed once no call is using them, and closes those given
     * (a handover leaves the master descriptor open for its new owner).
     */
    void close(int... fds) {
        long stamp = lock.writeLock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            for (int fd : fds) {
                LibC.close(fd);
            }
        } finally {
            lock.unlockWrite(stamp);
        }
    }
}
