package io.strata.fuse;

/**
 * A live FUSE connection that no process serves right now: its /dev/fuse descriptor, with no
 * request read and unreplied, and what the kernel negotiated. Requests wait in the kernel until
 * a session is resumed on it ({@link FuseMount#resume}); closing it instead ends the connection
 * (every process using the mount then gets ENOTCONN).
 */
public final class DetachedSession implements AutoCloseable {
    private final int deviceFd;
    private final HandoverState state;
    private boolean consumed;

    public DetachedSession(int deviceFd, HandoverState state) {
        if (deviceFd < 0) {
            throw new IllegalArgumentException("descriptor " + deviceFd);
        }
        this.deviceFd = deviceFd;
        this.state = state;
    }

    public int deviceFd() {
        return deviceFd;
    }

    public HandoverState state() {
        return state;
    }

    /** Takes the descriptor over: this object no longer closes it. */
    synchronized int consume() {
        if (consumed) {
            throw new IllegalStateException("detached session of " + state.mountpoint() + " used twice");
        }
        consumed = true;
        return deviceFd;
    }

    @Override
    public synchronized void close() {
        if (!consumed) {
            consumed = true;
            LibC.close(deviceFd);
        }
    }
}
