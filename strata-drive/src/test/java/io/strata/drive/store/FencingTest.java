package io.strata.drive.store;

import static io.strata.drive.store.Drives.MIB;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.strata.runtime.StrataException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FencingTest {
    private static final long REGION = MIB;
    private static final byte[] DATA = new byte[100];

    @TempDir
    Path dir;

    private static DriveIo open(Path file) {
        return new DriveIo(Drives.open(file), DriveIoOptions.defaults().withBuffers(4, 64 * 1024));
    }

    private static void close(DriveIo io) {
        io.close();
        io.drive().close();
    }

    private static ChunkStatus fence(DriveIo io, int bucket, long term) {
        return Drives.run(io, new DriveOp().fence(bucket, term));
    }

    @Test
    void lowerTermsAreFencedPerBucketAndTheTableSurvivesAReopen() {
        Path file = Drives.formattedFile(dir, "fence.img", REGION, 2);
        DriveIo io = open(file);
        long at = io.drive().regionOffset(0);
        try {
            assertThat(io.drive().highestTerm(7)).isEqualTo(-1);
            assertThat(Drives.write(io, at, 1, 0, 7, 5, DATA)).isEqualTo(ChunkStatus.OK);
            assertThat(io.drive().highestTerm(7)).isEqualTo(5);
            assertThat(Drives.write(io, at, 1, 0, 7, 4, DATA)).isEqualTo(ChunkStatus.FENCED);
            assertThat(Drives.write(io, at, 1, 0, 7, 5, DATA)).isEqualTo(ChunkStatus.OK);
            assertThat(fence(io, 7, 9)).isEqualTo(ChunkStatus.OK);
            assertThat(Drives.write(io, at, 1, 0, 7, 5, DATA)).isEqualTo(ChunkStatus.FENCED);
            assertThat(fence(io, 7, 8)).isEqualTo(ChunkStatus.FENCED);
            assertThat(fence(io, 7, 9)).isEqualTo(ChunkStatus.OK);
            assertThat(Drives.write(io, at, 1, 0, 8, 1, DATA)).isEqualTo(ChunkStatus.OK); // another bucket
            assertThat(Drives.write(io, at, 1, 0, -1, 3, DATA)).isEqualTo(ChunkStatus.OK); // bucket ids are u32
            assertThat(fence(io, 7, -2)).isEqualTo(ChunkStatus.INVALID_REQUEST);
        } finally {
            close(io);
        }
        DriveIo reopened = open(file);
        try {
            assertThat(reopened.drive().highestTerm(7)).isEqualTo(9);
            assertThat(reopened.drive().highestTerm(8)).isEqualTo(1);
            assertThat(reopened.drive().highestTerm(-1)).isEqualTo(3);
            assertThat(Drives.write(reopened, at, 1, 0, 7, 8, DATA)).isEqualTo(ChunkStatus.FENCED);
            assertThat(Drives.write(reopened, at, 1, 0, 7, 9, DATA)).isEqualTo(ChunkStatus.OK);
        } finally {
            close(reopened);
        }
    }

    @Test
    void aTornWriteOfTheNewerCopyLeavesThePreviousTable() throws Exception {
        Path file = Drives.formattedFile(dir, "torn.img", REGION, 2);
        DriveIo io = open(file);
        try {
            assertThat(fence(io, 1, 10)).isEqualTo(ChunkStatus.OK); // generation 1, copy A
            assertThat(fence(io, 1, 11)).isEqualTo(ChunkStatus.OK); // generation 2, copy B
            assertThat(fence(io, 1, 12)).isEqualTo(ChunkStatus.OK); // generation 3, copy A
        } finally {
            close(io);
        }
        Drives.flipByte(file, DriveLayout.FENCE_TABLE_A_OFFSET + 64 + 9); // the term in copy A
        DriveIo reopened = open(file);
        try {
            assertThat(reopened.drive().highestTerm(1)).isEqualTo(11);
            assertThat(fence(reopened, 1, 13)).isEqualTo(ChunkStatus.OK); // rewrites A, the damaged copy
        } finally {
            close(reopened);
        }
        Drives.flipByte(file, DriveLayout.FENCE_TABLE_B_OFFSET + 64 + 9);
        DriveIo third = open(file);
        try {
            assertThat(third.drive().highestTerm(1)).isEqualTo(13);
        } finally {
            close(third);
        }
        Drives.flipByte(file, DriveLayout.FENCE_TABLE_A_OFFSET + 64 + 9);
        assertThatThrownBy(() -> Drives.open(file))
                .isInstanceOf(StrataException.class)
                .hasMessageContaining("both copies of the fencing table are damaged");
    }

    @Test
    void manyBucketsArePersistedAndTheTableRefusesBucketsBeyondItsCapacity() {
        Path file = Drives.formattedFile(dir, "many.img", REGION, 2);
        DriveIo io = open(file);
        try {
            for (int bucket = 0; bucket < 300; bucket++) {
                assertThat(fence(io, bucket * 7919, bucket + 1)).isEqualTo(ChunkStatus.OK);
            }
        } finally {
            close(io);
        }
        DriveIo reopened = open(file);
        try {
            for (int bucket = 0; bucket < 300; bucket++) {
                assertThat(reopened.drive().highestTerm(bucket * 7919)).isEqualTo(bucket + 1);
            }
        } finally {
            close(reopened);
        }
    }

    @Test
    void aFullTableAnswersNoSpace() throws Exception {
        Path file = Drives.formattedFile(dir, "full.img", REGION, 2);
        Drive drive = Drives.open(file);
        try {
            Superblock real = drive.superblock();
            assertThat(FencingTable.load(drive.channel(), real, AlignedIo.allocateAligned(drive.arena(), real.fenceTableBytes()),
                    "full.img").capacity()).isEqualTo((DriveLayout.FENCE_TABLE_BYTES - 64) / 16);
            // The same table format in one block, so filling it takes a few hundred syncs, not 28 000.
            Superblock oneBlockTables = new Superblock(real.formatVersion(), real.clusterId(), real.driveId(),
                    real.deviceSizeBytes(), real.regionSizeBytes(), real.regionCount(), real.firstRegionOffset(),
                    real.createdEpochMs(), real.formatStamp(), real.backupOffset(), real.fenceTableOffsetA(),
                    real.fenceTableOffsetB(), 4096);
            FencingTable table = FencingTable.load(drive.channel(), oneBlockTables,
                    AlignedIo.allocateAligned(drive.arena(), 4096), "full.img");
            int capacity = table.capacity();
            assertThat(capacity).isEqualTo((4096 - 64) / 16);
            for (int bucket = 0; bucket < capacity; bucket++) {
                assertThat(tableFence(table, bucket)).isEqualTo(ChunkStatus.OK);
            }
            assertThat(tableFence(table, capacity)).isEqualTo(ChunkStatus.NO_SPACE);
            assertThat(table.fence(0, 5)).isEqualTo(ChunkStatus.OK); // known buckets may still move on
            FencingTable reloaded = FencingTable.load(drive.channel(), oneBlockTables,
                    AlignedIo.allocateAligned(drive.arena(), 4096), "full.img");
            assertThat(reloaded.highestTerm(0)).isEqualTo(5);
            assertThat(reloaded.highestTerm(capacity - 1)).isEqualTo(1);
            assertThat(reloaded.highestTerm(capacity)).isEqualTo(FencingTable.NO_TERM);
        } finally {
            drive.close();
        }
    }

    private static ChunkStatus tableFence(FencingTable table, int bucket) {
        return table.fence(bucket, 1);
    }
}
