package io.strata.fuse;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Decoding of one FUSE request as read from /dev/fuse, in ns per request on one core.
 *
 * <p>Each operation is {@link Dispatcher#dispatch} of raw request bytes already in a session
 * {@link RequestBuffer}: header checks, the {@link Request}, the operation's arguments (the LOOKUP
 * name as a String, the READ/WRITE {@code fuse_read_in}/{@code fuse_write_in}, the WRITE data as a
 * slice, not a copy), the reply object, and the call into the file system, which here only hands
 * what it got to a Blackhole and never replies. Reading from /dev/fuse and sending the reply are
 * not part of it, so no mount is needed.
 *
 * <p>Why this class is in package {@code io.strata.fuse}: the decoder ({@code Dispatcher},
 * {@code Wire}, {@code RequestBuffer}, {@code BufferPool}) is package-private, and the public API
 * reaches it only through a session on a mounted /dev/fuse descriptor. So, like the module's own
 * {@code DispatcherTest}, the benchmark sits in the same package (a split package on the class path;
 * strata-fuse is unchanged).
 *
 * <p>Requests are written into the buffer field by field at the offsets the kernel uses (protocol 7.45,
 * {@code include/uapi/linux/fuse.h}), with the header values of the module's test fixtures (uid 1000,
 * gid 100, pid 4242, no extensions): {@code LOOKUP} of a 28-byte name,
 * {@code GETATTR} without a file handle, {@code READ} of 128 KiB, {@code WRITE} of 128 KiB with its data.
 * Example: {@code java -jar strata-bench/target/benchmarks.jar FuseRequestBenchmark -p request=WRITE}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Thread)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED"})
public class FuseRequestBenchmark {
    private static final int IO_BYTES = 128 * 1024;
    private static final int O_RDONLY = 0;
    private static final int O_WRONLY = 1;

    @Param({"LOOKUP", "GETATTR", "READ", "WRITE"})
    public String request;

    private BufferPool pool;
    private RequestBuffer buffer;
    private int length;
    private Dispatcher dispatcher;

    @Setup(Level.Trial)
    public void setUp(Blackhole blackhole) throws InterruptedException {
        Wire.checkByteOrder();
        // One buffer as a session allocates them: the largest write plus 4 KiB.
        pool = new BufferPool(1, MountOptions.MAX_WRITE_LIMIT_BYTES + 4096);
        buffer = pool.take();
        MemorySegment b = buffer.memory;
        long at = Wire.IN_HEADER_SIZE;
        length = (int) switch (request) {
            case "LOOKUP" -> inHeader(b, Wire.LOOKUP, 1, nulTerminated(b, at, "strata-bench-file-000042.dat"));
            // fuse_getattr_in: getattr_flags (no FUSE_GETATTR_FH), dummy, fh
            case "GETATTR" -> inHeader(b, Wire.GETATTR, 42, zeros(b, at, Wire.GETATTR_IN_SIZE));
            case "READ" -> inHeader(b, Wire.READ, 42, ioIn(b, O_RDONLY));
            case "WRITE" -> inHeader(b, Wire.WRITE, 42, noise(b, ioIn(b, O_WRONLY), IO_BYTES));
            default -> throw new IllegalArgumentException("no request " + request);
        };
        dispatcher = new Dispatcher(new Sink(blackhole), pool, () -> {
        });
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        pool.close();
    }

    @Benchmark
    public Request decode() {
        dispatcher.dispatch(buffer, length, NO_REPLIES);
        return buffer.request;
    }

    /** Never written to: the file system below does not reply. */
    private static final ReplyChannel NO_REPLIES = new ReplyChannel() {
        @Override
        public int send(MemorySegment message, long length) {
            throw new IllegalStateException("the benchmark file system does not reply");
        }

        @Override
        public int send(MemorySegment header, long headerLength, MemorySegment body, long bodyLength,
                MemorySegment scratch) {
            throw new IllegalStateException("the benchmark file system does not reply");
        }
    };

    /** Takes what the dispatcher decoded, leaves the reply open. */
    private record Sink(Blackhole blackhole) implements FuseFilesystem {
        @Override
        public void lookup(Request r, long parent, String name, EntryReply reply) {
            blackhole.consume(parent);
            blackhole.consume(name);
            blackhole.consume(reply);
        }

        @Override
        public void getattr(Request r, long nodeId, long fileHandleOrMinusOne, AttrReply reply) {
            blackhole.consume(nodeId);
            blackhole.consume(fileHandleOrMinusOne);
            blackhole.consume(reply);
        }

        @Override
        public void read(Request r, long nodeId, long fileHandle, long offset, int size, ReadReply reply) {
            blackhole.consume(fileHandle);
            blackhole.consume(offset);
            blackhole.consume(size);
            blackhole.consume(reply);
        }

        @Override
        public void write(Request r, long nodeId, long fileHandle, long offset, MemorySegment data, int openFlags,
                WriteReply reply) {
            blackhole.consume(fileHandle);
            blackhole.consume(offset);
            blackhole.consume(data);
            blackhole.consume(reply);
        }
    }

    // The kernel's layout, written in place at its offsets; each helper answers where its bytes end.

    /** fuse_in_header: len, opcode, unique, nodeid, uid, gid, pid, total_extlen (no extensions), padding. */
    private static long inHeader(MemorySegment b, int opcode, long nodeId, long end) {
        b.set(Wire.U32, 0, (int) end);
        b.set(Wire.U32, 4, opcode);
        b.set(Wire.U64, 8, 0x1234L);
        b.set(Wire.U64, 16, nodeId);
        b.set(Wire.U32, 24, 1000);
        b.set(Wire.U32, 28, 100);
        b.set(Wire.U32, 32, 4242);
        b.set(Wire.U32, 36, 0);
        return end;
    }

    /** fuse_read_in (fuse_write_in has its layout): fh, offset, size, read/write_flags, lock_owner, flags, padding. */
    private static long ioIn(MemorySegment b, int openFlags) {
        long o = Wire.IN_HEADER_SIZE;
        b.set(Wire.U64, o, 7L);
        b.set(Wire.U64, o + 8, 1L << 30);
        b.set(Wire.U32, o + 16, IO_BYTES);
        b.set(Wire.U32, o + 20, 0);
        b.set(Wire.U64, o + 24, 0L);
        b.set(Wire.U32, o + 32, openFlags);
        b.set(Wire.U32, o + 36, 0);
        return o + Wire.READ_IN_SIZE;
    }

    private static long nulTerminated(MemorySegment b, long at, String value) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        MemorySegment.copy(bytes, 0, b, ValueLayout.JAVA_BYTE, at, bytes.length);
        b.set(ValueLayout.JAVA_BYTE, at + bytes.length, (byte) 0);
        return at + bytes.length + 1;
    }

    private static long zeros(MemorySegment b, long at, int bytes) {
        b.asSlice(at, bytes).fill((byte) 0);
        return at + bytes;
    }

    private static long noise(MemorySegment b, long at, int bytes) {
        byte[] data = new byte[bytes];
        new SplittableRandom(42).nextBytes(data);
        MemorySegment.copy(data, 0, b, ValueLayout.JAVA_BYTE, at, bytes);
        return at + bytes;
    }
}
