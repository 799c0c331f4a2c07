package io.strata.protocol.nio;

import io.strata.protocol.Frame;

/**
 * What a transport's owner does with what arrives. Called on the owner's thread only, from
 * {@link NioTransport#poll()}. A frame's payload is a view into the connection's read buffer:
 * it is valid during the call only, so copy what must outlive it.
 */
public interface FrameHandler {
    void onFrame(Connection connection, Frame frame);

    /** The handshake finished (both directions): frames may flow. */
    default void onReady(Connection connection) {
    }

    default void onClosed(Connection connection, String reason) {
    }
}
