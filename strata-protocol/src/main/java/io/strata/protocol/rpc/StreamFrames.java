package io.strata.protocol.rpc;

import io.strata.protocol.Frame;
import io.strata.protocol.ProtocolException;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Frames over blocking streams, for control connections (one virtual thread per connection). */
public final class StreamFrames {
    private StreamFrames() {
    }

    /** Reads one frame; EOFException when the peer closed between frames. */
    public static Frame read(DataInputStream in) throws IOException {
        byte[] lengthBytes = new byte[Frame.LENGTH_FIELD_BYTES];
        int first = in.read();
        if (first < 0) {
            throw new EOFException("connection closed");
        }
        lengthBytes[0] = (byte) first;
        in.readFully(lengthBytes, 1, 3);
        int length = ByteBuffer.wrap(lengthBytes).order(ByteOrder.LITTLE_ENDIAN).getInt();
        String problem = Frame.checkLength(length);
        if (problem != null) {
            throw new ProtocolException("malformed frame: " + problem);
        }
        byte[] rest = new byte[length];
        in.readFully(rest);
        ByteBuffer header = ByteBuffer.wrap(rest).order(ByteOrder.LITTLE_ENDIAN);
        short type = header.getShort();
        short flags = header.getShort();
        long correlationId = header.getLong();
        ByteBuffer payload = ByteBuffer.wrap(rest, Frame.MIN_LENGTH, length - Frame.MIN_LENGTH).slice().order(Frame.ORDER);
        return new Frame(type, flags, correlationId, payload);
    }

    /** Writes one frame and flushes; callers that share a stream hold its lock. */
    public static void write(OutputStream out, short type, long correlationId, byte[] payload) throws IOException {
        ByteBuffer header = ByteBuffer.allocate(Frame.HEADER_BYTES);
        Frame.writeHeader(header, type, (short) 0, correlationId, payload.length);
        out.write(header.array());
        out.write(payload);
        out.flush();
    }
}
