package io.strata.fuse;

import io.strata.runtime.Json;
import io.strata.runtime.StrataException;

/**
 * Passes a live FUSE connection to another session, e.g. to a new process during an upgrade,
 * without unmounting: the /dev/fuse descriptor goes over a Unix socket (SCM_RIGHTS) with the
 * {@link HandoverState} as JSON, followed by one message per stale queue descriptor. The sender
 * first {@link FuseMount#detach() detaches} (which drains); the receiver
 * {@link FuseMount#resume resumes}. Until then requests wait in the kernel.
 */
public final class Handover {
    /** More queue descriptors than any session opens: a peer announcing more is not believed. */
    static final int MAX_CLONES = 256;
    private static final byte[] NO_PAYLOAD = "{}".getBytes(java.nio.charset.StandardCharsets.UTF_8);

    private Handover() {
    }

    /**
     * Sends the connection, then closes this process's copies of its descriptors (the messages in
     * flight hold their own references, so the connection lives on). If sending fails, the detached
     * session is left as it was, to retry or to resume here.
     */
    public static void send(UnixSocket socket, DetachedSession detached) {
        sendCopies(socket, detached.state(), detached.deviceFd(), detached.staleDescriptors());
        detached.close();
    }

    /** Sends duplicates of a connection's descriptors (the master, then {@code clones}); the caller keeps its own. */
    static void sendCopies(UnixSocket socket, HandoverState state, int master, int[] clones) {
        socket.send(Json.toBytes(state.withDescriptors(state.unanswered(), clones.length)), master);
        for (int clone : clones) {
            socket.send(NO_PAYLOAD, clone);
        }
    }

    /** Waits for a connection sent with {@link #send}. */
    public static DetachedSession receive(UnixSocket socket) {
        return receiveAfter(socket, socket.receive());
    }

    /** Completes a connection whose first message ({@code first}, with the master descriptor) was already read. */
    static DetachedSession receiveAfter(UnixSocket socket, UnixSocket.Received first) {
        if (first.descriptor() < 0) {
            throw StrataException.invalid("handover message came without a descriptor");
        }
        int[] clones = new int[0];
        int received = 0;
        try {
            HandoverState state = Json.fromBytes(first.payload(), HandoverState.class);
            if (state.mountpoint() == null || state.parameters() == null) {
                throw StrataException.invalid("handover message names no mountpoint or no session parameters");
            }
            if (state.clones() < 0 || state.clones() > MAX_CLONES) {
                throw StrataException.invalid("handover announced %d queue descriptors (at most %d)", state.clones(), MAX_CLONES);
            }
            clones = new int[state.clones()];
            for (; received < clones.length; received++) {
                UnixSocket.Received next = socket.receive();
                if (next.descriptor() < 0) {
                    throw StrataException.invalid("queue descriptor %d of %d came without a descriptor", received + 1, clones.length);
                }
                clones[received] = next.descriptor();
            }
            return new DetachedSession(first.descriptor(), state, clones);
        } catch (RuntimeException e) {
            LibC.close(first.descriptor());
            for (int i = 0; i < received; i++) {
                LibC.close(clones[i]);
            }
            throw e;
        }
    }
}
