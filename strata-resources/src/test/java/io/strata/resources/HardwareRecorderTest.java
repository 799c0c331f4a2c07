package io.strata.resources;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.strata.runtime.SafeFiles;
import io.strata.runtime.StrataException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class HardwareRecorderTest {
    private final Path live = TempDirs.create("live");
    private final Path copy = TempDirs.create("copy");

    @AfterEach
    void cleanUp() {
        SafeFiles.deleteRecursively(live);
        SafeFiles.deleteRecursively(copy);
    }

    /**
     * A root laid out as sysfs is: {@code class/net/*} and {@code block/*} are symlinks into
     * {@code devices/}, a PCI NIC's {@code device} links to its PCI function, a virtio NIC's to a
     * virtio device one level below it, and holders are symlinks too.
     */
    private void writeSymlinkedSysfs() throws IOException {
        new Shape().hostname("linked").cpus(1, 2, 2).write(live);
        SafeFiles.deleteRecursively(live.resolve("sys/class"));
        SafeFiles.deleteRecursively(live.resolve("sys/block"));
        Path pci = live.resolve("sys/devices/pci0000:00");
        Shape.put(pci, "0000:3b:00.0/vendor", "0x15b3");
        Shape.put(pci, "0000:3b:00.0/device", "0x101d");
        Shape.put(pci, "0000:3b:00.0/net/ens1/address", "b8:ce:f6:00:00:01");
        Shape.put(pci, "0000:3b:00.0/net/ens1/operstate", "up");
        Files.createSymbolicLink(pci.resolve("0000:3b:00.0/net/ens1/device"), Path.of("../../../0000:3b:00.0"));
        Shape.put(pci, "0000:00:03.0/vendor", "0x1af4");
        Shape.put(pci, "0000:00:03.0/device", "0x1041");
        Shape.put(pci, "0000:00:03.0/virtio2/vendor", "0x1af4");
        Shape.put(pci, "0000:00:03.0/virtio2/device", "0x0001");
        Shape.put(pci, "0000:00:03.0/virtio2/net/eth0/address", "02:fc:00:00:00:01");
        Files.createSymbolicLink(pci.resolve("0000:00:03.0/virtio2/net/eth0/device"), Path.of("../../../virtio2"));
        Shape.put(pci, "0000:00:14.0/vendor", "0x8086");
        Shape.put(pci, "0000:00:14.0/device", "0xa0ed");
        Shape.put(pci, "0000:00:14.0/usb1/1-1/1-1:1.0/net/usb0/address", "02:00:00:00:00:02");
        Files.createSymbolicLink(pci.resolve("0000:00:14.0/usb1/1-1/1-1:1.0/net/usb0/device"), Path.of("../../../1-1:1.0"));
        Shape.put(live, "sys/devices/virtual/net/lo/address", "00:00:00:00:00:00");
        Files.createDirectories(live.resolve("sys/class/net"));
        Files.createSymbolicLink(live.resolve("sys/class/net/ens1"), Path.of("../../devices/pci0000:00/0000:3b:00.0/net/ens1"));
        Files.createSymbolicLink(live.resolve("sys/class/net/eth0"), Path.of("../../devices/pci0000:00/0000:00:03.0/virtio2/net/eth0"));
        Files.createSymbolicLink(live.resolve("sys/class/net/lo"), Path.of("../../devices/virtual/net/lo"));
        Files.createSymbolicLink(live.resolve("sys/class/net/usb0"), Path.of("../../devices/pci0000:00/0000:00:14.0/usb1/1-1/1-1:1.0/net/usb0"));
        Path nvme = pci.resolve("0000:5e:00.0/nvme/nvme0/nvme0n1");
        Shape.put(nvme, "size", "7501476528");
        Shape.put(nvme, "nvme0n1p1/partition", "1");
        Shape.put(nvme, "nvme0n1p1/size", "2048");
        Files.createDirectories(nvme.resolve("nvme0n1p1/holders"));
        Shape.put(live, "sys/devices/virtual/block/dm-0/size", "2048");
        Files.createSymbolicLink(nvme.resolve("nvme0n1p1/holders/dm-0"), Path.of("../../../../../../../virtual/block/dm-0"));
        Files.createDirectories(live.resolve("sys/block"));
        Files.createSymbolicLink(live.resolve("sys/block/nvme0n1"), Path.of("../devices/pci0000:00/0000:5e:00.0/nvme/nvme0/nvme0n1"));
        Files.createSymbolicLink(live.resolve("sys/block/dm-0"), Path.of("../devices/virtual/block/dm-0"));
    }

    @Test
    void recordsSymlinkedSysfsAsPlainFilesThatReadTheSame() throws IOException {
        writeSymlinkedSysfs();
        Hardware original = HardwareReader.read(live);
        assertThat(original.nic("ens1").orElseThrow()).isEqualTo(new NetDevice("ens1", "b8:ce:f6:00:00:01", "up", "0000:3b:00.0", "15b3", "101d"));
        assertThat(original.nic("eth0").orElseThrow().pciAddress()).isEqualTo("0000:00:03.0");
        assertThat(original.nic("eth0").orElseThrow().pciId()).isEqualTo("1af4:1041");
        assertThat(original.nic("lo").orElseThrow().isPhysical()).isFalse();
        assertThat(original.nic("usb0").orElseThrow().isPhysical()).as("a USB NIC is not its controller").isFalse();
        BlockDevice nvme = original.blockDevice("nvme0n1").orElseThrow();
        assertThat(nvme.partitions().getFirst().holders()).containsExactly("dm-0");
        assertThat(nvme.inUseReason()).isEqualTo("partition nvme0n1p1 is held by dm-0");

        List<Path> written = HardwareRecorder.record(live, copy);

        assertThat(written).isNotEmpty().allMatch(p -> !p.isAbsolute() && Files.isRegularFile(copy.resolve(p)));
        try (Stream<Path> all = Files.walk(copy)) {
            assertThat(all).noneMatch(Files::isSymbolicLink);
        }
        assertThat(HardwareReader.read(copy)).isEqualTo(original);
    }

    @Test
    void refusesAFolderThatIsNotEmptyAndWritesNothing() throws IOException {
        new Shape().write(live);
        Files.writeString(copy.resolve("notes.txt"), "mine");
        assertThatThrownBy(() -> HardwareRecorder.record(live, copy))
                .isInstanceOf(StrataException.class)
                .hasMessage("cannot record into %s: the folder is not empty", copy);
        try (Stream<Path> all = Files.list(copy)) {
            assertThat(all).hasSize(1);
        }
    }

    @Test
    void refusesARootWithoutCpus() throws IOException {
        Files.createDirectories(live.resolve("proc"));
        assertThatThrownBy(() -> HardwareRecorder.record(live, copy.resolve("out")))
                .isInstanceOf(StrataException.class)
                .hasMessageStartingWith("no CPU found under " + live);
        assertThat(copy.resolve("out")).doesNotExist();
    }

    /** This machine, recorded and read back, is the machine; and the generator answers on it in one line or with files. */
    @Test
    void recordsThisMachine() throws IOException {
        Path target = copy.resolve("this");
        HardwareRecorder.record(target);
        try (Stream<Path> all = Files.walk(target)) {
            assertThat(all).noneMatch(Files::isSymbolicLink);
        }
        Hardware recorded = HardwareReader.read(target);
        Hardware live = HardwareReader.read(Path.of("/"));
        assertThat(recorded).isEqualTo(live);
        try {
            GeneratedResources result = ResourceGenerator.generate(recorded, GeneratorOptions.defaults());
            assertThat(recorded.physicalCores().size()).as("files on a machine of %d cores", recorded.physicalCores().size()).isGreaterThan(2);
            assertThat(result.files()).isNotEmpty();
        } catch (StrataException refusal) {
            assertThat(refusal.getMessage()).doesNotContain("\n");
            if (recorded.physicalCores().size() <= 2) {
                assertThat(refusal.getMessage()).startsWith("no core left for compute: ");
            }
        }
    }
}
