package io.strata.protocol.rpc;

import com.fasterxml.jackson.databind.JsonNode;
import io.strata.protocol.Frame;
import io.strata.protocol.FrameType;
import io.strata.protocol.Hello;
import io.strata.protocol.HelloAck;
import io.strata.protocol.ProtocolException;
import io.strata.protocol.auth.AuthAck;
import io.strata.protocol.auth.AuthRequest;
import io.strata.protocol.auth.Credentials;
import io.strata.runtime.ErrorCode;
import io.strata.runtime.Json;
import io.strata.runtime.Release;
import io.strata.runtime.StrataException;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;

/**
 * One blocking control connection to a management process or a host agent. Calls are made one
 * at a time; a caller that needs concurrency opens another client.
 */
public final class ControlClient implements AutoCloseable {
    public static final int DEFAULT_CONNECT_TIMEOUT_MS = 3_000;
    public static final int DEFAULT_CALL_TIMEOUT_MS = 30_000;

    private final InetSocketAddress address;
    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    private final HelloAck helloAck;
    private AuthAck authAck;
    private long nextCorrelationId = 1;

    private ControlClient(InetSocketAddress address, Socket socket, HelloAck helloAck, AuthAck authAck,
            DataInputStream in, OutputStream out) {
        this.address = address;
        this.socket = socket;
        this.helloAck = helloAck;
        this.authAck = authAck;
        this.in = in;
        this.out = out;
    }

    public static ControlClient connect(InetSocketAddress address, Credentials credentials, String peerKind) {
        return connect(address, credentials, peerKind, DEFAULT_CONNECT_TIMEOUT_MS, Release.current());
    }

    public static ControlClient connect(InetSocketAddress address, Credentials credentials, String peerKind,
            int connectTimeoutMs, Release release) {
        Socket socket = new Socket();
        try {
            socket.setTcpNoDelay(true);
            socket.connect(address, connectTimeoutMs);
            socket.setSoTimeout(DEFAULT_CALL_TIMEOUT_MS);
            DataInputStream in = new DataInputStream(new BufferedInputStream(socket.getInputStream(), 64 * 1024));
            OutputStream out = new BufferedOutputStream(socket.getOutputStream(), 64 * 1024);
            Hello hello = new Hello(Hello.MAGIC, release.minProtocol(), release.protocol(), release.version(), peerKind);
            StreamFrames.write(out, FrameType.HELLO, 0, Json.toBytes(hello));
            HelloAck ack = Json.fromBytes(expect(StreamFrames.read(in), FrameType.HELLO_ACK, address).payloadBytes(), HelloAck.class);
            AuthAck authAck = null;
            AuthRequest proof = credentials.prove(ack.nonce());
            if (proof != null) {
                StreamFrames.write(out, FrameType.AUTH, 0, Json.toBytes(proof));
                authAck = Json.fromBytes(expect(StreamFrames.read(in), FrameType.AUTH_ACK, address).payloadBytes(), AuthAck.class);
            }
            return new ControlClient(address, socket, ack, authAck, in, out);
        } catch (StrataException e) {
            closeQuietly(socket);
            throw e;
        } catch (SocketTimeoutException e) {
            closeQuietly(socket);
            throw new StrataException(ErrorCode.TIMEOUT, "no answer from " + describe(address) + " within "
                    + DEFAULT_CALL_TIMEOUT_MS / 1000 + " s");
        } catch (IOException e) {
            closeQuietly(socket);
            throw StrataException.unavailable("cannot reach %s: %s", describe(address), e.getMessage());
        }
    }

    private static Frame expect(Frame frame, short type, InetSocketAddress address) {
        if (frame.type() == FrameType.ERROR) {
            throw toException(frame);
        }
        if (frame.type() != type) {
            throw new ProtocolException(describe(address) + " answered with frame type " + frame.type() + ", expected " + type);
        }
        return frame;
    }

    static StrataException toException(Frame frame) {
        RpcError error = Json.fromBytes(frame.payloadBytes(), RpcError.class);
        return new StrataException(ErrorCode.parse(error.code()), error.message());
    }

    public static String describe(InetSocketAddress address) {
        return address.getHostString() + ":" + address.getPort();
    }

    public HelloAck hello() {
        return helloAck;
    }

    /** Who the server took us for, or null when we did not authenticate. */
    public AuthAck identity() {
        return authAck;
    }

    /** Proves {@code credentials} on this open connection (for a client that learned the cluster id first). */
    public synchronized AuthAck authenticate(Credentials credentials) {
        AuthRequest proof = credentials.prove(helloAck.nonce());
        if (proof == null) {
            return authAck;
        }
        try {
            StreamFrames.write(out, FrameType.AUTH, 0, Json.toBytes(proof));
            authAck = Json.fromBytes(expect(StreamFrames.read(in), FrameType.AUTH_ACK, address).payloadBytes(), AuthAck.class);
            return authAck;
        } catch (IOException e) {
            close();
            throw StrataException.unavailable("lost connection to %s while authenticating: %s", describe(address), e.getMessage());
        }
    }

    public InetSocketAddress address() {
        return address;
    }

    public int protocol() {
        return helloAck.protocol();
    }

    public JsonNode call(String method, Object params) {
        return call(method, params, DEFAULT_CALL_TIMEOUT_MS);
    }

    public <T> T call(String method, Object params, Class<T> resultType) {
        return Json.fromTree(call(method, params), resultType);
    }

    public synchronized JsonNode call(String method, Object params, int timeoutMs) {
        long correlationId = nextCorrelationId++;
        RpcRequest request = new RpcRequest(method, params == null ? null : Json.toTree(params));
        try {
            socket.setSoTimeout(timeoutMs);
            StreamFrames.write(out, FrameType.REQUEST, correlationId, Json.toBytes(request));
            while (true) {
                Frame frame = StreamFrames.read(in);
                if (frame.correlationId() != correlationId) {
                    continue; // an answer to a call that timed out earlier
                }
                if (frame.type() == FrameType.ERROR) {
                    throw toException(frame);
                }
                if (frame.type() != FrameType.RESPONSE) {
                    throw new ProtocolException(describe(address) + " answered with frame type " + frame.type());
                }
                return Json.mapper().readTree(frame.payloadBytes());
            }
        } catch (SocketTimeoutException e) {
            close();
            throw new StrataException(ErrorCode.TIMEOUT, method + " got no answer from " + describe(address) + " within "
                    + timeoutMs / 1000.0 + " s");
        } catch (IOException e) {
            close();
            throw StrataException.unavailable("lost connection to %s during %s: %s", describe(address), method, e.getMessage());
        }
    }

    public boolean isOpen() {
        return !socket.isClosed();
    }

    @Override
    public void close() {
        closeQuietly(socket);
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // nothing to do
        }
    }
}
