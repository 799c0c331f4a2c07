package io.strata.fuse;

import io.strata.runtime.StrataException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One FUSE connection served by this process: the kernel's /dev/fuse protocol spoken directly
 * through the FFM API, without libfuse.
 *
 * <p><b>Queues and threads.</b> The session owns the connection's master /dev/fuse descriptor and
 * {@code queues - 1} clones of it (FUSE_DEV_IOC_CLONE on a newly opened /dev/fuse). Each descriptor
 * has one platform reader thread that reads a request, decodes it and calls the file system on
 * that same thread. The kernel's pending requests are shared by all clones; what a clone has of
 * its own is the list of requests read but unreplied, so a reply goes to the descriptor its
 * request came from, and queues do not contend for one list. Descriptors are non-blocking: a
 * reader polls (with the session's wake-up eventfd) only after EAGAIN.
 *
 * <p><b>Buffers.</b> All request buffers ({@code maxWrite + 4 KiB} each) are allocated when the
 * session starts, in a {@link BufferPool}. A reader takes a buffer, reads one request into it, and
 * from then on the buffer belongs to that request: a WRITE's data is handed to the file system as
 * a slice of it (no copy), and the reply is encoded into the same buffer. Completing the reply
 * writes it and returns the buffer. With every buffer in use, readers wait: the pool's size is the
 * bound on requests in flight, and the kernel holds the rest.
 *
 * <p><b>Asynchronous replies.</b> A handler may return without replying and complete the reply
 * later from any thread. Each reply is a single write(2)/writev(2), which the kernel applies
 * atomically, so replies from many threads need no lock; a {@link DeviceGuard} only keeps them
 * from writing to descriptors the session has closed.
 *
 * <p><b>INIT.</b> {@link #start} reads and answers the kernel's INIT (see {@link InitNegotiation}
 * for the flags chosen) before any reader starts; {@link #resume} skips it, as the kernel
 * negotiates once per mount.
 *
 * <p><b>Handover.</b> {@link #detach} stops the readers (they finish the request in hand), waits
 * until every request read has been replied (the drain: a request read but never replied would
 * hang its caller forever, since the kernel never sends it again), closes the clones and gives up
 * the master descriptor without unmounting. Another session (in this or another process, see
 * {@link Handover}) then {@link #resume resumes} on it; requests made meanwhile wait in the kernel.
 * Node ids must mean the same to the new session's file system, since the kernel keeps using them.
 *
 * <p><b>End.</b> When the mount goes away (unmounted by anyone, or the connection aborted) reads
 * fail with ENODEV; the readers end, the session drains, closes its descriptors and calls the file
 * system's {@code destroy()}. {@link #close} does the same on request.
 */
public final class FuseSession {
    private static final Logger LOG = LoggerFactory.getLogger(FuseSession.class);

    private enum State {
        RUNNING,
        DETACHING,
        CLOSING,
        DETACHED,
        CLOSED
    }

    private final FuseFilesystem fs;
    private final MountOptions options;
    private final SessionParameters parameters;
    private final BufferPool pool;
    private final DeviceGuard guard = new DeviceGuard();
    private final int masterFd;
    private final int wakeFd;
    private final int[] cloneFds;
    private final List<FuseQueue> queues = new ArrayList<>();
    private final AtomicLong rejectedReplies = new AtomicLong();
    private final AtomicBoolean destroyed = new AtomicBoolean();
    private final CountDownLatch finished = new CountDownLatch(1);
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition readersChanged = lock.newCondition();
    private volatile boolean stopRequested;
    private volatile int resendOutcome = -1;
    private State state = State.RUNNING;
    private int liveReaders;
    private boolean connectionEnded;

    private FuseSession(int masterFd, SessionParameters parameters, MountOptions options, FuseFilesystem fs,
            BufferPool pool) {
        this.fs = fs;
        this.options = options;
        this.parameters = parameters;
        this.pool = pool;
        this.masterFd = masterFd;
        this.wakeFd = LibC.eventfd(0, LibC.EFD_CLOEXEC | LibC.EFD_NONBLOCK);
        if (wakeFd < 0) {
            throw StrataException.unavailable("cannot create an eventfd: %s", Errno.describe(LibC.errno()));
        }
        this.cloneFds = new int[options.queues() - 1];
        try {
            for (int i = 0; i < cloneFds.length; i++) {
                cloneFds[i] = cloneDevice(masterFd);
            }
        } catch (RuntimeException e) {
            for (int fd : cloneFds) {
                if (fd > 0) {
                    LibC.close(fd);
                }
            }
            LibC.close(wakeFd);
            throw e;
        }
        Dispatcher dispatcher = new Dispatcher(fs, pool, this::onDestroyRequest);
        FuseQueue.Owner owner = new FuseQueue.Owner() {
            @Override
            public boolean stopRequested() {
                return stopRequested;
            }

            @Override
            public void readerExited(FuseQueue queue, FuseQueue.Exit exit) {
                onReaderExit(queue, exit);
            }
        };
        for (int i = 0; i < options.queues(); i++) {
            int fd = i == 0 ? masterFd : cloneFds[i - 1];
            queues.add(new FuseQueue(i, fd, wakeFd, guard, pool, dispatcher, owner, rejectedReplies,
                    "strata-fuse-" + options.fsName() + "-q" + i));
        }
    }

    /** Answers the kernel's INIT on {@code masterFd} (a mounted, non-blocking /dev/fuse) and starts serving. */
    static FuseSession start(int masterFd, MountOptions options, FuseFilesystem fs) {
        Wire.checkByteOrder();
        BufferPool pool = new BufferPool(options.requestBuffers(), options.requestBufferBytes());
        try {
            SessionParameters parameters = KernelInit.perform(masterFd, pool, options);
            FuseSession session = new FuseSession(masterFd, parameters, options, fs, pool);
            session.startServing();
            return session;
        } catch (RuntimeException e) {
            pool.close();
            throw e;
        }
    }

    /**
     * Serves a connection whose INIT another session answered (a handover); no INIT is read. With
     * {@code resendUnanswered} (the previous owner died), the kernel is first asked to send again
     * what was read and never answered, before any reader starts: a request this session read
     * itself is never among them, so none is served twice. The errno of that ask (0 when done)
     * is then {@link #resendOutcome()}.
     */
    static FuseSession resume(int masterFd, SessionParameters parameters, MountOptions options, FuseFilesystem fs,
            boolean resendUnanswered) {
        Wire.checkByteOrder();
        if (options.requestBufferBytes() < parameters.requestBufferBytes()) {
            throw StrataException.invalid("max write %d bytes is below the session's negotiated %d bytes",
                    options.maxWriteBytes(), parameters.maxWriteBytes());
        }
        int flags = LibC.fcntl(masterFd, LibC.F_GETFL, 0);
        if (flags < 0 || LibC.fcntl(masterFd, LibC.F_SETFL, flags | LibC.O_NONBLOCK) < 0) {
            throw StrataException.invalid("descriptor %d is not usable: %s", masterFd, Errno.describe(LibC.errno()));
        }
        BufferPool pool = new BufferPool(options.requestBuffers(), options.requestBufferBytes());
        try {
            FuseSession session = new FuseSession(masterFd, parameters, options, fs, pool);
            if (resendUnanswered) {
                session.resendOutcome = session.resendUnanswered();
            }
            session.startServing();
            return session;
        } catch (RuntimeException e) {
            pool.close();
            throw e;
        }
    }

    /** After a resume that asked for it: 0 if the kernel queued the unanswered requests again, else its errno; -1 if not asked. */
    public int resendOutcome() {
        return resendOutcome;
    }

    private void startServing() {
        try {
            fs.init(parameters);
        } catch (RuntimeException e) {
            guard.close(closeOnDetach()); // the caller still owns (and closes) the master descriptor
            throw e;
        }
        lock.lock();
        try {
            for (FuseQueue queue : queues) {
                liveReaders++;
                queue.start();
            }
        } finally {
            lock.unlock();
        }
    }

    private static int cloneDevice(int masterFd) {
        try (Arena arena = Arena.ofConfined()) {
            int fd = LibC.open(arena.allocateFrom("/dev/fuse"), LibC.O_RDWR | LibC.O_CLOEXEC | LibC.O_NONBLOCK);
            if (fd < 0) {
                throw StrataException.unavailable("cannot open /dev/fuse for a queue: %s", Errno.describe(LibC.errno()));
            }
            MemorySegment master = arena.allocate(ValueLayout.JAVA_INT);
            master.set(ValueLayout.JAVA_INT, 0, masterFd);
            if (LibC.ioctl(fd, LibC.FUSE_DEV_IOC_CLONE, master) < 0) {
                int errno = LibC.errno();
                LibC.close(fd);
                throw StrataException.unavailable("FUSE_DEV_IOC_CLONE of descriptor %d failed: %s", masterFd,
                        Errno.describe(errno));
            }
            return fd;
        }
    }

    /** The file system's name as the kernel shows it (the mount's source). */
    public String fsName() {
        return options.fsName();
    }

    public SessionParameters parameters() {
        return parameters;
    }

    public int queueCount() {
        return queues.size();
    }

    /** Replies the kernel refused (malformed or wrong size): zero unless this layer has a bug. */
    public long rejectedReplies() {
        return rejectedReplies.get();
    }

    /** True until the session is closed, detached, or the connection ended. */
    public boolean isServing() {
        lock.lock();
        try {
            return state == State.RUNNING && !connectionEnded;
        } finally {
            lock.unlock();
        }
    }

    /** Waits until the session has finished (closed, detached, or the connection ended and cleaned up). */
    public boolean awaitFinished(long timeoutMs) throws InterruptedException {
        return finished.await(timeoutMs, TimeUnit.MILLISECONDS);
    }

    // ---- notifications ----

    /**
     * Drops the kernel's cached attributes of {@code nodeId} and its cached data in
     * [{@code offset}, {@code offset + length}) (length 0: to the end; offset -1: attributes only).
     * Callable from any thread, but not from a handler of an operation on the same inode or its
     * directory (the kernel may hold a lock that operation waits for). Answers 0, ENOENT when the
     * kernel has nothing cached for the node, or another errno.
     */
    public int invalidateInode(long nodeId, long offset, long length) {
        try (Arena arena = Arena.ofConfined()) {
            int size = Wire.OUT_HEADER_SIZE + Wire.NOTIFY_INVAL_INODE_SIZE;
            MemorySegment message = arena.allocate(size);
            Wire.putOutHeader(message, size, Wire.NOTIFY_INVAL_INODE, 0);
            message.set(Wire.U64, 16, nodeId);
            message.set(Wire.U64, 24, offset);
            message.set(Wire.U64, 32, length);
            return notify(message, size);
        }
    }

    /** Drops the kernel's cached entry {@code name} in directory {@code parent}; as {@link #invalidateInode}. */
    public int invalidateEntry(long parent, String name) {
        byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
        try (Arena arena = Arena.ofConfined()) {
            int size = Wire.OUT_HEADER_SIZE + Wire.NOTIFY_INVAL_ENTRY_SIZE + bytes.length + 1;
            MemorySegment message = arena.allocate(size);
            Wire.putOutHeader(message, size, Wire.NOTIFY_INVAL_ENTRY, 0);
            message.set(Wire.U64, 16, parent);
            message.set(Wire.U32, 24, bytes.length);
            message.set(Wire.U32, 28, 0);
            MemorySegment.copy(bytes, 0, message, ValueLayout.JAVA_BYTE, 32, bytes.length);
            message.set(ValueLayout.JAVA_BYTE, 32 + bytes.length, (byte) 0);
            return notify(message, size);
        }
    }

    /**
     * Asks the kernel to queue again every request that was read from this connection but never
     * answered, by any process: after the process serving it died, its requests are still waiting
     * (as long as another holder kept its descriptors open) and are sent anew to this session.
     * Answers 0, ENOSYS when the kernel cannot (before 6.9), or another errno.
     */
    int resendUnanswered() {
        if ((parameters.kernelFlags() & FuseProtocol.FUSE_HAS_RESEND) == 0) {
            return Errno.ENOSYS;
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment message = arena.allocate(Wire.OUT_HEADER_SIZE);
            Wire.putOutHeader(message, Wire.OUT_HEADER_SIZE, Wire.NOTIFY_RESEND, 0);
            return notify(message, Wire.OUT_HEADER_SIZE);
        }
    }

    /**
     * Runs {@code use} with the connection's descriptors (the master first, then the clones) while
     * they cannot be closed, e.g. to pass duplicates to a keeper; false, without running it, once closed.
     */
    public boolean withDescriptors(java.util.function.Consumer<int[]> use) {
        return guard.whileOpen(() -> {
            int[] all = new int[cloneFds.length + 1];
            all[0] = masterFd;
            System.arraycopy(cloneFds, 0, all, 1, cloneFds.length);
            use.accept(all);
        });
    }

    private int notify(MemorySegment message, int size) {
        int errno = guard.write(masterFd, message, size);
        return errno == DeviceGuard.CLOSED ? Errno.ENOTCONN : errno;
    }

    // ---- stopping ----

    private void onDestroyRequest() {
        lock.lock();
        try {
            connectionEnded = true;
        } finally {
            lock.unlock();
        }
        requestStop();
    }

    private void onReaderExit(FuseQueue queue, FuseQueue.Exit exit) {
        boolean cleanUp;
        lock.lock();
        try {
            liveReaders--;
            if (exit != FuseQueue.Exit.STOPPED) {
                connectionEnded = true;
            }
            cleanUp = liveReaders == 0 && connectionEnded && state == State.RUNNING;
            readersChanged.signalAll();
        } finally {
            lock.unlock();
        }
        if (exit != FuseQueue.Exit.STOPPED) {
            LOG.info("FUSE queue {} of {} ended: {}", queue.index, options.fsName(), exit);
            requestStop();
        }
        if (cleanUp) {
            shutdown();
        }
    }

    private void requestStop() {
        stopRequested = true;
        pool.stopTaking();
        signalWake(1);
    }

    private void signalWake(long value) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment counter = arena.allocate(ValueLayout.JAVA_LONG);
            counter.set(ValueLayout.JAVA_LONG, 0, value);
            if (guard.write(wakeFd, counter, 8) != 0) {
                LOG.debug("eventfd write failed; readers stop at their next request");
            }
        }
    }

    private void clearWake() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment counter = arena.allocate(ValueLayout.JAVA_LONG);
            guard.read(wakeFd, counter);
        }
    }

    /** Waits until no reader runs; false on timeout. */
    private boolean awaitReadersGone(long deadlineNanos) throws InterruptedException {
        lock.lock();
        try {
            while (liveReaders > 0) {
                long remaining = deadlineNanos - System.nanoTime();
                if (remaining <= 0) {
                    return false;
                }
                readersChanged.awaitNanos(remaining);
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Stops serving without unmounting and gives up the master descriptor: readers stop, every
     * request already read is waited for (up to the drain timeout), clones are closed. If requests
     * stay unreplied past the timeout, the session serves again and this throws.
     */
    DetachedSession detach(String mountpoint) {
        lock.lock();
        try {
            if (state != State.RUNNING || connectionEnded) {
                throw StrataException.conflict("session of %s cannot be detached: it is %s", mountpoint,
                        connectionEnded ? "ended" : state.name().toLowerCase());
            }
            state = State.DETACHING;
        } finally {
            lock.unlock();
        }
        requestStop();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(options.drainTimeoutMs());
        boolean drained;
        try {
            drained = awaitReadersGone(deadline) && pool.awaitAllReturned(deadline - System.nanoTime());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            drained = false;
        }
        boolean ended;
        lock.lock();
        try {
            ended = connectionEnded;
            if (drained && !ended) {
                state = State.DETACHED;
            }
        } finally {
            lock.unlock();
        }
        if (ended) {
            shutdownFrom(State.DETACHING);
            throw StrataException.unavailable("connection of %s ended during the handover", mountpoint);
        }
        if (!drained) {
            int unanswered = pool.inUse();
            serveAgain();
            throw StrataException.unavailable("%d requests on %s still unanswered after %d ms; handover abandoned, "
                    + "serving again", unanswered, mountpoint, options.drainTimeoutMs());
        }
        guard.close(closeOnDetach());
        pool.close();
        finished.countDown();
        LOG.info("FUSE session of {} detached; descriptor {} handed over", mountpoint, masterFd);
        return new DetachedSession(masterFd, new HandoverState(mountpoint, options.fsName(), parameters));
    }

    private int[] closeOnDetach() {
        int[] fds = new int[cloneFds.length + 1];
        System.arraycopy(cloneFds, 0, fds, 0, cloneFds.length);
        fds[cloneFds.length] = wakeFd;
        return fds;
    }

    /** After an abandoned detach: readers that already stopped start again. */
    private void serveAgain() {
        try {
            awaitReadersGone(System.nanoTime() + TimeUnit.SECONDS.toNanos(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        clearWake();
        stopRequested = false;
        pool.startTaking();
        lock.lock();
        try {
            state = State.RUNNING;
            for (FuseQueue queue : queues) {
                liveReaders++;
                queue.start();
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Stops serving: readers stop, in-flight requests get up to the drain timeout to be replied,
     * descriptors are closed (which ends the connection if the mount still exists) and the file
     * system's destroy() runs. Does not unmount; {@link FuseMount#close} does that first.
     */
    void close() {
        shutdownFrom(State.RUNNING);
    }

    private void shutdown() {
        shutdownFrom(State.RUNNING);
    }

    private void shutdownFrom(State expected) {
        boolean mine;
        lock.lock();
        try {
            mine = state == expected;
            if (mine) {
                state = State.CLOSING;
            }
        } finally {
            lock.unlock();
        }
        if (!mine) {
            awaitFinishedQuietly();
            return;
        }
        requestStop();
        drainForClose();
        int[] all = new int[cloneFds.length + 2];
        all[0] = masterFd;
        System.arraycopy(cloneFds, 0, all, 1, cloneFds.length);
        all[all.length - 1] = wakeFd;
        guard.close(all);
        pool.close();
        lock.lock();
        try {
            state = State.CLOSED;
        } finally {
            lock.unlock();
        }
        if (destroyed.compareAndSet(false, true)) {
            try {
                fs.destroy();
            } catch (RuntimeException e) {
                LOG.warn("file system destroy failed", e);
            }
        }
        finished.countDown();
    }

    private void awaitFinishedQuietly() {
        try {
            if (!finished.await(options.drainTimeoutMs() * 2, TimeUnit.MILLISECONDS)) {
                LOG.warn("FUSE session of {} did not finish closing", options.fsName());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void drainForClose() {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(options.drainTimeoutMs());
        try {
            if (!awaitReadersGone(deadline)) {
                LOG.warn("FUSE readers of {} still running after {} ms", options.fsName(), options.drainTimeoutMs());
            }
            if (!pool.awaitAllReturned(deadline - System.nanoTime())) {
                LOG.warn("{} FUSE requests of {} unanswered after {} ms; their replies will be dropped",
                        pool.inUse(), options.fsName(), options.drainTimeoutMs());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
