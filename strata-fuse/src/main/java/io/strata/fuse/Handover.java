package io.strata.fuse;

import io.strata.runtime.Json;
import io.strata.runtime.StrataException;

/**
 * Passes a live FUSE connection to another session, e.g. to a new process during an upgrade,
 * without unmounting: the /dev/fuse descriptor goes over a Unix socket (SCM_RIGHTS) with the
 * {@link HandoverState} as JSON. The sender first {@link FuseMount#detach() detaches} (which
 * drains); the receiver {@link FuseMount#resume resumes}. Until then requests wait in the kernel.
 */
public final class Handover {
    private Handover() {
    }

    /**
     * Sends the connection, then closes this process's copy of the descriptor (the message in
     * flight holds its own reference, so the connection lives on). If sending fails, the detached
     * session is left as it was, to retry or to resume here.
     */
    public static void send(UnixSocket socket, DetachedSession detached) {
        socket.send(Json.toBytes(detached.state()), detached.deviceFd());
        detached.close();
    }

    /** Waits for a connection sent with {@link #send}. */
    public static DetachedSession receive(UnixSocket socket) {
        UnixSocket.Received received = socket.receive();
        if (received.descriptor() < 0) {
            throw StrataException.invalid("handover message came without a descriptor");
        }
        try {
            return new DetachedSession(received.descriptor(), Json.fromBytes(received.payload(), HandoverState.class));
        } catch (RuntimeException e) {
            LibC.close(received.descriptor());
            throw e;
        }
    }
}
