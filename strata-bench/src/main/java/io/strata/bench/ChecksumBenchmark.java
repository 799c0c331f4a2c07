package io.strata.bench;

import io.strata.drive.store.DriveLayout;
import java.lang.foreign.Arena;
import java.nio.ByteBuffer;
import java.util.SplittableRandom;
import java.util.zip.CRC32C;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;

/**
 * CRC32C throughput on one core, as the drive's chunk format uses it.
 *
 * <p>The drive computes a CRC32C of every 4 KiB payload block of a chunk when it writes it and checks
 * the blocks it reads ({@code ChunkStore.fillHeader} and {@code checkBlocks} through
 * {@code ChunkHeader.blockCrc}). Those classes are package-private in strata-drive and the only public
 * way to them is a whole {@code DriveIo} write or read against a file, which is IO-bound; so this
 * benchmark makes the same JDK calls on buffers of its own. {@code perBlock} is that loop: for each
 * 4 KiB block, {@code reset()}, {@code update(buffer.slice(offset, 4096))}, keep the value.
 * {@code whole} is one CRC32C over the whole buffer, the plain figure to compare it with.
 *
 * <p>Each operation checksums {@code bytes} bytes; the secondary row {@code :dataGB} ({@link Processed})
 * gives GB/s. Parameters: {@code bytes} 4096, 65536 or 1048576 (a 1 MiB chunk's payload, 256 blocks);
 * {@code memory} {@code direct} (a 4096-aligned off-heap segment, like the drive's {@code IoBuffer})
 * or {@code heap} (a {@code byte[]}-backed buffer).
 * Example: {@code java -jar strata-bench/target/benchmarks.jar ChecksumBenchmark -p memory=direct}.
 */
public class ChecksumBenchmark extends ThroughputBenchmark {
    private static final int BLOCK = DriveLayout.BLOCK_BYTES;

    @Param({"4096", "65536", "1048576"})
    public int bytes;

    @Param({"direct", "heap"})
    public String memory;

    private final CRC32C crc = new CRC32C();
    private Arena arena;
    private ByteBuffer buffer;
    private int[] blockCrcs;
    private double gigabytes;

    @Setup(Level.Trial)
    public void setUp() {
        byte[] noise = new byte[bytes];
        new SplittableRandom(42).nextBytes(noise);
        arena = Arena.ofShared();
        if ("heap".equals(memory)) {
            buffer = ByteBuffer.wrap(noise);
        } else {
            buffer = arena.allocate(bytes, BLOCK).asByteBuffer().put(noise).clear();
        }
        blockCrcs = new int[bytes / BLOCK];
        gigabytes = bytes / 1e9;
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        arena.close();
    }

    /** One CRC32C over the whole buffer. */
    @Benchmark
    public long whole(Processed processed) {
        crc.reset();
        crc.update(buffer.clear());
        processed.dataGB += gigabytes;
        return crc.getValue();
    }

    /** A CRC32C of each 4 KiB block, the way the drive checksums a chunk's payload. */
    @Benchmark
    public int[] perBlock(Processed processed) {
        for (int i = 0; i < blockCrcs.length; i++) {
            crc.reset();
            crc.update(buffer.slice(i * BLOCK, BLOCK));
            blockCrcs[i] = (int) crc.getValue();
        }
        processed.dataGB += gigabytes;
        return blockCrcs;
    }
}
