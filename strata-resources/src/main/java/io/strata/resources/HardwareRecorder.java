package io.strata.resources;

import io.strata.runtime.StrataException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Copies the parts of {@code /proc} and {@code /sys} that {@link HardwareReader} reads into a
 * folder, so a server can be planned elsewhere ({@code strata resources generate --root DIR}).
 *
 * <p>The copy holds plain files and folders only. sysfs is a web of symlinks ({@code
 * /sys/class/net/eth0} and {@code /sys/block/sda} lead into {@code /sys/devices}); the recorder
 * follows them and writes what they resolve to, so the copy never points outside itself. A NIC's
 * PCI device is written under {@code device/} with its ids and a {@code uevent} naming
 * {@code PCI_SLOT_NAME}, as sysfs shows a PCI NIC; holders become empty files named after them.
 * Of {@code /proc/mounts} only the lines of {@code /dev/} devices are kept: the others say nothing
 * about drives and may describe the machine more than needed.
 */
public final class HardwareRecorder {
    private HardwareRecorder() {
    }

    /** Records the live machine into {@code to}; returns the files written, relative to it. */
    public static List<Path> record(Path to) {
        return record(Path.of("/"), to);
    }

    /** Records the hardware under {@code from} (a live root or another copy) into {@code to}. */
    public static List<Path> record(Path from, Path to) {
        checkTarget(to);
        HardwareReader.read(from); // refuses a root without CPUs before anything is written
        List<Path> written = new ArrayList<>();
        Copier copier = new Copier(from, to, written);
        copier.copy(SysFs.PROC_CPUINFO);
        copier.copy(SysFs.PROC_MEMINFO);
        copier.copy(SysFs.PROC_SWAPS);
        copier.copy(SysFs.PROC_HOSTNAME);
        copier.copyMountsOfDevices();
        recordCpus(copier, from);
        recordNodes(copier, from);
        recordNics(copier, from);
        recordBlockDevices(copier, from);
        return List.copyOf(written);
    }

    private static void checkTarget(Path to) {
        if (Files.exists(to, LinkOption.NOFOLLOW_LINKS)) {
            if (!Files.isDirectory(to, LinkOption.NOFOLLOW_LINKS)) {
                throw StrataException.invalid("cannot record into %s: it exists and is not a folder", to);
            }
            try (Stream<Path> entries = Files.list(to)) {
                if (entries.findAny().isPresent()) {
                    throw StrataException.invalid("cannot record into %s: the folder is not empty", to);
                }
            } catch (IOException e) {
                throw StrataException.invalid("cannot record into %s: %s", to, e.getMessage());
            }
        }
    }

    private static void recordCpus(Copier copier, Path from) {
        copier.copy(SysFs.CPU_DIR + "/online");
        for (int cpu : SysFs.numbered(from.resolve(SysFs.CPU_DIR), "cpu")) {
            String dir = SysFs.CPU_DIR + "/cpu" + cpu;
            copier.copy(dir + "/online");
            for (String file : SysFs.TOPOLOGY_FILES) {
                copier.copy(dir + "/topology/" + file);
            }
        }
    }

    private static void recordNodes(Copier copier, Path from) {
        copier.copy(SysFs.NODE_DIR + "/online");
        for (int node : SysFs.numbered(from.resolve(SysFs.NODE_DIR), "node")) {
            copier.copy(SysFs.NODE_DIR + "/node" + node + "/cpulist");
        }
    }

    private static void recordNics(Copier copier, Path from) {
        for (String name : SysFs.list(from.resolve(SysFs.NET_DIR))) {
            String dir = SysFs.NET_DIR + "/" + name;
            if (!Files.isDirectory(from.resolve(dir))) {
                continue;
            }
            copier.mkdir(dir);
            for (String file : SysFs.NIC_FILES) {
                copier.copy(dir + "/" + file);
            }
            Optional<SysFs.PciLocation> pci = SysFs.pciOf(from, from.resolve(dir).resolve("device"));
            pci.ifPresent(location -> {
                copier.write(dir + "/device/vendor", "0x" + location.vendor());
                copier.write(dir + "/device/device", "0x" + location.device());
                copier.write(dir + "/device/uevent", "PCI_SLOT_NAME=" + location.address());
            });
        }
    }

    private static void recordBlockDevices(Copier copier, Path from) {
        for (String name : SysFs.list(from.resolve(SysFs.BLOCK_DIR))) {
            String dir = SysFs.BLOCK_DIR + "/" + name;
            Path device = from.resolve(dir);
            if (!Files.isDirectory(device)) {
                continue;
            }
            copier.mkdir(dir);
            for (String file : SysFs.BLOCK_FILES) {
                copier.copy(dir + "/" + file);
            }
            copier.copyNames(dir + "/holders");
            for (String child : SysFs.list(device)) {
                if (Files.isRegularFile(device.resolve(child).resolve("partition"))) {
                    copier.copy(dir + "/" + child + "/partition");
                    copier.copy(dir + "/" + child + "/size");
                    copier.copyNames(dir + "/" + child + "/holders");
                }
            }
        }
    }

    /** Writes into the copy, following symlinks on the way in and writing none on the way out. */
    private record Copier(Path from, Path to, List<Path> written) {
        void copy(String relative) {
            SysFs.read(from.resolve(relative)).ifPresent(content -> write(relative, content));
        }

        void copyMountsOfDevices() {
            List<String> lines = SysFs.readLines(from.resolve(SysFs.PROC_MOUNTS));
            if (!lines.isEmpty()) {
                write(SysFs.PROC_MOUNTS, lines.stream().filter(l -> l.startsWith("/dev/")).collect(Collectors.joining("\n")));
            }
        }

        /** A folder of symlinks (holders) becomes a folder of empty files with the same names. */
        void copyNames(String relative) {
            if (!Files.isDirectory(from.resolve(relative))) {
                return;
            }
            mkdir(relative);
            for (String name : SysFs.list(from.resolve(relative))) {
                write(relative + "/" + name, "");
            }
        }

        void mkdir(String relative) {
            try {
                Files.createDirectories(to.resolve(relative));
            } catch (IOException e) {
                throw StrataException.invalid("cannot create %s: %s", to.resolve(relative), e.getMessage());
            }
        }

        void write(String relative, String content) {
            Path target = to.resolve(relative);
            try {
                Files.createDirectories(target.getParent());
                Files.writeString(target, content.isEmpty() ? "" : content + "\n", StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw StrataException.invalid("cannot write %s: %s", target, e.getMessage());
            }
            written.add(to.relativize(target));
        }
    }
}
