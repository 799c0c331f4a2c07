package io.strata.protocol.rpc;

import io.strata.protocol.Frame;
import io.strata.protocol.FrameType;
import io.strata.protocol.Hello;
import io.strata.protocol.HelloAck;
import io.strata.protocol.Negotiation;
import io.strata.protocol.ProtocolException;
import io.strata.protocol.auth.AuthAck;
import io.strata.protocol.auth.AuthRequest;
import io.strata.protocol.auth.Authenticator;
import io.strata.protocol.auth.Hmac;
import io.strata.protocol.auth.Principal;
import io.strata.runtime.ErrorCode;
import io.strata.runtime.Json;
import io.strata.runtime.Release;
import io.strata.runtime.StrataException;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves control RPC on one port: a virtual thread per connection and per request, so a slow
 * call (a long poll, a change waiting for consensus) holds up nobody else.
 *
 * <p>Every connection starts with HELLO (protocol negotiation, a fresh nonce), may then AUTH,
 * and then sends REQUESTs. A malformed or out-of-place frame is logged with the peer's address
 * and closes that connection only; the server goes on serving.
 */
public final class ControlServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ControlServer.class);
    private static final int HANDSHAKE_TIMEOUT_MS = 10_000;
    private static final int MAX_IN_FLIGHT_PER_CONNECTION = 64;

    private final String serverKind;
    private final RpcRegistry registry;
    private final Authenticator authenticator;
    private final Supplier<String> clusterId;
    private final Release release;
    private final ServerSocket serverSocket;
    private final Set<Socket> connections = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;
    private Thread acceptor;

    public ControlServer(String serverKind, InetSocketAddress bindAddress, RpcRegistry registry, Authenticator authenticator,
            Supplier<String> clusterId, Release release) {
        this.serverKind = serverKind;
        this.registry = registry;
        this.authenticator = authenticator;
        this.clusterId = clusterId;
        this.release = release;
        try {
            this.serverSocket = new ServerSocket();
            serverSocket.setReuseAddress(true);
            serverSocket.bind(bindAddress, 128);
        } catch (IOException e) {
            throw StrataException.unavailable("cannot listen on %s:%d: %s", bindAddress.getHostString(), bindAddress.getPort(), e.getMessage());
        }
    }

    public ControlServer start() {
        acceptor = Thread.ofPlatform().daemon().name(serverKind + "-accept-" + port()).start(this::acceptLoop);
        return this;
    }

    public int port() {
        return serverSocket.getLocalPort();
    }

    public InetAddress address() {
        return serverSocket.getInetAddress();
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                Socket socket = serverSocket.accept();
                socket.setTcpNoDelay(true);
                connections.add(socket);
                Thread.ofVirtual().name(serverKind + "-conn").start(() -> serve(socket));
            } catch (IOException e) {
                if (!closed) {
                    LOG.warn("{} accept on port {} failed: {}", serverKind, port(), e.getMessage());
                }
            }
        }
    }

    private void serve(Socket socket) {
        String peer = socket.getRemoteSocketAddress().toString();
        try (socket) {
            DataInputStream in = new DataInputStream(new BufferedInputStream(socket.getInputStream(), 64 * 1024));
            OutputStream out = new BufferedOutputStream(socket.getOutputStream(), 64 * 1024);
            socket.setSoTimeout(HANDSHAKE_TIMEOUT_MS);
            Session session = handshake(in, out, peer);
            socket.setSoTimeout(0);
            Semaphore inFlight = new Semaphore(MAX_IN_FLIGHT_PER_CONNECTION);
            while (!closed) {
                Frame frame = StreamFrames.read(in);
                if (frame.type() == FrameType.AUTH) {
                    session = authenticate(session, frame, out, peer);
                    continue;
                }
                if (frame.type() != FrameType.REQUEST) {
                    throw new ProtocolException("unexpected frame type " + frame.type() + " after the handshake");
                }
                inFlight.acquire();
                Session current = session;
                Thread.ofVirtual().name(serverKind + "-call").start(() -> {
                    try {
                        answer(current, frame, out);
                    } finally {
                        inFlight.release();
                    }
                });
            }
        } catch (EOFException | SocketException e) {
            // the peer went away between frames; nothing to report
        } catch (SocketTimeoutException e) {
            LOG.warn("{} port {}: {} sent no handshake within {} ms; closed", serverKind, port(), peer, HANDSHAKE_TIMEOUT_MS);
        } catch (ProtocolException e) {
            LOG.warn("{} port {}: refused {}: {}", serverKind, port(), peer, e.getMessage());
        } catch (IOException e) {
            LOG.debug("{} port {}: connection from {} ended: {}", serverKind, port(), peer, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            connections.remove(socket);
        }
    }

    private record Session(Principal principal, int protocol, String nonce, String peerRelease, String peerKind) {
    }

    private Session handshake(DataInputStream in, OutputStream out, String peer) throws IOException {
        Frame frame = StreamFrames.read(in);
        if (frame.type() != FrameType.HELLO) {
            throw new ProtocolException("first frame has type " + frame.type() + ", expected HELLO");
        }
        Hello hello;
        try {
            hello = Json.fromBytes(frame.payloadBytes(), Hello.class);
        } catch (StrataException e) {
            throw new ProtocolException("malformed HELLO: " + e.getMessage());
        }
        if (!Hello.MAGIC.equals(hello.magic())) {
            throw new ProtocolException("HELLO without the strata magic");
        }
        int protocol;
        try {
            protocol = Negotiation.choose(release.minProtocol(), release.protocol(), hello.minProtocol(), hello.maxProtocol());
        } catch (ProtocolException e) {
            sendError(out, frame.correlationId(), e);
            throw e;
        }
        String nonce = Hmac.newSecret(18);
        HelloAck ack = new HelloAck(protocol, release.version(), nonce, serverKind, clusterId.get());
        synchronized (out) {
            StreamFrames.write(out, FrameType.HELLO_ACK, frame.correlationId(), Json.toBytes(ack));
        }
        return new Session(Principal.ANONYMOUS, protocol, nonce, hello.release(), hello.peer());
    }

    private Session authenticate(Session session, Frame frame, OutputStream out, String peer) throws IOException {
        AuthRequest request;
        try {
            request = Json.fromBytes(frame.payloadBytes(), AuthRequest.class);
        } catch (StrataException e) {
            throw new ProtocolException("malformed AUTH: " + e.getMessage());
        }
        try {
            Principal principal = authenticator.authenticate(request, session.nonce(), peer);
            synchronized (out) {
                StreamFrames.write(out, FrameType.AUTH_ACK, frame.correlationId(),
                        Json.toBytes(new AuthAck(principal.kind().name(), principal.name(), principal.role())));
            }
            return new Session(principal, session.protocol(), session.nonce(), session.peerRelease(), session.peerKind());
        } catch (StrataException e) {
            LOG.warn("{} port {}: refused {} credentials of '{}' from {}: {}", serverKind, port(), request.scheme(),
                    request.subject(), peer, e.getMessage());
            sendError(out, frame.correlationId(), e);
            return session;
        }
    }

    private void answer(Session session, Frame frame, OutputStream out) {
        RpcContext context = new RpcContext(session.principal(), session.protocol(), "", session.peerRelease(), session.peerKind());
        try {
            RpcRequest request;
            try {
                request = Json.fromBytes(frame.payloadBytes(), RpcRequest.class);
            } catch (StrataException e) {
                throw new StrataException(ErrorCode.PROTOCOL, "malformed request: " + e.getMessage());
            }
            byte[] result = Json.toBytes(registry.dispatch(context, request));
            synchronized (out) {
                StreamFrames.write(out, FrameType.RESPONSE, frame.correlationId(), result);
            }
        } catch (StrataException e) {
            sendErrorQuietly(out, frame.correlationId(), e);
        } catch (Exception e) {
            LOG.error("{} port {}: request failed", serverKind, port(), e);
            sendErrorQuietly(out, frame.correlationId(), new StrataException(ErrorCode.INTERNAL,
                    "internal error: " + e.getClass().getSimpleName() + ": " + e.getMessage()));
        }
    }

    private static void sendError(OutputStream out, long correlationId, StrataException e) throws IOException {
        synchronized (out) {
            StreamFrames.write(out, FrameType.ERROR, correlationId, Json.toBytes(new RpcError(e.code().name(), e.getMessage())));
        }
    }

    private static void sendErrorQuietly(OutputStream out, long correlationId, StrataException e) {
        try {
            sendError(out, correlationId, e);
        } catch (IOException ignored) {
            // the connection is gone; the peer will see that instead
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            serverSocket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        for (Socket socket : connections) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
        if (acceptor != null) {
            try {
                acceptor.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
