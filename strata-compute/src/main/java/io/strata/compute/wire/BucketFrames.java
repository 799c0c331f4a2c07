package io.strata.compute.wire;

import io.strata.protocol.Frame;
import io.strata.protocol.ProtocolException;
import java.nio.ByteBuffer;

/**
 * The frames a compute process serves for its buckets:
 *
 * <pre>
 * BUCKET_REQUEST  bucket:i32 | JSON BucketRequest
 * BUCKET_WRITE    bucket:i32 ino:i64 offset:i64 uid:i32 gid:i32 fsId:i32 mountId:i32 requestId:i64 length:i32 | data
 *                 (offset -1: append at the end of the file)
 * BUCKET_REPLY    status:i32 leader:i32 | JSON result (status 0), nothing otherwise
 * </pre>
 *
 * {@code status} is 0, a Linux errno, or {@link #NOT_LEADER} (then {@code leader} is the process
 * that leads the bucket as far as the answering process knows, or -1).
 */
public final class BucketFrames {
    public static final short BUCKET_REQUEST = 40;
    public static final short BUCKET_WRITE = 41;
    public static final short BUCKET_REPLY = 42;
    public static final short BUCKET_TX = 43;

    public static final int NOT_LEADER = -1;
    /** The bucket is busy with something it must finish first (a lock, a leadership change); try again. */
    public static final int RETRY = -2;

    public static final int WRITE_HEADER_BYTES = 48;
    /** A write's offset meaning "at the end of the file, as the bucket knows it" (O_APPEND). */
    public static final long APPEND = -1;
    public static final int REPLY_HEADER_BYTES = 8;

    private BucketFrames() {
    }

    public record WriteHeader(int bucket, long ino, long offset, int uid, int gid, int fsId, int mountId, long requestId, int length) {
    }

    public static ByteBuffer writeHeader(WriteHeader h) {
        return ByteBuffer.allocate(WRITE_HEADER_BYTES).order(Frame.ORDER).putInt(h.bucket()).putLong(h.ino()).putLong(h.offset())
                .putInt(h.uid()).putInt(h.gid()).putInt(h.fsId()).putInt(h.mountId()).putLong(h.requestId()).putInt(h.length()).flip();
    }

    public static WriteHeader readWriteHeader(ByteBuffer payload) {
        if (payload.remaining() < WRITE_HEADER_BYTES) {
            throw new ProtocolException("BUCKET_WRITE needs " + WRITE_HEADER_BYTES + " header bytes, got " + payload.remaining());
        }
        int p = payload.position();
        WriteHeader header = new WriteHeader(payload.getInt(p), payload.getLong(p + 4), payload.getLong(p + 12), payload.getInt(p + 20),
                payload.getInt(p + 24), payload.getInt(p + 28), payload.getInt(p + 32), payload.getLong(p + 36), payload.getInt(p + 44));
        if (header.length() < 0 || header.length() != payload.remaining() - WRITE_HEADER_BYTES) {
            throw new ProtocolException("BUCKET_WRITE says " + header.length() + " bytes but carries "
                    + (payload.remaining() - WRITE_HEADER_BYTES));
        }
        if (header.offset() < APPEND) {
            throw new ProtocolException("BUCKET_WRITE at negative offset " + header.offset());
        }
        return header;
    }

    public static ByteBuffer replyHeader(int status, int leader) {
        return ByteBuffer.allocate(REPLY_HEADER_BYTES).order(Frame.ORDER).putInt(status).putInt(leader).flip();
    }

    public static int replyStatus(ByteBuffer payload) {
        if (payload.remaining() < REPLY_HEADER_BYTES) {
            throw new ProtocolException("BUCKET_REPLY needs " + REPLY_HEADER_BYTES + " bytes, got " + payload.remaining());
        }
        return payload.getInt(payload.position());
    }

    public static int replyLeader(ByteBuffer payload) {
        return payload.getInt(payload.position() + 4);
    }

    public static ByteBuffer replyBody(ByteBuffer payload) {
        return payload.slice(payload.position() + REPLY_HEADER_BYTES, payload.remaining() - REPLY_HEADER_BYTES);
    }

    public static int requestBucket(ByteBuffer payload) {
        if (payload.remaining() < 4) {
            throw new ProtocolException("BUCKET_REQUEST needs a bucket number");
        }
        return payload.getInt(payload.position());
    }

    public static ByteBuffer requestBody(ByteBuffer payload) {
        return payload.slice(payload.position() + 4, payload.remaining() - 4);
    }
}
