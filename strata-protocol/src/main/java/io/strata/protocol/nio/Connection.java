package io.strata.protocol.nio;

import io.strata.protocol.Frame;
import io.strata.protocol.auth.Principal;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;

/**
 * One connection of a {@link NioTransport}, owned by the transport's thread: every method is
 * called on that thread only.
 *
 * <p>Sending never blocks: frames go to a bounded queue of buffers that the transport writes
 * with gathering writes whenever the socket can take more. Buffers handed to {@link #send} are
 * not copied; the caller gets them back through the {@code onSent} callback.
 */
public final class Connection {
    enum State { CONNECTING, AWAIT_HELLO, AWAIT_HELLO_ACK, AWAIT_AUTH_ACK, OPEN, CLOSED }

    private static final int INITIAL_READ_BUFFER_BYTES = 256 * 1024;

    final NioTransport transport;
    final SocketChannel channel;
    final boolean outgoing;
    final InetSocketAddress remote;
    final long openedAtNanos;
    SelectionKey key;
    State state;
    ByteBuffer readBuffer = ByteBuffer.allocateDirect(INITIAL_READ_BUFFER_BYTES).order(Frame.ORDER);
    final ArrayDeque<ByteBuffer> writeQueue = new ArrayDeque<>();
    final ArrayDeque<Runnable> writeCallbacks = new ArrayDeque<>();
    /** For each callback, the buffer whose full drain completes it. */
    final ArrayDeque<ByteBuffer> callbackMarkers = new ArrayDeque<>();
    private final ArrayDeque<PendingFrame> waitingForHandshake = new ArrayDeque<>();
    long queuedBytes;
    int protocol;
    String nonce;
    Principal principal = Principal.ANONYMOUS;
    String peerRelease;
    String peerClusterId;
    private Object attachment;

    Connection(NioTransport transport, SocketChannel channel, boolean outgoing, InetSocketAddress remote, long nowNanos) {
        this.transport = transport;
        this.channel = channel;
        this.outgoing = outgoing;
        this.remote = remote;
        this.openedAtNanos = nowNanos;
        this.state = outgoing ? State.CONNECTING : State.AWAIT_HELLO;
    }

    /** True once the handshake is done and frames may be sent. */
    public boolean isReady() {
        return state == State.OPEN;
    }

    public boolean isClosed() {
        return state == State.CLOSED;
    }

    public boolean isOutgoing() {
        return outgoing;
    }

    public int protocol() {
        return protocol;
    }

    public Principal principal() {
        return principal;
    }

    public String peerRelease() {
        return peerRelease;
    }

    public InetSocketAddress remote() {
        return remote;
    }

    public long queuedBytes() {
        return queuedBytes;
    }

    @SuppressWarnings("unchecked")
    public <T> T attachment() {
        return (T) attachment;
    }

    public void attach(Object value) {
        this.attachment = value;
    }

    /** Queues a frame with a small payload, copied. False when closed or over the queue bound. */
    public boolean send(short type, long correlationId, byte[] payload) {
        return send(type, correlationId, null, ByteBuffer.wrap(payload));
    }

    /**
     * Queues a frame whose payload is the concatenation of {@code parts}, without copying them.
     * {@code onSent} (may be null) runs on the transport thread once every part is written, or
     * when the connection closes first. Frames queued before the handshake finished wait for it.
     */
    public boolean send(short type, long correlationId, Runnable onSent, ByteBuffer... parts) {
        if (state == State.CLOSED) {
            if (onSent != null) {
                onSent.run();
            }
            return false;
        }
        int payloadBytes = 0;
        for (ByteBuffer part : parts) {
            payloadBytes += part.remaining();
        }
        if (queuedBytes + payloadBytes > transport.context().maxQueuedBytesPerConnection()) {
            if (onSent != null) {
                onSent.run();
            }
            return false;
        }
        ByteBuffer header = ByteBuffer.allocate(Frame.HEADER_BYTES);
        Frame.writeHeader(header, type, (short) 0, correlationId, payloadBytes);
        header.flip();
        PendingFrame frame = new PendingFrame(header, parts, onSent);
        queuedBytes += Frame.HEADER_BYTES + payloadBytes;
        if (state == State.OPEN || isHandshakeFrame(type)) {
            enqueue(frame);
            transport.flush(this);
        } else {
            waitingForHandshake.add(frame);
        }
        return true;
    }

    private record PendingFrame(ByteBuffer header, ByteBuffer[] parts, Runnable onSent) {
    }

    /** Moves the frames sent before the handshake finished onto the wire queue. */
    void releaseWaitingFrames() {
        PendingFrame frame;
        while ((frame = waitingForHandshake.poll()) != null) {
            enqueue(frame);
        }
    }

    private void enqueue(PendingFrame frame) {
        writeQueue.add(frame.header());
        ByteBuffer last = frame.header();
        for (ByteBuffer part : frame.parts()) {
            if (part.hasRemaining()) {
                writeQueue.add(part);
                last = part;
            }
        }
        if (frame.onSent() != null) {
            writeCallbacks.add(frame.onSent());
            callbackMarkers.add(last);
        }
    }

    /** Runs the callbacks of frames that will never be written. */
    void dropWaitingFrames() {
        PendingFrame frame;
        while ((frame = waitingForHandshake.poll()) != null) {
            if (frame.onSent() != null) {
                frame.onSent().run();
            }
        }
    }

    private static boolean isHandshakeFrame(short type) {
        return type <= io.strata.protocol.FrameType.AUTH_ACK || type == io.strata.protocol.FrameType.ERROR;
    }

    /** Closes now; queued frames are dropped and their callbacks run. */
    public void close() {
        transport.close(this, "closed by " + transport.context().name());
    }

    void closeChannel() {
        try {
            channel.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    @Override
    public String toString() {
        return (outgoing ? "to " : "from ") + remote.getHostString() + ":" + remote.getPort();
    }
}
