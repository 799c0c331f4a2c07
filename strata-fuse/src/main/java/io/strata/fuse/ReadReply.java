package io.strata.fuse;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;

/**
 * The reply to read: at most {@link #requestedBytes()} bytes; fewer mean end of file. Three ways
 * to answer, by where the data is:
 * <ul>
 *   <li>{@link #buffer()} then {@link #ok(int)}: fill the request's own buffer in place, sent with
 *       a single write(2) and no copy by this layer (the way for data that must be copied anyway);</li>
 *   <li>{@link #data(MemorySegment)} with native memory (or a direct ByteBuffer): sent as it is,
 *       header and data in one writev(2); the memory must stay valid until the call returns;</li>
 *   <li>{@link #data(byte[], int, int)} or a heap segment/buffer: copied into the request's buffer,
 *       then a single write(2).</li>
 * </ul>
 */
public final class ReadReply extends Reply {
    private final int requestedBytes;

    ReadReply(Request request, RequestBuffer buffer, ReplyChannel channel, BufferPool pool, int requestedBytes) {
        super(request, buffer, channel, pool);
        this.requestedBytes = (int) Math.min(requestedBytes, buffer.memory.byteSize() - Wire.OUT_HEADER_SIZE);
    }

    /** The most bytes this reply may carry. */
    public int requestedBytes() {
        return requestedBytes;
    }

    /** Memory of {@link #requestedBytes()} bytes to fill in place before {@link #ok(int)}. */
    public MemorySegment buffer() {
        return memory().asSlice(Wire.OUT_HEADER_SIZE, requestedBytes);
    }

    /** Sends the first {@code length} bytes of {@link #buffer()}. */
    public void ok(int length) {
        checkLength(length);
        complete(b -> {
            int total = Wire.OUT_HEADER_SIZE + length;
            Wire.putOutHeader(b, total, 0, unique());
            return total;
        });
    }

    public void data(MemorySegment data) {
        checkLength(data.byteSize());
        if (data.isNative()) {
            completeWithBody(data);
        } else {
            MemorySegment.copy(data, 0, memory(), Wire.OUT_HEADER_SIZE, data.byteSize());
            ok((int) data.byteSize());
        }
    }

    public void data(ByteBuffer data) {
        data(MemorySegment.ofBuffer(data));
    }

    public void data(byte[] data, int offset, int length) {
        checkLength(length);
        MemorySegment.copy(data, offset, memory(), ValueLayout.JAVA_BYTE, Wire.OUT_HEADER_SIZE, length);
        ok(length);
    }

    private void checkLength(long length) {
        if (length < 0 || length > requestedBytes) {
            throw new IllegalArgumentException("read reply of " + length + " bytes, " + requestedBytes + " asked");
        }
    }
}
