package io.strata.fuse;

import java.lang.foreign.MemorySegment;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The answer to one request, completed exactly once, from any thread: with a value (through the
 * subclass's methods) or with {@link #error(int)}. Completing writes the reply to /dev/fuse at
 * once and gives the request's buffer back to the pool, so after it the request's payload
 * segments must no longer be touched. A second completion is a programming error and throws.
 */
public abstract sealed class Reply
        permits EmptyReply, EntryReply, AttrReply, OpenReply, CreateReply, ReadReply, WriteReply, StatfsReply,
        ReadlinkReply, DirectoryReply, XattrReply, LseekReply {

    /** Encodes a reply body into the buffer after the out header; answers the total length. */
    @FunctionalInterface
    interface Encoder {
        int encode(MemorySegment buffer);
    }

    private final Request request;
    private final RequestBuffer buffer;
    private final ReplyChannel channel;
    private final BufferPool pool;
    private final AtomicBoolean completed = new AtomicBoolean();

    Reply(Request request, RequestBuffer buffer, ReplyChannel channel, BufferPool pool) {
        this.request = request;
        this.buffer = buffer;
        this.channel = channel;
        this.pool = pool;
        buffer.reply = this;
    }

    public final Request request() {
        return request;
    }

    public final boolean isCompleted() {
        return completed.get();
    }

    /** Fails the operation with a positive errno ({@link Errno}). */
    public final void error(int errno) {
        if (errno <= 0 || errno >= 4096) {
            throw new IllegalArgumentException("errno must be in 1..4095, not " + errno);
        }
        complete(b -> {
            Wire.putOutHeader(b, Wire.OUT_HEADER_SIZE, -errno, request.unique());
            return Wire.OUT_HEADER_SIZE;
        });
    }

    /** The buffer's memory for an encoder that fills it in place (read replies). */
    final MemorySegment memory() {
        return buffer.memory;
    }

    final long unique() {
        return request.unique();
    }

    /** Claims the reply; throws if it was completed already. */
    private void claim() {
        if (!completed.compareAndSet(false, true)) {
            throw new IllegalStateException("reply to " + request + " completed twice");
        }
    }

    /** Encodes and sends the reply in one write, then returns the buffer. */
    final void complete(Encoder encoder) {
        claim();
        try {
            int length;
            try {
                length = encoder.encode(buffer.memory);
            } catch (RuntimeException e) {
                Wire.putOutHeader(buffer.memory, Wire.OUT_HEADER_SIZE, -Errno.EIO, request.unique());
                channel.send(buffer.memory, Wire.OUT_HEADER_SIZE);
                throw e;
            }
            channel.send(buffer.memory, length);
        } finally {
            pool.release(buffer);
        }
    }

    /** Sends the header (already in the buffer) and a native body in one writev, then returns the buffer. */
    final void completeWithBody(MemorySegment body) {
        claim();
        try {
            long length = Wire.OUT_HEADER_SIZE + body.byteSize();
            Wire.putOutHeader(buffer.memory, (int) length, 0, request.unique());
            MemorySegment scratch = buffer.memory.asSlice(Wire.OUT_HEADER_SIZE, 32);
            channel.send(buffer.memory, Wire.OUT_HEADER_SIZE, body, body.byteSize(), scratch);
        } finally {
            pool.release(buffer);
        }
    }
}
