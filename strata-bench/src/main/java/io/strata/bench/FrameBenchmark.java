package io.strata.bench;

import io.strata.protocol.Frame;
import io.strata.protocol.FrameType;
import io.strata.protocol.rpc.StreamFrames;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.SplittableRandom;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;

/**
 * Encoding and decoding of one wire frame of strata-protocol ({@link Frame}: a 16-byte header, then
 * the payload) on one core, through the module's public API.
 *
 * <ul>
 *   <li>{@code encodeHeader}: what {@code Connection.send} does per frame on the NIO transport: a
 *       16-byte header buffer filled by {@link Frame#writeHeader}. The transport hands the payload to
 *       a gathering write without copying it, so this cost does not grow with the payload.
 *   <li>{@code encodeCopy}: {@link Frame#writeHeader} and the payload into one direct buffer (the
 *       frame made contiguous, as it ends up in the socket buffer).
 *   <li>{@code streamWrite}, {@code streamRead}, {@code roundTrip}: the codec of the control
 *       connections, {@link StreamFrames#write} into an in-memory stream, {@link StreamFrames#read}
 *       of an encoded frame (it copies the payload into a fresh array), and the one then the other.
 * </ul>
 * Not here: the NIO transport's decoding, a loop inside the private {@code NioTransport.read} that
 * only a socket reaches (length, {@link Frame#checkLength}, three header fields and the payload as a
 * slice of the read buffer, no copy). Measuring it needs it moved to a public method, for instance
 * on {@link Frame}.
 *
 * <p>Each operation is one frame of {@code 16 + payload} bytes; the secondary row {@code :dataGB}
 * ({@link Processed}) gives GB/s of frames. Parameter: {@code payload} 64, 4096 or 1048576 bytes.
 * Example: {@code java -jar strata-bench/target/benchmarks.jar FrameBenchmark -p payload=4096}.
 */
public class FrameBenchmark extends ThroughputBenchmark {
    private static final short TYPE = FrameType.FIRST_DATA_PLANE;

    @Param({"64", "4096", "1048576"})
    public int payload;

    private ByteBuffer payloadBuffer;
    private byte[] payloadArray;
    private ByteBuffer wire;
    private Sink streamOut;
    /** One encoded frame, read again from its start by every {@code streamRead}. */
    private ByteArrayInputStream encoded;
    private DataInputStream encodedIn;
    private long correlationId;
    private double frameGigabytes;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        payloadArray = new byte[payload];
        new SplittableRandom(42).nextBytes(payloadArray);
        payloadBuffer = ByteBuffer.allocateDirect(payload).put(payloadArray).flip();
        wire = ByteBuffer.allocateDirect(Frame.HEADER_BYTES + payload);
        streamOut = new Sink(Frame.HEADER_BYTES + payload);
        StreamFrames.write(streamOut, TYPE, 1, payloadArray);
        encoded = new ByteArrayInputStream(streamOut.toByteArray());
        encodedIn = new DataInputStream(encoded);
        frameGigabytes = (Frame.HEADER_BYTES + payload) / 1e9;
    }

    @Benchmark
    public ByteBuffer encodeHeader(Processed processed) {
        ByteBuffer header = ByteBuffer.allocate(Frame.HEADER_BYTES);
        Frame.writeHeader(header, TYPE, (short) 0, ++correlationId, payloadBuffer.remaining());
        processed.dataGB += frameGigabytes;
        return header.flip();
    }

    @Benchmark
    public ByteBuffer encodeCopy(Processed processed) {
        wire.clear();
        Frame.writeHeader(wire, TYPE, (short) 0, ++correlationId, payloadBuffer.remaining());
        wire.put(payloadBuffer.duplicate());
        processed.dataGB += frameGigabytes;
        return wire.flip();
    }

    @Benchmark
    public Sink streamWrite(Processed processed) throws IOException {
        streamOut.reset();
        StreamFrames.write(streamOut, TYPE, ++correlationId, payloadArray);
        processed.dataGB += frameGigabytes;
        return streamOut;
    }

    @Benchmark
    public Frame streamRead(Processed processed) throws IOException {
        encoded.reset();
        Frame frame = StreamFrames.read(encodedIn);
        processed.dataGB += frameGigabytes;
        return frame;
    }

    @Benchmark
    public Frame roundTrip(Processed processed) throws IOException {
        streamOut.reset();
        StreamFrames.write(streamOut, TYPE, ++correlationId, payloadArray);
        Frame frame = StreamFrames.read(new DataInputStream(streamOut.input()));
        processed.dataGB += frameGigabytes;
        return frame;
    }

    /** An in-memory stream whose bytes are read back in place. */
    public static final class Sink extends ByteArrayOutputStream {
        Sink(int size) {
            super(size);
        }

        ByteArrayInputStream input() {
            return new ByteArrayInputStream(buf, 0, count);
        }
    }
}
