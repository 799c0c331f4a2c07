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
    /**
     * A write whose data carries its CRC32C, checked by the bucket before anything is stored:
     * protocol 2's capability. Sent only once every container speaks protocol 2.
     */
    public static final short BUCKET_WRITE_CHECKED = 44;
    public static final int CHECKED_PROTOCOL = 2;
    public static final int CHECKSUM_BYTES = 4;

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

    /** The header of a checked write: the plain header, then the data's CRC32C. */
    public static ByteBuffer checkedWriteHeader(WriteHeader h, int crc32c) {
        ByteBuffer plain = writeHeader(h);
        return ByteBuffer.allocate(WRITE_HEADER_BYTES + CHECKSUM_BYTES).order(Frame.ORDER).put(plain).putInt(crc32c).flip();
    }

    /** A checked write's header, its checksum and its data; the checksum is verified against the data. */
    public record CheckedWrite(WriteHeader header, int crc32c, ByteBuffer data) {
        public boolean intact() {
            java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
            crc.update(data.duplicate());
            return (int) crc.getValue() == crc32c;
        }
    }

    public static CheckedWrite readCheckedWrite(ByteBuffer payload) {
        if (payload.remaining() < WRITE_HEADER_BYTES + CHECKSUM_BYTES) {
            throw new ProtocolException("BUCKET_WRITE_CHECKED needs " + (WRITE_HEADER_BYTES + CHECKSUM_BYTES) + " header bytes");
        }
        int p = payload.position();
        int crc = payload.getInt(p + WRITE_HEADER_BYTES);
        WriteHeader header = readWriteHeader(payload.slice(p, WRITE_HEADER_BYTES).order(Frame.ORDER), payload.remaining() - WRITE_HEADER_BYTES - CHECKSUM_BYTES);
        ByteBuffer data = payload.slice(p + WRITE_HEADER_BYTES + CHECKSUM_BYTES, header.length());
        return new CheckedWrite(header, crc, data);
    }

    public static WriteHeader readWriteHeader(ByteBuffer payload) {
        return readWriteHeader(payload, payload.remaining() - WRITE_HEADER_BYTES);
    }

    private static WriteHeader readWriteHeader(ByteBuffer payload, int carried) {
        if (payload.remaining() < WRITE_HEADER_BYTES) {
            throw new ProtocolException("BUCKET_WRITE needs " + WRITE_HEADER_BYTES + " header bytes, got " + payload.remaining());
        }
        int p = payload.position();
        WriteHeader header = new WriteHeader(payload.getInt(p), payload.getLong(p + 4), payload.getLong(p + 12), payload.getInt(p + 20),
                payload.getInt(p + 24), payload.getInt(p + 28), payload.getInt(p + 32), payload.getLong(p + 36), payload.getInt(p + 44));
        if (header.length() < 0 || header.length() != carried) {
            throw new ProtocolException("BUCKET_WRITE says " + header.length() + " bytes but carries " + carried);
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
