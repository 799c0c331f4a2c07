package io.strata.drive.store;

import static io.strata.drive.store.Drives.MIB;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ChunkRoundTripTest {
    private static final long REGION = 8 * MIB;
    private static final int MAX = DriveLayout.MAX_CHUNK_PAYLOAD_BYTES;
    private static final int BIG_BUFFER = DriveLayout.CHUNK_HEADER_BYTES + MAX;

    @TempDir
    Path dir;

    private DriveIo openIo(Path file, DriveOptions options, int bufferBytes) {
        Drive drive = Drive.open(file, options);
        return new DriveIo(drive, DriveIoOptions.defaults().withBuffers(4, bufferBytes));
    }

    private static void closeAll(DriveIo io) {
        io.close();
        io.drive().close();
    }

    @Test
    void chunksOfManySizesReadBackWholeAndTheirIdentityIsReported() {
        long seed = 20240601L;
        RandomGenerator random = new SplittableRandom(seed);
        Path file = Drives.formattedFile(dir, "sizes.img", REGION, 4);
        DriveIo io = openIo(file, DriveOptions.forCluster(Drives.CLUSTER), BIG_BUFFER);
        try {
            int[] sizes = {0, 1, 100, 4095, 4096, 4097, 8191, 8192, 12_288 + 7, 65_536, 1_000_000, 1 << 20, MAX - 1, MAX};
            long address = 0;
            long cursor = io.drive().regionOffset(0);
            int region = 0;
            for (int i = 0; i < sizes.length; i++) {
                long chunkBytes = DriveLayout.chunkBytes(sizes[i]);
                if (cursor + chunkBytes > io.drive().regionOffset(region) + REGION) {
                    cursor = io.drive().regionOffset(++region);
                }
                long at = cursor;
                cursor += chunkBytes;
                byte[] payload = Drives.randomBytes(random, sizes[i]);
                assertThat(Drives.write(io, at, 1000 + i, i, 7, 1, payload)).as("seed %d size %d", seed, sizes[i]).isEqualTo(ChunkStatus.OK);
                ChunkStatus[] status = new ChunkStatus[1];
                byte[] back = Drives.read(io, at, 1000 + i, i, 0, sizes[i], status);
                assertThat(status[0]).as("seed %d size %d", seed, sizes[i]).isEqualTo(ChunkStatus.OK);
                assertThat(back).as("seed %d size %d", seed, sizes[i]).isEqualTo(payload);
                address = at;
            }
            IoBuffer buffer = io.buffers().acquire();
            DriveOp op = new DriveOp().read(address, 1000 + sizes.length - 1, sizes.length - 1, 0, 10, buffer);
            assertThat(Drives.run(io, op)).isEqualTo(ChunkStatus.OK);
            assertThat(op.foundExtentId()).isEqualTo(1000 + sizes.length - 1);
            assertThat(op.foundShardIndex()).isEqualTo(sizes.length - 1);
            assertThat(op.foundBucketId()).isEqualTo(7);
            assertThat(op.foundTerm()).isEqualTo(1);
            assertThat(op.foundPayloadLength()).isEqualTo(MAX);
            buffer.release();
        } finally {
            closeAll(io);
        }
    }

    /** Every read plan: header cache on/off, header and blocks in one IO or two, small buffers. */
    @ParameterizedTest
    @ValueSource(strings = {"cached-one-io", "uncached-one-io", "uncached-two-ios", "small-buffers", "buffered-io", "dsync"})
    void partialReadsAtRandomOffsetsReturnExactlyThePayloadBytes(String plan) {
        long seed = 77L + plan.hashCode();
        RandomGenerator random = new SplittableRandom(seed);
        Path file = Drives.formattedFile(dir, plan + ".img", REGION, 2);
        DriveOptions options = DriveOptions.forCluster(Drives.CLUSTER);
        int bufferBytes = 2 * MIB_INT + 4096;
        switch (plan) {
            case "uncached-one-io" -> options = options.withHeaderCacheEntries(0).withMaxReadGapBytes(MAX);
            case "uncached-two-ios" -> options = options.withHeaderCacheEntries(0).withMaxReadGapBytes(0);
            case "small-buffers" -> bufferBytes = 64 * 1024;
            case "buffered-io" -> options = options.withDirectIo(DirectIoMode.OFF);
            case "dsync" -> options = options.withDurability(DurabilityMode.DSYNC);
            default -> { }
        }
        DriveIo io = openIo(file, options, bufferBytes);
        try {
            int payloadLength = Math.min(io.buffers().bufferBytes() - 4096, 1_500_000 + random.nextInt(4096));
            byte[] payload = Drives.randomBytes(random, payloadLength);
            long address = io.drive().regionOffset(1) + 3 * 4096;
            assertThat(Drives.write(io, address, 42, 3, 9, 5, payload)).isEqualTo(ChunkStatus.OK);
            int maxRead = Math.min(payloadLength, bufferBytes - 2 * 4096);
            for (int i = 0; i < 60; i++) {
                int length = i == 0 ? payloadLength % 4096 : random.nextInt(Math.min(maxRead, i < 30 ? 9000 : maxRead) + 1);
                int offset = i == 0 ? payloadLength - length : random.nextInt(payloadLength - length + 1);
                ChunkStatus[] status = new ChunkStatus[1];
                byte[] back = Drives.read(io, address, 42, 3, offset, length, status);
                assertThat(status[0]).as("seed %d read %d+%d", seed, offset, length).isEqualTo(ChunkStatus.OK);
                assertThat(back).as("seed %d read %d+%d", seed, offset, length)
                        .isEqualTo(Arrays.copyOfRange(payload, offset, offset + length));
            }
            if (plan.equals("dsync")) {
                assertThat(io.stats().syncs()).isZero();
            } else {
                assertThat(io.stats().syncs()).isBetween(1L, io.stats().writes());
            }
        } finally {
            closeAll(io);
        }
    }

    private static final int MIB_INT = 1024 * 1024;

    @Test
    void aRewriteOfTheSameAddressIsNeverHiddenByTheHeaderCache() {
        Path file = Drives.formattedFile(dir, "rewrite.img", REGION, 2);
        DriveIo io = openIo(file, DriveOptions.forCluster(Drives.CLUSTER), 2 * MIB_INT);
        try {
            RandomGenerator random = new SplittableRandom(5);
            long address = io.drive().regionOffset(0);
            byte[] first = Drives.randomBytes(random, 1_000_000);
            byte[] second = Drives.randomBytes(random, 1_000_000);
            ChunkStatus[] status = new ChunkStatus[1];
            assertThat(Drives.write(io, address, 1, 0, 1, 1, first)).isEqualTo(ChunkStatus.OK);
            // A read far into the chunk caches its header (the blocks are too far for one IO).
            assertThat(Drives.read(io, address, 1, 0, 900_000, 4096, status)).isEqualTo(Arrays.copyOfRange(first, 900_000, 904_096));

            assertThat(Drives.read(io, address, 1, 0, 800_000, 4096, status)).isEqualTo(Arrays.copyOfRange(first, 800_000, 804_096));
            assertThat(io.stats().headerCacheHits()).isEqualTo(1);

            assertThat(Drives.write(io, address, 1, 0, 1, 1, second)).isEqualTo(ChunkStatus.OK);
            assertThat(Drives.read(io, address, 1, 0, 900_000, 4096, status)).isEqualTo(Arrays.copyOfRange(second, 900_000, 904_096));
            assertThat(io.stats().headerCacheHits()).isEqualTo(1);

            // A chunk of another extent written over the middle of this one changes what is there too.
            assertThat(Drives.read(io, address, 1, 0, 900_000, 4096, status)).isNotNull();
            assertThat(Drives.write(io, address + 4096 * 100, 2, 0, 1, 1, first)).isEqualTo(ChunkStatus.OK);
            assertThat(Drives.read(io, address, 1, 0, 900_000, 4096, status)).isNull();
            assertThat(status[0]).isEqualTo(ChunkStatus.CHECKSUM_MISMATCH);
            assertThat(Drives.read(io, address + 4096 * 100, 2, 0, 0, 1_000_000, status)).isEqualTo(first);
        } finally {
            closeAll(io);
        }
    }
}
