package io.strata.drive.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Against fake /proc and /sys trees shaped like the kernel's, for a disk sdb (8:16) with partitions sdb1, sdb2. */
class DeviceUsageTest {
    @TempDir
    Path root;
    private Path proc;
    private Path sys;
    private DeviceUsage usage;
    private final Path device = Path.of("/dev/sdb");

    @BeforeEach
    void fakeKernel() throws Exception {
        proc = root.resolve("proc");
        sys = root.resolve("sys");
        Files.createDirectories(proc.resolve("self"));
        Path disk = Files.createDirectories(sys.resolve("devices/pci0000:00/block/sdb"));
        Files.createDirectories(disk.resolve("holders"));
        for (int part = 1; part <= 2; part++) {
            Path partition = Files.createDirectories(disk.resolve("sdb" + part));
            Files.writeString(partition.resolve("partition"), part + "\n");
            Files.writeString(partition.resolve("dev"), "8:" + (16 + part) + "\n");
            Files.createDirectories(partition.resolve("holders"));
            Files.createDirectories(sys.resolve("class/block"));
            Files.createSymbolicLink(sys.resolve("class/block/sdb" + part), partition);
        }
        Files.createSymbolicLink(sys.resolve("class/block/sdb"), disk);
        Files.createDirectories(sys.resolve("dev/block"));
        Files.createSymbolicLink(sys.resolve("dev/block/8:16"), disk);
        Files.writeString(proc.resolve("self/mountinfo"),
                "22 27 0:21 / /proc rw,relatime - proc proc rw\n"
                + "27 1 254:0 / / rw,relatime - ext4 /dev/vda rw\n");
        Files.writeString(proc.resolve("mounts"), "/dev/vda / ext4 rw 0 0\n");
        Files.writeString(proc.resolve("swaps"), "Filename\tType\tSize\tUsed\tPriority\n");
        usage = new DeviceUsage(proc, sys);
    }

    @Test
    void anUnusedDiskIsFree() throws Exception {
        assertThat(usage.blockDeviceInUse(device, "8:16")).isEmpty();
        assertThat(usage.deviceAndPartitions("8:16")).containsEntry("8:16", "sdb")
                .containsEntry("8:17", "sdb1").containsEntry("8:18", "sdb2").hasSize(3);
    }

    @Test
    void aMountedPartitionIsFoundByDeviceNumberInMountinfo() throws Exception {
        Files.writeString(proc.resolve("self/mountinfo"), "40 27 8:18 / /mnt/data\\040disk rw - xfs /dev/sdb2 rw\n",
                java.nio.file.StandardOpenOption.APPEND);
        assertThat(usage.blockDeviceInUse(device, "8:16")).contains("sdb2 is mounted at /mnt/data disk");
    }

    @Test
    void aMountListedOnlyInProcMountsIsFoundByPath() throws Exception {
        Files.writeString(proc.resolve("self/mountinfo"), "");
        Files.writeString(proc.resolve("mounts"), "/dev/sdb1 /boot ext4 rw 0 0\n");
        assertThat(usage.blockDeviceInUse(device, "8:16")).contains("/dev/sdb1 is mounted at /boot");
    }

    @Test
    void holdersOfTheDiskOrAPartitionAndSwapAreFound() throws Exception {
        Files.createDirectories(sys.resolve("devices/pci0000:00/block/sdb/sdb1/holders/dm-0"));
        Files.writeString(proc.resolve("swaps"), "/dev/sdb2 partition 1000 0 -2\n", java.nio.file.StandardOpenOption.APPEND);
        Optional<String> reason = usage.blockDeviceInUse(device, "8:16");
        assertThat(reason).hasValueSatisfying(text -> assertThat(text)
                .contains("sdb1 is held by dm-0").contains("/dev/sdb2 is in use as swap"));
    }

    @Test
    void aRegularFileBackingALoopDeviceIsInUse() throws Exception {
        Path file = Files.createFile(root.resolve("drive.img"));
        assertThat(usage.inUse(file)).isEmpty();
        Files.createDirectories(sys.resolve("block/loop5/loop"));
        Files.writeString(sys.resolve("block/loop5/loop/backing_file"), file.toRealPath() + "\n");
        assertThat(usage.inUse(file)).contains("it is the backing file of loop5");
    }

    @Test
    void deviceNumbersAreDecodedAsGlibcDoes() {
        long rdev = (254L << 8) | 3; // 254:3
        assertThat(DeviceUsage.major(rdev)).isEqualTo(254);
        assertThat(DeviceUsage.minor(rdev)).isEqualTo(3);
        long large = ((259L & 0xfff) << 8) | (0x1234L & 0xff) | ((0x1234L & ~0xffL) << 12); // 259:4660
        assertThat(DeviceUsage.major(large)).isEqualTo(259);
        assertThat(DeviceUsage.minor(large)).isEqualTo(0x1234);
    }
}
