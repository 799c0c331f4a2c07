package io.strata.resources;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.strata.runtime.SafeFiles;
import io.strata.runtime.StrataException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class HardwareReaderTest {
    private final Path root = TempDirs.create("root");

    @AfterEach
    void cleanUp() {
        SafeFiles.deleteRecursively(root);
    }

    @Test
    void withoutSysfsCpuinfoGivesCoresAndSiblings() {
        Shape.put(root, SysFs.PROC_CPUINFO, """
                processor\t: 0
                physical id\t: 0
                core id\t\t: 0

                processor\t: 1
                physical id\t: 0
                core id\t\t: 1

                processor\t: 2
                physical id\t: 0
                core id\t\t: 0

                processor\t: 3
                physical id\t: 0
                core id\t\t: 1
                """);
        Hardware hardware = HardwareReader.read(root);
        assertThat(hardware.cpus()).extracting(Cpu::siblings)
                .containsExactly(List.of(0, 2), List.of(1, 3), List.of(0, 2), List.of(1, 3));
        assertThat(hardware.physicalCores()).extracting(PhysicalCore::cpu).containsExactly(0, 1);
        assertThat(hardware.hostname()).isEqualTo("localhost");
        assertThat(hardware.memoryBytes()).isZero();
    }

    @Test
    void offlineCpusAreLeftOut() {
        new Shape().cpus(1, 4, 1).write(root);
        Shape.put(root, SysFs.CPU_DIR + "/cpu3/online", "0");
        Shape.put(root, SysFs.CPU_DIR + "/online", "0-2");
        assertThat(HardwareReader.read(root).cpus()).extracting(Cpu::id).containsExactly(0, 1, 2);
    }

    @Test
    void siblingsListedBySysfsAreTrustedOverCoreIds() {
        new Shape().cpus(1, 2, 1).write(root);
        // Some VMs give every CPU core id 0; their sibling lists still say each is alone.
        Shape.put(root, SysFs.CPU_DIR + "/cpu1/topology/core_id", "0");
        assertThat(HardwareReader.read(root).physicalCores()).hasSize(2);
    }

    @Test
    void aSiblingListWithoutTheCpuItselfIsIgnored() {
        new Shape().cpus(1, 2, 1).write(root);
        Shape.put(root, SysFs.CPU_DIR + "/cpu1/topology/thread_siblings_list", "0");
        Shape.put(root, SysFs.CPU_DIR + "/cpu1/topology/core_cpus_list", "0");
        assertThat(HardwareReader.read(root).cpu(1).orElseThrow().siblings()).containsExactly(1);
    }

    @Test
    void drivesInUseAreSeenThroughMountsSwapHoldersAndPartitions() {
        new Shape()
                .disk(new Shape.DiskSpec("nvme0n1", 1L << 40, "/mnt/with space", false, List.of(), List.of()))
                .disk(new Shape.DiskSpec("nvme1n1", 1L << 40, null, true, List.of(), List.of()))
                .disk(new Shape.DiskSpec("nvme2n1", 1L << 40, null, false, List.of("md127"), List.of()))
                .disk(new Shape.DiskSpec("nvme3n1", 1L << 40, null, false, List.of(), List.of(
                        new Shape.PartSpec("nvme3n1p1", 1L << 39, null, List.of()))))
                .disk(new Shape.DiskSpec("nvme4n1", 1L << 40, null, false, List.of(), List.of()))
                .disk(new Shape.DiskSpec("sdb", 1L << 40, null, false, List.of(), List.of()))
                .write(root);
        Shape.put(root, SysFs.PROC_MOUNTS, "/dev/nvme0n1 /mnt/with\\040space xfs rw 0 0\nsysfs /sys sysfs rw 0 0");
        Shape.put(root, SysFs.BLOCK_DIR + "/nvme0c0n1/size", "100");
        Shape.put(root, SysFs.BLOCK_DIR + "/nvme0c0n1/hidden", "1");
        Hardware hardware = HardwareReader.read(root);
        assertThat(hardware.blockDevice("nvme0n1").orElseThrow().inUseReason()).isEqualTo("mounted at /mnt/with space");
        assertThat(hardware.blockDevice("nvme1n1").orElseThrow().inUseReason()).isEqualTo("used as swap");
        assertThat(hardware.blockDevice("nvme2n1").orElseThrow().inUseReason()).isEqualTo("held by md127");
        BlockDevice partitioned = hardware.blockDevice("/dev/nvme3n1").orElseThrow();
        assertThat(partitioned.inUseReason()).isNull();
        assertThat(partitioned.isFreeNvme()).isFalse();
        assertThat(hardware.blockDevice("nvme4n1").orElseThrow().isFreeNvme()).isTrue();
        assertThat(hardware.blockDevice("nvme4n1").orElseThrow().sizeBytes()).isEqualTo(1L << 40);
        assertThat(hardware.blockDevice("sdb").orElseThrow().isFreeNvme()).isFalse();
        assertThat(hardware.blockDevice("nvme0c0n1")).isEmpty();
    }

    @Test
    void refusesARootThatIsNotAFolder() {
        assertThatThrownBy(() -> HardwareReader.read(root.resolve("missing")))
                .isInstanceOf(StrataException.class)
                .hasMessage("hardware root %s is not a folder", root.resolve("missing"));
    }
}
