package io.strata.protocol;

/**
 * The kinds of frame. Types below 32 are the connection's own business (handshake, control RPC);
 * from 32 on they belong to the data plane and are defined by the process that serves them.
 */
public final class FrameType {
    public static final short HELLO = 1;
    public static final short HELLO_ACK = 2;
    public static final short AUTH = 3;
    public static final short AUTH_ACK = 4;
    public static final short REQUEST = 5;
    public static final short RESPONSE = 6;
    public static final short ERROR = 7;
    /** A one-way notice; no reply is expected. */
    public static final short NOTICE = 8;
    /** Liveness check any open connection answers with a PONG carrying the same payload. */
    public static final short PING = 9;
    public static final short PONG = 10;

    public static final short FIRST_DATA_PLANE = 32;

    private FrameType() {
    }
}
