package io.strata.bench;

import io.strata.erasure.ErasureCoder;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
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

/**
 * Erasure coding throughput of one stripe at a time on one core.
 *
 * <p>How to read it: each operation is one stripe (D data chunks). Besides the stripes per second
 * (the primary {@code ops/s}), every benchmark reports a secondary row {@code :dataGB} ({@link Processed}),
 * whose {@code ops/s} figure is <b>GB/s (10^9 bytes) of data chunks processed per core</b>: the D data
 * chunks encoded into parity, or the stripe whose two missing data chunks were rebuilt from D-2 data
 * and 2 parity chunks. Parity bytes are not counted.
 *
 * <p>Parameters: {@code shape} D+P; {@code size} {@code stripe-1MiB} (chunk = 1 MiB / D rounded up to
 * 4096 bytes) or {@code chunk-4KiB} (chunk = 4096 bytes, the small-write case); {@code coder}
 * {@code vector} (production) or {@code scalar} (the log/exp reference); {@code memory} {@code offheap}
 * (4096-aligned segments of a shared Arena, the data path's memory) or {@code array} (byte[] shards).
 * Example: {@code java -jar strata-bench/target/benchmarks.jar ErasureCoderBenchmark -p coder=vector}.
 * The Vector API needs C2: on a busy machine give it a few seconds of warm-up before trusting a figure.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Thread)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
public class ErasureCoderBenchmark {
    private static final int PAGE_BYTES = 4096;
    private static final int STRIPE_BYTES = 1 << 20;

    @Param({"4+2", "8+2", "16+4"})
    public String shape;

    @Param({"stripe-1MiB", "chunk-4KiB"})
    public String size;

    @Param({"vector", "scalar"})
    public String coder;

    @Param({"offheap", "array"})
    public String memory;

    private ErasureCoder erasureCoder;
    private Arena arena;
    private int chunkBytes;
    private double stripeDataGb;
    private MemorySegment[] dataSegments;
    private MemorySegment[] paritySegments;
    private MemorySegment[] shardSegments;
    private byte[][] dataArrays;
    private byte[][] parityArrays;
    private byte[][] shardArrays;
    /** The first two data chunks are lost; parity and the other data chunks are read. */
    private boolean[] present;

    @Setup(Level.Trial)
    public void setUp() {
        String[] parts = shape.split("\\+");
        int data = Integer.parseInt(parts[0]);
        int parity = Integer.parseInt(parts[1]);
        erasureCoder = "scalar".equals(coder) ? ErasureCoder.createScalar(data, parity) : ErasureCoder.create(data, parity);
        chunkBytes = "chunk-4KiB".equals(size) ? PAGE_BYTES : roundUpToPage(Math.ceilDiv(STRIPE_BYTES, data));
        stripeDataGb = (double) data * chunkBytes / 1e9;
        arena = Arena.ofShared();
        allocate(data, parity);
        present = new boolean[data + parity];
        Arrays.fill(present, true);
        present[0] = false;
        present[1] = false;
    }

    private void allocate(int data, int parity) {
        SplittableRandom random = new SplittableRandom(42);
        shardArrays = new byte[data + parity][chunkBytes];
        shardSegments = new MemorySegment[data + parity];
        for (int i = 0; i < data + parity; i++) {
            random.nextBytes(shardArrays[i]);
            shardSegments[i] = arena.allocate(chunkBytes, PAGE_BYTES);
            MemorySegment.copy(MemorySegment.ofArray(shardArrays[i]), 0, shardSegments[i], 0, chunkBytes);
        }
        dataArrays = Arrays.copyOfRange(shardArrays, 0, data);
        parityArrays = Arrays.copyOfRange(shardArrays, data, data + parity);
        dataSegments = Arrays.copyOfRange(shardSegments, 0, data);
        paritySegments = Arrays.copyOfRange(shardSegments, data, data + parity);
        erasureCoder.encode(dataArrays, parityArrays, 0, chunkBytes);
        erasureCoder.encode(dataSegments, paritySegments);
    }

    private static int roundUpToPage(int bytes) {
        return (bytes + PAGE_BYTES - 1) / PAGE_BYTES * PAGE_BYTES;
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        arena.close();
    }

    /** Parity of one stripe. */
    @Benchmark
    public void encode(Processed processed) {
        if ("array".equals(memory)) {
            erasureCoder.encode(dataArrays, parityArrays, 0, chunkBytes);
        } else {
            erasureCoder.encode(dataSegments, paritySegments);
        }
        processed.dataGB += stripeDataGb;
    }

    /** A degraded read: data chunks 0 and 1 rebuilt from the other data chunks and two parity chunks. */
    @Benchmark
    public void reconstructTwoData(Processed processed) {
        if ("array".equals(memory)) {
            erasureCoder.reconstruct(shardArrays, present, 0, chunkBytes);
        } else {
            erasureCoder.reconstruct(shardSegments, present);
        }
        processed.dataGB += stripeDataGb;
    }
}
