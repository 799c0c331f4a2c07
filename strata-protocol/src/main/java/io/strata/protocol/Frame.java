package io.strata.protocol;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * One unit on the wire. Layout (little-endian):
 *
 * <pre>
 *  0       4       6       8               16
 *  +-------+-------+-------+---------------+--------------------+
 *  |length | type  | flags | correlationId | payload ...        |
 *  +-------+-------+-------+---------------+--------------------+
 * </pre>
 *
 * {@code length} counts every byte after itself, so a frame is {@code 4 + length} bytes and its
 * payload is {@code length - 12} bytes. A length outside {@code 12..MAX_LENGTH} is malformed:
 * the receiver logs it and closes that connection, and goes on serving everyone else.
 */
public record Frame(short type, short flags, long correlationId, ByteBuffer payload) {
    public static final int HEADER_BYTES = 16;
    public static final int LENGTH_FIELD_BYTES = 4;
    public static final int MIN_LENGTH = HEADER_BYTES - LENGTH_FIELD_BYTES;
    /** Large enough for a 4 MiB chunk with its headers, small enough that a bad length cannot exhaust memory. */
    public static final int MAX_PAYLOAD_BYTES = 8 * 1024 * 1024;
    public static final int MAX_LENGTH = MIN_LENGTH + MAX_PAYLOAD_BYTES;
    public static final ByteOrder ORDER = ByteOrder.LITTLE_ENDIAN;

    public static Frame of(short type, long correlationId, byte[] payload) {
        return new Frame(type, (short) 0, correlationId, ByteBuffer.wrap(payload).order(ORDER));
    }

    public int payloadLength() {
        return payload.remaining();
    }

    public byte[] payloadBytes() {
        byte[] bytes = new byte[payload.remaining()];
        payload.duplicate().get(bytes);
        return bytes;
    }

    /** Writes the 16-byte header for a payload of {@code payloadLength} bytes into {@code out}. */
    public static void writeHeader(ByteBuffer out, short type, short flags, long correlationId, int payloadLength) {
        if (payloadLength < 0 || payloadLength > MAX_PAYLOAD_BYTES) {
            throw new IllegalArgumentException("payload of " + payloadLength + " bytes is outside 0.." + MAX_PAYLOAD_BYTES);
        }
        ByteOrder previous = out.order();
        out.order(ORDER);
        out.putInt(MIN_LENGTH + payloadLength);
        out.putShort(type);
        out.putShort(flags);
        out.putLong(correlationId);
        out.order(previous);
    }

    /** Checks a received length field; returns null when valid, else the reason. */
    public static String checkLength(int length) {
        if (length < MIN_LENGTH || length > MAX_LENGTH) {
            return "frame length " + length + " is outside " + MIN_LENGTH + ".." + MAX_LENGTH;
        }
        return null;
    }
}
