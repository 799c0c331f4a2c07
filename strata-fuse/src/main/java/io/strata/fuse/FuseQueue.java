package io.strata.fuse;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One /dev/fuse descriptor of a session (the master or a FUSE_DEV_IOC_CLONE of it) with the
 * thread that reads it. Requests read here must be replied here: the kernel looks a reply up
 * in the processing list of the descriptor it is written to.
 *
 * <p>The descriptor is non-blocking: the reader reads until EAGAIN and only then polls the
 * descriptor together with the session's wake-up eventfd, so under load there is one system call
 * per request, and a stop (which signals the eventfd) reaches an idle reader at once.
 */
final class FuseQueue implements ReplyChannel {
    private static final Logger LOG = LoggerFactory.getLogger(FuseQueue.class);

    /** Why a reader stopped. */
    enum Exit {
        /** Asked to stop (close or handover). */
        STOPPED,
        /** The kernel ended the connection: unmounted or aborted (ENODEV). */
        DEVICE_GONE,
        /** An unexpected error; logged. */
        FAILED
    }

    /** What a queue needs of its session. */
    interface Owner {
        boolean stopRequested();

        void readerExited(FuseQueue queue, Exit exit);
    }

    final int index;
    final int fd;
    private final int wakeFd;
    private final DeviceGuard guard;
    private final BufferPool pool;
    private final Dispatcher dispatcher;
    private final Owner owner;
    private final AtomicLong rejectedReplies;
    private final String threadName;
    private volatile Thread thread;

    FuseQueue(int index, int fd, int wakeFd, DeviceGuard guard, BufferPool pool, Dispatcher dispatcher, Owner owner,
            AtomicLong rejectedReplies, String threadName) {
        this.index = index;
        this.fd = fd;
        this.wakeFd = wakeFd;
        this.guard = guard;
        this.pool = pool;
        this.dispatcher = dispatcher;
        this.owner = owner;
        this.rejectedReplies = rejectedReplies;
        this.threadName = threadName;
    }

    void start() {
        thread = Thread.ofPlatform().name(threadName).daemon(true).start(this::run);
    }

    private void run() {
        Exit exit = Exit.FAILED;
        RequestBuffer buffer = null;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment pollfds = arena.allocate(16);
            pollfds.set(ValueLayout.JAVA_INT, 0, fd);
            pollfds.set(ValueLayout.JAVA_SHORT, 4, LibC.POLLIN);
            pollfds.set(ValueLayout.JAVA_INT, 8, wakeFd);
            pollfds.set(ValueLayout.JAVA_SHORT, 12, LibC.POLLIN);
            while (true) {
                if (owner.stopRequested()) {
                    exit = Exit.STOPPED;
                    break;
                }
                if (buffer == null) {
                    buffer = pool.take();
                    if (buffer == null) {
                        exit = Exit.STOPPED;
                        break;
                    }
                }
                long n = guard.read(fd, buffer.memory);
                if (n > 0) {
                    RequestBuffer taken = buffer;
                    buffer = null;
                    dispatcher.dispatch(taken, (int) n, this);
                    continue;
                }
                exit = afterFailedRead(n, pollfds);
                if (exit != null) {
                    break;
                }
            }
        } catch (InterruptedException e) {
            exit = Exit.STOPPED;
        } catch (RuntimeException | Error e) {
            LOG.error("FUSE reader {} failed", threadName, e);
            exit = Exit.FAILED;
        } finally {
            if (buffer != null) {
                pool.release(buffer);
            }
            owner.readerExited(this, exit);
        }
    }

    /** Null to go on reading, else why the reader ends. */
    private Exit afterFailedRead(long result, MemorySegment pollfds) {
        if (result == DeviceGuard.READ_CLOSED) {
            return Exit.STOPPED;
        }
        int errno = (int) -result;
        switch (errno) {
            case Errno.EAGAIN -> {
                pollfds.set(ValueLayout.JAVA_SHORT, 6, (short) 0);
                pollfds.set(ValueLayout.JAVA_SHORT, 14, (short) 0);
                return guard.awaitReadable(pollfds) ? null : Exit.STOPPED;
            }
            case Errno.EINTR, Errno.ENOENT -> {
                return null; // interrupted, or the request was withdrawn before we read it
            }
            case Errno.ENODEV, Errno.ECONNABORTED -> {
                return Exit.DEVICE_GONE;
            }
            default -> {
                LOG.error("reading /dev/fuse (queue {}) failed: {}", index, Errno.describe(errno));
                return Exit.FAILED;
            }
        }
    }

    @Override
    public int send(MemorySegment message, long length) {
        return checked(guard.write(fd, message, length), message);
    }

    @Override
    public int send(MemorySegment header, long headerLength, MemorySegment body, long bodyLength,
            MemorySegment scratch) {
        scratch.set(ValueLayout.JAVA_LONG_UNALIGNED, 0, header.address());
        scratch.set(ValueLayout.JAVA_LONG_UNALIGNED, 8, headerLength);
        scratch.set(ValueLayout.JAVA_LONG_UNALIGNED, 16, body.address());
        scratch.set(ValueLayout.JAVA_LONG_UNALIGNED, 24, bodyLength);
        return checked(guard.writev(fd, scratch, 2), header);
    }

    private int checked(int errno, MemorySegment message) {
        switch (errno) {
            case 0, DeviceGuard.CLOSED, Errno.ENODEV -> {
                // sent, or nobody is listening any more
            }
            case Errno.ENOENT -> LOG.debug("reply to {} found no request (interrupted)", Wire.u64(message, 8));
            default -> {
                rejectedReplies.incrementAndGet();
                LOG.warn("kernel rejected reply to request {} (error field {}): {}", Wire.u64(message, 8),
                        Wire.u32(message, 4), Errno.describe(errno));
            }
        }
        return errno;
    }
}
