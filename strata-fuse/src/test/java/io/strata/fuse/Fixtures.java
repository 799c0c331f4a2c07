package io.strata.fuse;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/** Request bytes built field by field as the kernel lays them out, and a channel that records replies. */
final class Fixtures {
    private Fixtures() {
    }

    /** The INIT a 6.18 kernel (protocol 7.45) sent on this machine, captured from /dev/fuse. */
    static final String KERNEL_INIT_HEX = "680000001a0000000200000000000000000000000000000000000000000000000000000000000000"
            + "070000002d00000000000200fbffff73fd050000000000000000000000000000000000000000000000"
            + "0000000000000000000000000000000000000000000000";

    /** The GETATTR of the root that followed it. */
    static final String KERNEL_GETATTR_HEX = "38000000030000000400000000000000010000000000000000000000000000001b3b"
            + "00000000000000000000000000000000000000000000";

    static byte[] hex(String hex) {
        return HexFormat.of().parseHex(hex);
    }

    /** Builds a request: the header is filled in by {@link #bytes()}. */
    static final class RequestBuilder {
        private final ByteBuffer body = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
        private final int opcode;
        private final long unique;
        private final long nodeId;

        RequestBuilder(int opcode, long unique, long nodeId) {
            this.opcode = opcode;
            this.unique = unique;
            this.nodeId = nodeId;
        }

        RequestBuilder u32(int value) {
            body.putInt(value);
            return this;
        }

        RequestBuilder u64(long value) {
            body.putLong(value);
            return this;
        }

        RequestBuilder string(String value) {
            body.put(value.getBytes(StandardCharsets.UTF_8)).put((byte) 0);
            return this;
        }

        RequestBuilder raw(byte[] value) {
            body.put(value);
            return this;
        }

        byte[] bytes() {
            int length = Wire.IN_HEADER_SIZE + body.position();
            ByteBuffer all = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
            all.putInt(length).putInt(opcode).putLong(unique).putLong(nodeId)
                    .putInt(1000).putInt(100).putInt(4242).putShort((short) 0).putShort((short) 0);
            all.put(body.array(), 0, body.position());
            return all.array();
        }
    }

    static RequestBuilder request(int opcode, long unique, long nodeId) {
        return new RequestBuilder(opcode, unique, nodeId);
    }

    /** A reply channel that keeps every message it is sent. */
    static final class RecordingChannel implements ReplyChannel {
        final List<byte[]> sent = new ArrayList<>();

        @Override
        public synchronized int send(MemorySegment message, long length) {
            sent.add(message.asSlice(0, length).toArray(ValueLayout.JAVA_BYTE));
            return 0;
        }

        @Override
        public synchronized int send(MemorySegment header, long headerLength, MemorySegment body, long bodyLength,
                MemorySegment scratch) {
            byte[] all = new byte[(int) (headerLength + bodyLength)];
            MemorySegment.copy(header, ValueLayout.JAVA_BYTE, 0, all, 0, (int) headerLength);
            MemorySegment.copy(body, ValueLayout.JAVA_BYTE, 0, all, (int) headerLength, (int) bodyLength);
            sent.add(all);
            return 0;
        }

        synchronized byte[] last() {
            return sent.getLast();
        }

        synchronized int count() {
            return sent.size();
        }
    }

    static ByteBuffer le(byte[] bytes) {
        return ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    }

    static MemorySegment copyInto(Arena arena, byte[] bytes, long capacity) {
        MemorySegment segment = arena.allocate(capacity);
        MemorySegment.copy(bytes, 0, segment, ValueLayout.JAVA_BYTE, 0, bytes.length);
        return segment;
    }
}
