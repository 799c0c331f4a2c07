package io.strata.fuse;

/**
 * Who asks for an operation, and on what: the kernel's request header, decoded. A file system
 * may read it from any thread until it completes the request's reply.
 *
 * <p>An interrupt (the calling process got a signal) sets {@link #isInterrupted()} and runs the
 * listener given to {@link #onInterrupt}, on the reader thread that received the INTERRUPT. A
 * file system that can abandon the operation then replies {@link Errno#EINTR}; one that cannot
 * simply completes as usual. Interrupts are advisory: one that races with the request's arrival
 * on another queue is dropped.
 */
public final class Request {
    private final long unique;
    private final int opcode;
    private final long nodeId;
    private final int uid;
    private final int gid;
    private final int pid;
    private boolean interrupted;
    private Runnable interruptListener;

    public Request(long unique, int opcode, long nodeId, int uid, int gid, int pid) {
        this.unique = unique;
        this.opcode = opcode;
        this.nodeId = nodeId;
        this.uid = uid;
        this.gid = gid;
        this.pid = pid;
    }

    /** The kernel's id of this request, unique among those in flight. */
    public long unique() {
        return unique;
    }

    public int opcode() {
        return opcode;
    }

    /** The inode the operation is on (for create-like operations, the parent directory). */
    public long nodeId() {
        return nodeId;
    }

    public int uid() {
        return uid;
    }

    public int gid() {
        return gid;
    }

    /** The calling thread group; 0 for requests the kernel makes on its own (readahead, forget). */
    public int pid() {
        return pid;
    }

    public synchronized boolean isInterrupted() {
        return interrupted;
    }

    /** Runs {@code listener} when the kernel interrupts this request (at once if it already has). */
    public void onInterrupt(Runnable listener) {
        boolean runNow;
        synchronized (this) {
            interruptListener = listener;
            runNow = interrupted;
        }
        if (runNow) {
            listener.run();
        }
    }

    void interrupt() {
        Runnable listener;
        synchronized (this) {
            if (interrupted) {
                return;
            }
            interrupted = true;
            listener = interruptListener;
        }
        if (listener != null) {
            listener.run();
        }
    }

    @Override
    public String toString() {
        return "request " + unique + " op " + opcode + " node " + nodeId + " uid " + uid + " pid " + pid;
    }
}
