package io.strata.protocol.nio;

import io.strata.protocol.Frame;
import io.strata.protocol.FrameType;
import io.strata.protocol.Hello;
import io.strata.protocol.HelloAck;
import io.strata.protocol.Negotiation;
import io.strata.protocol.ProtocolException;
import io.strata.protocol.auth.AuthAck;
import io.strata.protocol.auth.AuthRequest;
import io.strata.protocol.auth.Hmac;
import io.strata.protocol.auth.Principal;
import io.strata.protocol.rpc.RpcError;
import io.strata.runtime.Clock;
import io.strata.runtime.Json;
import io.strata.runtime.StrataException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The network of one role process: a selector its agent polls in every duty cycle, with no
 * thread of its own. It accepts connections on the process's port, opens connections to
 * other processes, runs the handshake (HELLO, version negotiation, AUTH) in both directions
 * without blocking, and hands complete frames to a {@link FrameHandler}.
 *
 * <p>Everything here runs on the owner's thread. Other threads that need the owner's attention
 * put work on the owner's own queue and call {@link #wakeup()}.
 *
 * <p>A peer that breaks the protocol (a bad length, a frame out of place, a failed proof, a
 * data frame from a principal that is not admitted) is logged and loses its connection; the
 * process goes on serving everyone else.
 */
public final class NioTransport implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(NioTransport.class);
    private static final long HANDSHAKE_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(10);
    private static final long HOUSEKEEPING_INTERVAL_NS = TimeUnit.MILLISECONDS.toNanos(200);
    private static final int MAX_ACCEPTS_PER_POLL = 16;
    private static final int MAX_GATHER = 64;

    private final TransportContext context;
    private final FrameHandler handler;
    private final Clock clock;
    private final Selector selector;
    private final ServerSocketChannel server;
    private final List<Connection> connections = new ArrayList<>();
    private final ByteBuffer[] gather = new ByteBuffer[MAX_GATHER];
    private long nextHousekeepingNanos;

    public NioTransport(TransportContext context, FrameHandler handler, Clock clock) {
        this.context = context;
        this.handler = handler;
        this.clock = clock;
        try {
            this.selector = Selector.open();
            if (context.bindAddress() != null) {
                server = ServerSocketChannel.open();
                server.setOption(StandardSocketOptions.SO_REUSEADDR, true);
                server.bind(context.bindAddress(), 256);
                server.configureBlocking(false);
                server.register(selector, SelectionKey.OP_ACCEPT);
            } else {
                server = null;
            }
        } catch (IOException e) {
            throw StrataException.unavailable("%s cannot listen on %s: %s", context.name(), context.bindAddress(), e.getMessage());
        }
    }

    public TransportContext context() {
        return context;
    }

    public Selector selector() {
        return selector;
    }

    /** The port accepted connections arrive on, or -1 for a connect-only transport. */
    public int boundPort() {
        return server == null ? -1 : server.socket().getLocalPort();
    }

    public List<Connection> connections() {
        return List.copyOf(connections);
    }

    /** Wakes the owner if it is parked in {@link Selector#select(long)}; safe from any thread. */
    public void wakeup() {
        selector.wakeup();
    }

    /** One bounded round of network work; returns how much was done (0 when idle). */
    public int poll() {
        int work = 0;
        try {
            selector.selectNow();
        } catch (IOException e) {
            throw new IllegalStateException(context.name() + ": selector failed", e);
        }
        Iterator<SelectionKey> keys = selector.selectedKeys().iterator();
        while (keys.hasNext()) {
            SelectionKey key = keys.next();
            keys.remove();
            work += handleKey(key);
        }
        long now = clock.nanoTime();
        if (now >= nextHousekeepingNanos) {
            nextHousekeepingNanos = now + HOUSEKEEPING_INTERVAL_NS;
            closeStalledHandshakes(now);
        }
        return work;
    }

    private int handleKey(SelectionKey key) {
        if (!key.isValid()) {
            return 0;
        }
        if (key.isAcceptable()) {
            return acceptAll();
        }
        Connection connection = (Connection) key.attachment();
        int work = 0;
        try {
            if (key.isConnectable()) {
                finishConnect(connection);
                work++;
            }
            if (key.isValid() && key.isReadable()) {
                work += read(connection);
            }
            if (key.isValid() && key.isWritable()) {
                flush(connection);
                work++;
            }
        } catch (ProtocolException e) {
            LOG.warn("{}: refused connection {}: {}", context.name(), connection, e.getMessage());
            close(connection, e.getMessage());
        } catch (IOException e) {
            close(connection, e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
        }
        return work;
    }

    private int acceptAll() {
        int accepted = 0;
        try {
            SocketChannel channel;
            while (accepted < MAX_ACCEPTS_PER_POLL && (channel = server.accept()) != null) {
                channel.configureBlocking(false);
                channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
                Connection connection = new Connection(this, channel, false,
                        (InetSocketAddress) channel.getRemoteAddress(), clock.nanoTime());
                connection.key = channel.register(selector, SelectionKey.OP_READ, connection);
                connections.add(connection);
                accepted++;
            }
        } catch (IOException e) {
            LOG.warn("{}: accept failed: {}", context.name(), e.getMessage());
        }
        return accepted;
    }

    /** Opens a connection; frames sent on it before the handshake finishes wait for it. */
    public Connection connect(InetSocketAddress address) {
        try {
            SocketChannel channel = SocketChannel.open();
            channel.configureBlocking(false);
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            Connection connection = new Connection(this, channel, true, address, clock.nanoTime());
            connections.add(connection);
            if (channel.connect(address)) {
                connection.key = channel.register(selector, SelectionKey.OP_READ, connection);
                sendHello(connection);
            } else {
                connection.key = channel.register(selector, SelectionKey.OP_CONNECT, connection);
            }
            return connection;
        } catch (IOException e) {
            throw StrataException.unavailable("%s cannot connect to %s:%d: %s", context.name(), address.getHostString(),
                    address.getPort(), e.getMessage());
        }
    }

    private void finishConnect(Connection connection) throws IOException {
        if (connection.channel.finishConnect()) {
            connection.key.interestOps(SelectionKey.OP_READ);
            sendHello(connection);
        }
    }

    private void sendHello(Connection connection) {
        connection.state = Connection.State.AWAIT_HELLO_ACK;
        Hello hello = new Hello(Hello.MAGIC, context.release().minProtocol(), context.release().protocol(),
                context.release().version(), context.name());
        connection.send(FrameType.HELLO, 0, Json.toBytes(hello));
    }

    private int read(Connection connection) throws IOException {
        ByteBuffer buffer = connection.readBuffer;
        int bytes = connection.channel.read(buffer);
        if (bytes < 0) {
            close(connection, "closed by peer");
            return 1;
        }
        int frames = 0;
        buffer.flip();
        while (buffer.remaining() >= Frame.LENGTH_FIELD_BYTES && !connection.isClosed()) {
            int start = buffer.position();
            int length = buffer.getInt(start);
            String problem = Frame.checkLength(length);
            if (problem != null) {
                throw new ProtocolException("malformed frame: " + problem);
            }
            int total = Frame.LENGTH_FIELD_BYTES + length;
            if (buffer.remaining() < total) {
                if (total > buffer.capacity()) {
                    growReadBuffer(connection, total);
                    return frames + 1;
                }
                break;
            }
            short type = buffer.getShort(start + 4);
            short flags = buffer.getShort(start + 6);
            long correlationId = buffer.getLong(start + 8);
            ByteBuffer payload = buffer.slice(start + Frame.HEADER_BYTES, total - Frame.HEADER_BYTES).order(Frame.ORDER);
            buffer.position(start + total);
            dispatch(connection, new Frame(type, flags, correlationId, payload));
            frames++;
        }
        if (!connection.isClosed()) {
            buffer.compact();
        }
        return Math.max(frames, 1);
    }

    private static void growReadBuffer(Connection connection, int frameBytes) {
        ByteBuffer bigger = ByteBuffer.allocateDirect(frameBytes).order(Frame.ORDER);
        bigger.put(connection.readBuffer);
        connection.readBuffer = bigger;
    }

    private void dispatch(Connection connection, Frame frame) {
        switch (connection.state) {
            case AWAIT_HELLO -> onHello(connection, frame);
            case AWAIT_HELLO_ACK -> onHelloAck(connection, frame);
            case AWAIT_AUTH_ACK -> onAuthAck(connection, frame);
            case OPEN -> onOpenFrame(connection, frame);
            default -> throw new ProtocolException("frame type " + frame.type() + " in state " + connection.state);
        }
    }

    private void onHello(Connection connection, Frame frame) {
        if (frame.type() != FrameType.HELLO) {
            throw new ProtocolException("first frame has type " + frame.type() + ", expected HELLO");
        }
        Hello hello = decode(frame, Hello.class);
        if (!Hello.MAGIC.equals(hello.magic())) {
            throw new ProtocolException("HELLO without the strata magic");
        }
        try {
            connection.protocol = Negotiation.choose(context.release().minProtocol(), context.release().protocol(),
                    hello.minProtocol(), hello.maxProtocol());
        } catch (ProtocolException e) {
            sendError(connection, frame.correlationId(), e);
            throw e;
        }
        connection.peerRelease = hello.release();
        connection.nonce = Hmac.newSecret(18);
        connection.state = Connection.State.OPEN;
        HelloAck ack = new HelloAck(connection.protocol, context.release().version(), connection.nonce, context.name(),
                context.clusterId().get());
        connection.send(FrameType.HELLO_ACK, frame.correlationId(), Json.toBytes(ack));
    }

    private void onHelloAck(Connection connection, Frame frame) {
        if (frame.type() == FrameType.ERROR) {
            throw new ProtocolException("refused by " + connection.remote + ": " + decode(frame, RpcError.class).message());
        }
        if (frame.type() != FrameType.HELLO_ACK) {
            throw new ProtocolException("expected HELLO_ACK, got frame type " + frame.type());
        }
        HelloAck ack = decode(frame, HelloAck.class);
        connection.protocol = ack.protocol();
        connection.peerRelease = ack.release();
        connection.peerClusterId = ack.clusterId();
        AuthRequest proof = context.credentials().prove(ack.nonce());
        if (proof == null) {
            becomeOpen(connection);
        } else {
            connection.state = Connection.State.AWAIT_AUTH_ACK;
            connection.send(FrameType.AUTH, 0, Json.toBytes(proof));
        }
    }

    private void onAuthAck(Connection connection, Frame frame) {
        if (frame.type() == FrameType.ERROR) {
            throw new ProtocolException("credentials refused by " + connection.remote + ": " + decode(frame, RpcError.class).message());
        }
        if (frame.type() != FrameType.AUTH_ACK) {
            throw new ProtocolException("expected AUTH_ACK, got frame type " + frame.type());
        }
        AuthAck ack = decode(frame, AuthAck.class);
        connection.principal = new Principal(Principal.Kind.valueOf(ack.kind()), ack.name(), ack.role());
        becomeOpen(connection);
    }

    private void becomeOpen(Connection connection) {
        connection.state = Connection.State.OPEN;
        connection.releaseWaitingFrames();
        flush(connection);
        handler.onReady(connection);
    }

    private void onOpenFrame(Connection connection, Frame frame) {
        if (!connection.outgoing && frame.type() == FrameType.AUTH) {
            authenticate(connection, frame);
            return;
        }
        if (frame.type() == FrameType.PING) {
            connection.send(FrameType.PONG, frame.correlationId(), frame.payloadBytes());
            return;
        }
        if (frame.type() < FrameType.FIRST_DATA_PLANE && frame.type() != FrameType.REQUEST && frame.type() != FrameType.PONG
                && frame.type() != FrameType.RESPONSE && frame.type() != FrameType.ERROR && frame.type() != FrameType.NOTICE) {
            throw new ProtocolException("unexpected frame type " + frame.type() + " on an open connection");
        }
        if (!connection.outgoing && !context.admits().test(connection.principal)) {
            throw new ProtocolException("frames from " + connection.principal.name() + " (" + connection.principal.kind()
                    + ") are not admitted here");
        }
        handler.onFrame(connection, frame);
    }

    private void authenticate(Connection connection, Frame frame) {
        AuthRequest request = decode(frame, AuthRequest.class);
        try {
            connection.principal = context.authenticator().authenticate(request, connection.nonce, connection.remote.toString());
            AuthAck ack = new AuthAck(connection.principal.kind().name(), connection.principal.name(), connection.principal.role());
            connection.send(FrameType.AUTH_ACK, frame.correlationId(), Json.toBytes(ack));
        } catch (StrataException e) {
            sendError(connection, frame.correlationId(), e);
            throw new ProtocolException(request.scheme() + " credentials of '" + request.subject() + "' refused: " + e.getMessage());
        }
    }

    private static <T> T decode(Frame frame, Class<T> type) {
        try {
            return Json.fromBytes(frame.payloadBytes(), type);
        } catch (StrataException e) {
            throw new ProtocolException("malformed " + type.getSimpleName() + ": " + e.getMessage());
        }
    }

    private void sendError(Connection connection, long correlationId, StrataException e) {
        connection.send(FrameType.ERROR, correlationId, Json.toBytes(new RpcError(e.code().name(), e.getMessage())));
        flush(connection);
    }

    /** Writes as much of the connection's queue as the socket takes now. */
    void flush(Connection connection) {
        if (connection.isClosed() || connection.state == Connection.State.CONNECTING) {
            return;
        }
        try {
            while (!connection.writeQueue.isEmpty()) {
                int count = 0;
                for (ByteBuffer buffer : connection.writeQueue) {
                    gather[count++] = buffer;
                    if (count == MAX_GATHER) {
                        break;
                    }
                }
                long written = connection.channel.write(gather, 0, count);
                java.util.Arrays.fill(gather, 0, count, null);
                connection.queuedBytes -= written;
                completeWritten(connection);
                if (written == 0) {
                    break;
                }
            }
        } catch (IOException e) {
            close(connection, e.getMessage());
            return;
        }
        int ops = connection.writeQueue.isEmpty() ? SelectionKey.OP_READ : SelectionKey.OP_READ | SelectionKey.OP_WRITE;
        if (connection.key.isValid() && connection.key.interestOps() != ops) {
            connection.key.interestOps(ops);
        }
    }

    private static void completeWritten(Connection connection) {
        while (!connection.writeQueue.isEmpty() && !connection.writeQueue.peek().hasRemaining()) {
            ByteBuffer done = connection.writeQueue.poll();
            if (!connection.callbackMarkers.isEmpty() && connection.callbackMarkers.peek() == done) {
                connection.callbackMarkers.poll();
                connection.writeCallbacks.poll().run();
            }
        }
    }

    void close(Connection connection, String reason) {
        if (connection.isClosed()) {
            return;
        }
        connection.state = Connection.State.CLOSED;
        if (connection.key != null) {
            connection.key.cancel();
        }
        connection.closeChannel();
        connections.remove(connection);
        connection.writeQueue.clear();
        connection.callbackMarkers.clear();
        Runnable callback;
        while ((callback = connection.writeCallbacks.poll()) != null) {
            callback.run();
        }
        connection.dropWaitingFrames();
        connection.queuedBytes = 0;
        handler.onClosed(connection, reason);
    }

    private void closeStalledHandshakes(long nowNanos) {
        for (Connection connection : List.copyOf(connections)) {
            if (!connection.isReady() && nowNanos - connection.openedAtNanos > HANDSHAKE_TIMEOUT_NS) {
                LOG.warn("{}: connection {} did not finish its handshake within 10 s; closed", context.name(), connection);
                close(connection, "handshake timed out");
            }
        }
    }

    @Override
    public void close() {
        for (Connection connection : List.copyOf(connections)) {
            close(connection, "transport closed");
        }
        try {
            if (server != null) {
                server.close();
            }
            selector.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }
}
