package io.strata.drive.wire;

import io.strata.protocol.Frame;
import io.strata.protocol.ProtocolException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The frames a drive process serves, with fixed little-endian headers (no allocation to decode):
 *
 * <pre>
 * CHUNK_WRITE  drive:i32 address:i64 extentId:i64 shard:i16 pad:i16 bucket:i32 term:i64 length:i32 | payload
 * CHUNK_READ   drive:i32 address:i64 extentId:i64 shard:i16 pad:i16 offset:i32 length:i32
 * DRIVE_FENCE  drive:i32 bucket:i32 term:i64
 * CHUNK_RESULT status:i16 pad:i16 length:i32 | data (reads)
 * </pre>
 *
 * Answers carry the request's correlation id. {@code status} is a {@code ChunkStatus} ordinal,
 * or {@link #STATUS_BUSY} / {@link #STATUS_NO_DRIVE} from the process itself.
 */
public final class DriveFrames {
    public static final short CHUNK_WRITE = 32;
    public static final short CHUNK_READ = 33;
    public static final short DRIVE_FENCE = 34;
    public static final short CHUNK_RESULT = 35;

    public static final int WRITE_HEADER_BYTES = 40;
    public static final int READ_BYTES = 32;
    public static final int FENCE_BYTES = 16;
    public static final int RESULT_HEADER_BYTES = 8;

    /** The process has no free buffer or queue slot right now; try again shortly. */
    public static final short STATUS_BUSY = 100;
    /** The process does not serve that drive (not (yet) opened here). */
    public static final short STATUS_NO_DRIVE = 101;

    private DriveFrames() {
    }

    public record WriteHeader(int drive, long address, long extentId, int shard, int bucket, long term, int length) {
    }

    public record ReadRequest(int drive, long address, long extentId, int shard, int offset, int length) {
    }

    public record FenceRequest(int drive, int bucket, long term) {
    }

    public static ByteBuffer writeHeader(WriteHeader header) {
        ByteBuffer out = ByteBuffer.allocate(WRITE_HEADER_BYTES).order(Frame.ORDER);
        out.putInt(header.drive()).putLong(header.address()).putLong(header.extentId()).putShort((short) header.shard())
                .putShort((short) 0).putInt(header.bucket()).putLong(header.term()).putInt(header.length());
        return out.flip();
    }

    public static WriteHeader readWriteHeader(ByteBuffer payload) {
        require(payload, WRITE_HEADER_BYTES, "CHUNK_WRITE");
        int p = payload.position();
        WriteHeader header = new WriteHeader(payload.getInt(p), payload.getLong(p + 4), payload.getLong(p + 12),
                payload.getShort(p + 20) & 0xFFFF, payload.getInt(p + 24), payload.getLong(p + 28), payload.getInt(p + 36));
        if (header.length() < 0 || header.length() != payload.remaining() - WRITE_HEADER_BYTES) {
            throw new ProtocolException("CHUNK_WRITE says " + header.length() + " payload bytes but carries "
                    + (payload.remaining() - WRITE_HEADER_BYTES));
        }
        return header;
    }

    public static byte[] read(ReadRequest request) {
        ByteBuffer out = ByteBuffer.allocate(READ_BYTES).order(Frame.ORDER);
        out.putInt(request.drive()).putLong(request.address()).putLong(request.extentId()).putShort((short) request.shard())
                .putShort((short) 0).putInt(request.offset()).putInt(request.length());
        return out.array();
    }

    public static ReadRequest readRead(ByteBuffer payload) {
        require(payload, READ_BYTES, "CHUNK_READ");
        int p = payload.position();
        return new ReadRequest(payload.getInt(p), payload.getLong(p + 4), payload.getLong(p + 12), payload.getShort(p + 20) & 0xFFFF,
                payload.getInt(p + 24), payload.getInt(p + 28));
    }

    public static byte[] fence(FenceRequest request) {
        return ByteBuffer.allocate(FENCE_BYTES).order(Frame.ORDER).putInt(request.drive()).putInt(request.bucket())
                .putLong(request.term()).array();
    }

    public static FenceRequest readFence(ByteBuffer payload) {
        require(payload, FENCE_BYTES, "DRIVE_FENCE");
        int p = payload.position();
        return new FenceRequest(payload.getInt(p), payload.getInt(p + 4), payload.getLong(p + 8));
    }

    public static ByteBuffer resultHeader(int status, int length) {
        return ByteBuffer.allocate(RESULT_HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN).putShort((short) status).putShort((short) 0)
                .putInt(length).flip();
    }

    public static int resultStatus(ByteBuffer payload) {
        require(payload, RESULT_HEADER_BYTES, "CHUNK_RESULT");
        return payload.getShort(payload.position()) & 0xFFFF;
    }

    /** The data of a read result: a view of the frame's payload after the header. */
    public static ByteBuffer resultData(ByteBuffer payload) {
        int length = payload.getInt(payload.position() + 4);
        if (length < 0 || length != payload.remaining() - RESULT_HEADER_BYTES) {
            throw new ProtocolException("CHUNK_RESULT says " + length + " bytes but carries " + (payload.remaining() - RESULT_HEADER_BYTES));
        }
        return payload.slice(payload.position() + RESULT_HEADER_BYTES, length).order(Frame.ORDER);
    }

    private static void require(ByteBuffer payload, int bytes, String what) {
        if (payload.remaining() < bytes) {
            throw new ProtocolException(what + " needs " + bytes + " bytes, got " + payload.remaining());
        }
    }
}
