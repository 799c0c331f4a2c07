package io.strata.drive.store;

import static io.strata.drive.store.Drives.CLUSTER;
import static io.strata.drive.store.Drives.MIB;
import static io.strata.drive.store.Drives.OTHER_CLUSTER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.strata.runtime.ErrorCode;
import io.strata.runtime.ManualClock;
import io.strata.runtime.StrataException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DriveFormatterTest {
    private static final UUID DRIVE = UUID.fromString("11111111-2222-3333-4444-555555555555");
    private static final long REGION = 4 * MIB;

    @TempDir
    Path dir;

    private Path device(long sizeBytes) {
        Path file = dir.resolve("drive.img");
        DriveFormatter.preallocateFile(file, sizeBytes);
        return file;
    }

    private static FormatRequest request(UUID cluster) {
        return FormatRequest.of(cluster, DRIVE).withRegionSizeBytes(REGION);
    }

    @Test
    void formatWritesTheGeometryThatOpenReadsBack() {
        long size = MIB + 10 * REGION + 64 * 1024; // not a whole number of regions: the tail is unused
        Path file = device(size);
        ManualClock clock = new ManualClock(1_700_000_000_000L);
        Superblock written = DriveFormatter.format(file, request(CLUSTER), clock, DeviceUsage.SYSTEM);

        assertThat(written.regionCount()).isEqualTo(10);
        assertThat(written.firstRegionOffset()).isEqualTo(MIB);
        assertThat(written.deviceSizeBytes()).isEqualTo(size);
        assertThat(written.backupOffset()).isEqualTo(size - 4096);
        assertThat(written.createdEpochMs()).isEqualTo(1_700_000_000_000L);
        try (Drive drive = Drives.open(file)) {
            assertThat(drive.superblock()).isEqualTo(written);
            assertThat(drive.driveId()).isEqualTo(DRIVE);
            assertThat(drive.clusterId()).isEqualTo(CLUSTER);
            assertThat(drive.capacityBytes()).isEqualTo(10 * REGION);
            assertThat(drive.regionOffset(3)).isEqualTo(MIB + 3 * REGION);
            assertThat(drive.regionSizeBytes()).isEqualTo(REGION);
        }
    }

    @Test
    void directIoIsUsedOnTheTestFileSystem() {
        Path file = device(MIB + 2 * REGION + 4096);
        DriveFormatter.format(file, request(CLUSTER));
        try (Drive drive = Drive.open(file, DriveOptions.forCluster(CLUSTER).withDirectIo(DirectIoMode.REQUIRED))) {
            assertThat(drive.isDirectIo()).isTrue();
        }
        try (Drive drive = Drive.open(file, DriveOptions.forCluster(CLUSTER).withDirectIo(DirectIoMode.OFF))) {
            assertThat(drive.isDirectIo()).isFalse();
        }
    }

    @Test
    void refusesADriveOfAnotherClusterUnlessForced() {
        Path file = device(MIB + 2 * REGION + 4096);
        DriveFormatter.format(file, request(OTHER_CLUSTER));

        assertThatThrownBy(() -> DriveFormatter.format(file, request(CLUSTER)))
                .isInstanceOf(StrataException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("belongs to cluster " + OTHER_CLUSTER);
        DriveFormatter.format(file, request(CLUSTER).withForce(true));
        try (Drive drive = Drives.open(file)) {
            assertThat(drive.clusterId()).isEqualTo(CLUSTER);
        }
    }

    @Test
    void refusesToReformatADriveOfTheSameClusterUnlessForced() {
        Path file = device(MIB + 2 * REGION + 4096);
        DriveFormatter.format(file, request(CLUSTER));
        UUID newId = UUID.randomUUID();

        assertThatThrownBy(() -> DriveFormatter.format(file, FormatRequest.of(CLUSTER, newId).withRegionSizeBytes(REGION)))
                .isInstanceOf(StrataException.class)
                .hasMessageContaining("already formatted for this cluster as drive " + DRIVE);
        DriveFormatter.format(file, FormatRequest.of(CLUSTER, newId).withRegionSizeBytes(REGION).withForce(true));
        try (Drive drive = Drives.open(file)) {
            assertThat(drive.driveId()).isEqualTo(newId);
        }
    }

    @Test
    void refusesAMissingPathATooSmallDeviceAndABadRegionSize() {
        Path missing = dir.resolve("nothing-here");
        assertThatThrownBy(() -> DriveFormatter.format(missing, request(CLUSTER).withForce(true)))
                .isInstanceOf(StrataException.class)
                .hasMessageContaining(missing.toString()).hasMessageContaining("no such device or file")
                .extracting(e -> ((StrataException) e).code()).isEqualTo(ErrorCode.NOT_FOUND);

        Path small = device(MIB + 2 * REGION); // no room for the backup block
        assertThatThrownBy(() -> DriveFormatter.format(small, request(CLUSTER).withForce(true)))
                .isInstanceOf(StrataException.class)
                .hasMessageContaining(small.toString()).hasMessageContaining("too small");

        assertThatThrownBy(() -> DriveFormatter.format(small, request(CLUSTER).withRegionSizeBytes(MIB + 4096)))
                .isInstanceOf(StrataException.class)
                .hasMessageContaining("region size " + (MIB + 4096));
        assertThatThrownBy(() -> DriveFormatter.format(dir, request(CLUSTER)))
                .isInstanceOf(StrataException.class)
                .hasMessageContaining("not a block device nor a regular file");
    }

    @Test
    void refusesAFileBackingALoopDeviceEvenWhenForced() throws Exception {
        Path file = device(MIB + 2 * REGION + 4096);
        Path sys = dir.resolve("sys");
        Files.createDirectories(sys.resolve("block/loop3/loop"));
        Files.writeString(sys.resolve("block/loop3/loop/backing_file"), file.toRealPath() + "\n");
        DeviceUsage usage = new DeviceUsage(dir.resolve("proc"), sys);

        assertThatThrownBy(() -> DriveFormatter.format(file, request(CLUSTER).withForce(true), new ManualClock(0), usage))
                .isInstanceOf(StrataException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("backing file of loop3");
    }

    @Test
    void openFallsBackToTheBackupSuperblockAndRepairsThePrimary() throws Exception {
        Path file = device(MIB + 2 * REGION + 4096);
        Superblock written = DriveFormatter.format(file, request(CLUSTER));
        Drives.flipByte(file, 40); // inside the drive id

        try (Drive drive = Drives.open(file)) {
            assertThat(drive.superblock()).isEqualTo(written);
        }
        Drives.flipByte(file, written.backupOffset() + 40); // now only the repaired primary is good
        try (Drive drive = Drive.open(file, DriveOptions.forCluster(CLUSTER).withRepairSuperblock(false))) {
            assertThat(drive.superblock()).isEqualTo(written);
        }
    }

    @Test
    void openRefusesCorruptUnformattedAndForeignDrives() throws Exception {
        Path blank = device(MIB + 2 * REGION + 4096);
        assertThatThrownBy(() -> Drives.open(blank))
                .isInstanceOf(StrataException.class)
                .hasMessageContaining(blank.toString()).hasMessageContaining("not a formatted Strata drive");

        Superblock written = DriveFormatter.format(blank, request(OTHER_CLUSTER));
        assertThatThrownBy(() -> Drives.open(blank))
                .isInstanceOf(StrataException.class)
                .hasMessageContaining("belongs to cluster " + OTHER_CLUSTER)
                .hasMessageContaining("not to cluster " + CLUSTER);

        Drives.flipByte(blank, 100);
        Drives.flipByte(blank, written.backupOffset() + 100);
        assertThatThrownBy(() -> Drive.open(blank, DriveOptions.defaults()))
                .isInstanceOf(StrataException.class)
                .hasMessageContaining("corrupt superblock: primary CRC mismatch, backup CRC mismatch");
        assertThatThrownBy(() -> DriveFormatter.format(blank, request(CLUSTER)))
                .isInstanceOf(StrataException.class)
                .hasMessageContaining("damaged Strata superblock");

        Path missing = dir.resolve("gone.img");
        assertThatThrownBy(() -> Drives.open(missing))
                .isInstanceOf(StrataException.class)
                .hasMessageContaining(missing.toString()).hasMessageContaining("no such device or file");
    }

    @Test
    void preallocatedFilesHaveTheRequestedSizeAndAreNeverShrunk() throws Exception {
        Path file = device(64 * MIB);
        assertThat(Files.size(file)).isEqualTo(64 * MIB);
        DriveFormatter.preallocateFile(file, 64 * MIB);
        assertThat(Files.size(file)).isEqualTo(64 * MIB);
        assertThatThrownBy(() -> DriveFormatter.preallocateFile(file, 32 * MIB))
                .isInstanceOf(StrataException.class).hasMessageContaining("already " + 64 * MIB);
        assertThatThrownBy(() -> DriveFormatter.preallocateFile(file, 100))
                .isInstanceOf(StrataException.class).hasMessageContaining("multiple of 4096");
    }
}
