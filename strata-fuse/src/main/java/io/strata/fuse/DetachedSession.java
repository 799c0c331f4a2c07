package io.strata.fuse;

/**
 * A live FUSE connection that no process serves right now: its /dev/fuse descriptor and what the
 * kernel negotiated. Requests wait in the kernel until a session is resumed on it
 * ({@link FuseMount#resume}); closing it instead ends the connection (every process using the
 * mount then gets ENOTCONN), unless another copy of the descriptor is open somewhere.
 *
 * <p>A connection whose previous owner died may come with that owner's queue descriptors
 * ({@link #staleDescriptors()}): requests it had read wait on them, and closing them before the
 * kernel was asked to send those requests again would fail them.
 */
public final class DetachedSession implements AutoCloseable {
    private final int deviceFd;
    private final HandoverState state;
    private final int[] staleDescriptors;
    private boolean consumed;
    private boolean staleClosed;

    public DetachedSession(int deviceFd, HandoverState state) {
        this(deviceFd, state, new int[0]);
    }

    public DetachedSession(int deviceFd, HandoverState state, int[] staleDescriptors) {
        if (deviceFd < 0) {
            throw new IllegalArgumentException("descriptor " + deviceFd);
        }
        this.deviceFd = deviceFd;
        this.state = state.withDescriptors(state.unanswered(), staleDescriptors.length);
        this.staleDescriptors = staleDescriptors.clone();
    }

    public int deviceFd() {
        return deviceFd;
    }

    public HandoverState state() {
        return state;
    }

    /** The previous owner's queue descriptors of the same connection. */
    public int[] staleDescriptors() {
        return staleDescriptors.clone();
    }

    /** Takes the master descriptor over: this object no longer closes it. */
    synchronized int consume() {
        if (consumed) {
            throw new IllegalStateException("detached session of " + state.mountpoint() + " used twice");
        }
        consumed = true;
        return deviceFd;
    }

    /** Closes the previous owner's queue descriptors (once nothing waits on them). */
    public synchronized void closeStale() {
        if (!staleClosed) {
            staleClosed = true;
            for (int fd : staleDescriptors) {
                LibC.close(fd);
            }
        }
    }

    @Override
    public synchronized void close() {
        closeStale();
        if (!consumed) {
            consumed = true;
            LibC.close(deviceFd);
        }
    }
}
