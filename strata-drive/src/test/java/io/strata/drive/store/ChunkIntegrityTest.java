package io.strata.drive.store;

import static io.strata.drive.store.Drives.MIB;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ChunkIntegrityTest {
    private static final long REGION = 2 * MIB;
    private static final int LENGTH = 5 * 4096 + 1234; // 6 blocks, the last one partial

    @TempDir
    Path dir;
    private Path file;
    private DriveIo io;
    private long address;
    private byte[] payload;

    @BeforeEach
    void writeOneChunk() {
        file = Drives.formattedFile(dir, "integrity.img", REGION, 3);
        io = new DriveIo(Drives.open(file), DriveIoOptions.defaults().withBuffers(4, 256 * 1024));
        address = io.drive().regionOffset(1) + 8 * 4096;
        payload = Drives.randomBytes(new SplittableRandom(11), LENGTH);
        assertThat(Drives.write(io, address, 500, 2, 3, 1, payload)).isEqualTo(ChunkStatus.OK);
    }

    @AfterEach
    void close() {
        io.close();
        io.drive().close();
    }

    private ChunkStatus readStatus(long extentId, int shard, int offset, int length) {
        ChunkStatus[] status = new ChunkStatus[1];
        Drives.read(io, address, extentId, shard, offset, length, status);
        return status[0];
    }

    @Test
    void aFlippedPayloadByteFailsTheReadsOfItsBlockOnly() throws Exception {
        Drives.flipByte(file, address + 4096 + 2 * 4096 + 17); // block 2 of the payload
        ChunkStatus[] status = new ChunkStatus[1];
        IoBuffer buffer = io.buffers().acquire();
        DriveOp op = new DriveOp().read(address, 500, 2, 0, LENGTH, buffer);
        assertThat(Drives.run(io, op)).isEqualTo(ChunkStatus.CHECKSUM_MISMATCH);
        assertThat(op.dataLength()).isZero();
        assertThat(op.data().byteSize()).isZero();
        buffer.release();
        assertThat(readStatus(500, 2, 2 * 4096 + 100, 1)).isEqualTo(ChunkStatus.CHECKSUM_MISMATCH);
        assertThat(Drives.read(io, address, 500, 2, 0, 2 * 4096, status)).isEqualTo(Arrays.copyOf(payload, 2 * 4096));
        assertThat(Drives.read(io, address, 500, 2, 3 * 4096, LENGTH - 3 * 4096, status))
                .isEqualTo(Arrays.copyOfRange(payload, 3 * 4096, LENGTH));
    }

    @Test
    void aFlippedByteInTheZeroPaddingOfTheLastBlockIsDetected() throws Exception {
        Drives.flipByte(file, address + 4096 + LENGTH + 10);
        assertThat(readStatus(500, 2, LENGTH - 5, 5)).isEqualTo(ChunkStatus.CHECKSUM_MISMATCH);
    }

    /** Magic, version, identity, lengths, a block CRC, an unused CRC slot, the header CRC itself. */
    @ParameterizedTest
    @ValueSource(ints = {0, 5, 9, 20, 29, 33, 45, 64 + 4, 64 + 4 * 500, 4093})
    void aFlippedHeaderByteIsAChecksumMismatch(int headerOffset) throws Exception {
        Drives.flipByte(file, address + headerOffset);
        assertThat(readStatus(500, 2, 0, 10)).isEqualTo(ChunkStatus.CHECKSUM_MISMATCH);
        IoBuffer buffer = io.buffers().acquire();
        assertThat(Drives.run(io, new DriveOp().verify(address, 500, 2, buffer))).isEqualTo(ChunkStatus.CHECKSUM_MISMATCH);
        buffer.release();
    }

    @Test
    void anotherExtentOrShardAtTheAddressIsStaleAndBlankSpaceIsNotFound() {
        assertThat(readStatus(501, 2, 0, 10)).isEqualTo(ChunkStatus.STALE);
        assertThat(readStatus(500, 1, 0, 10)).isEqualTo(ChunkStatus.STALE);
        IoBuffer buffer = io.buffers().acquire();
        DriveOp op = new DriveOp().read(address, 501, 2, 0, 10, buffer);
        Drives.run(io, op);
        assertThat(op.foundExtentId()).isEqualTo(500);
        assertThat(op.foundShardIndex()).isEqualTo(2);
        buffer.release();

        ChunkStatus[] status = new ChunkStatus[1];
        Drives.read(io, io.drive().regionOffset(2), 500, 2, 0, 10, status);
        assertThat(status[0]).isEqualTo(ChunkStatus.NOT_FOUND);
    }

    @Test
    void readsPastThePayloadAreRefused() {
        assertThat(readStatus(500, 2, LENGTH - 10, 11)).isEqualTo(ChunkStatus.INVALID_REQUEST);
        assertThat(readStatus(500, 2, LENGTH, 1)).isEqualTo(ChunkStatus.INVALID_REQUEST);
        assertThat(readStatus(500, 2, LENGTH, 0)).isEqualTo(ChunkStatus.OK);
        assertThat(readStatus(500, 2, -1, 10)).isEqualTo(ChunkStatus.INVALID_REQUEST);
        assertThat(readStatus(500, 2, 0, 300 * 1024)).isEqualTo(ChunkStatus.INVALID_REQUEST); // larger than the buffer
    }

    @Test
    void verifyChecksEveryBlockInBufferSizedPiecesAndScrubReportsTheIdentity() throws Exception {
        Drive drive = io.drive();
        io.close();
        io = new DriveIo(drive, DriveIoOptions.defaults().withBuffers(2, 8192)); // pieces of 2 blocks
        IoBuffer buffer = io.buffers().acquire();
        assertThat(Drives.run(io, new DriveOp().verify(address, 500, 2, buffer))).isEqualTo(ChunkStatus.OK);
        assertThat(Drives.run(io, new DriveOp().verify(address, 500, 3, buffer))).isEqualTo(ChunkStatus.STALE);
        DriveOp scrub = new DriveOp().scrub(address, buffer);
        assertThat(Drives.run(io, scrub)).isEqualTo(ChunkStatus.OK);
        assertThat(scrub.foundExtentId()).isEqualTo(500);
        assertThat(scrub.foundShardIndex()).isEqualTo(2);
        assertThat(scrub.foundBucketId()).isEqualTo(3);
        assertThat(scrub.foundPayloadLength()).isEqualTo(LENGTH);

        Drives.flipByte(file, address + 4096 + 5 * 4096 + 1); // the last block
        assertThat(Drives.run(io, new DriveOp().scrub(address, buffer))).isEqualTo(ChunkStatus.CHECKSUM_MISMATCH);
        assertThat(Drives.run(io, new DriveOp().scrub(io.drive().regionOffset(0), buffer))).isEqualTo(ChunkStatus.NOT_FOUND);
        buffer.release();
        assertThat(io.stats().verifies()).isEqualTo(5);
    }

    @Test
    void chunksOfAnEarlierFormatAreNotFoundAfterAReformat() {
        io.close();
        io.drive().close();
        DriveFormatter.format(file, FormatRequest.of(Drives.CLUSTER, UUID.nameUUIDFromBytes("integrity.img".getBytes()))
                .withRegionSizeBytes(REGION).withForce(true));
        io = new DriveIo(Drives.open(file), DriveIoOptions.defaults().withBuffers(4, 256 * 1024));
        assertThat(readStatus(500, 2, 0, 10)).isEqualTo(ChunkStatus.NOT_FOUND);
    }

    @Test
    void badAddressesAndRequestsAreRefusedWithoutIo() {
        long region1 = io.drive().regionOffset(1);
        long lastRegion = io.drive().regionOffset(2);
        byte[] oneBlock = new byte[4096];
        assertThat(Drives.write(io, region1 + 1, 1, 0, 3, 1, oneBlock)).isEqualTo(ChunkStatus.INVALID_ADDRESS);
        assertThat(Drives.write(io, region1 + 512, 1, 0, 3, 1, oneBlock)).isEqualTo(ChunkStatus.INVALID_ADDRESS);
        assertThat(Drives.write(io, 0, 1, 0, 3, 1, oneBlock)).isEqualTo(ChunkStatus.INVALID_ADDRESS);
        assertThat(Drives.write(io, DriveLayout.FENCE_TABLE_A_OFFSET, 1, 0, 3, 1, oneBlock)).isEqualTo(ChunkStatus.INVALID_ADDRESS);
        assertThat(Drives.write(io, lastRegion + REGION, 1, 0, 3, 1, oneBlock)).isEqualTo(ChunkStatus.INVALID_ADDRESS);
        assertThat(Drives.write(io, -4096, 1, 0, 3, 1, oneBlock)).isEqualTo(ChunkStatus.INVALID_ADDRESS);
        // header + 1 block would end 4 KiB past the end of region 1
        assertThat(Drives.write(io, region1 + REGION - 4096, 1, 0, 3, 1, oneBlock)).isEqualTo(ChunkStatus.INVALID_ADDRESS);
        assertThat(Drives.write(io, region1 + REGION - 8192, 1, 0, 3, 1, oneBlock)).isEqualTo(ChunkStatus.OK);
        assertThat(Drives.write(io, region1, 1, 70_000, 3, 1, oneBlock)).isEqualTo(ChunkStatus.INVALID_REQUEST);
        assertThat(Drives.write(io, region1, 1, 0, 3, -1, oneBlock)).isEqualTo(ChunkStatus.INVALID_REQUEST);

        IoBuffer buffer = io.buffers().acquire();
        assertThat(Drives.run(io, new DriveOp().write(region1, 1, 0, 3, 1, buffer, buffer.capacityBytes())))
                .isEqualTo(ChunkStatus.INVALID_REQUEST);
        assertThat(Drives.run(io, new DriveOp().write(region1, 1, 0, 3, 1, null, 10))).isEqualTo(ChunkStatus.INVALID_REQUEST);
        assertThat(Drives.run(io, new DriveOp().read(region1 + REGION - 8192, 1, 0, 4096, 1, buffer)))
                .isEqualTo(ChunkStatus.INVALID_ADDRESS); // the block would lie past the region
        assertThat(Drives.run(io, new DriveOp().read(region1 + 100, 1, 0, 0, 1, buffer))).isEqualTo(ChunkStatus.INVALID_ADDRESS);
        buffer.release();
        // the chunk written before is intact: nothing above wrote
        ChunkStatus[] status = new ChunkStatus[1];
        assertThat(Drives.read(io, address, 500, 2, 0, LENGTH, status)).isEqualTo(payload);
    }
}
