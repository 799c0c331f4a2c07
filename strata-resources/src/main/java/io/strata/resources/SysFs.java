package io.strata.resources;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Reading the small files of {@code /proc} and {@code /sys}, live or recorded. Many sysfs
 * attributes cannot be read in some states (a NIC's speed while it is down), so a file that
 * cannot be read is simply absent. Shared by {@link HardwareReader} and {@link HardwareRecorder}
 * so that both see the same things.
 */
final class SysFs {
    static final String PROC_CPUINFO = "proc/cpuinfo";
    static final String PROC_MEMINFO = "proc/meminfo";
    static final String PROC_MOUNTS = "proc/mounts";
    static final String PROC_SWAPS = "proc/swaps";
    static final String PROC_HOSTNAME = "proc/sys/kernel/hostname";
    static final String CPU_DIR = "sys/devices/system/cpu";
    static final String NODE_DIR = "sys/devices/system/node";
    static final String NET_DIR = "sys/class/net";
    static final String BLOCK_DIR = "sys/block";

    static final List<String> TOPOLOGY_FILES =
            List.of("core_id", "physical_package_id", "thread_siblings_list", "core_cpus_list", "die_id");
    static final List<String> BLOCK_FILES = List.of("size", "hidden", "ro", "removable");
    static final List<String> NIC_FILES = List.of("address", "operstate");

    private static final Pattern PCI_ADDRESS = Pattern.compile("[0-9a-f]{4}:[0-9a-f]{2}:[0-9a-f]{2}\\.[0-7]");
    private static final Pattern NUMBERED = Pattern.compile("(cpu|node)(\\d+)");
    private static final Pattern VIRTIO = Pattern.compile("virtio\\d+");

    /** Where a NIC sits on PCI: its address and vendor/device ids (4 hex digits, no 0x). */
    record PciLocation(String address, String vendor, String device) {
    }

    private SysFs() {
    }

    static Optional<String> read(Path file) {
        try {
            if (!Files.isRegularFile(file)) {
                return Optional.empty();
            }
            return Optional.of(Files.readString(file, StandardCharsets.UTF_8).strip());
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    static List<String> readLines(Path file) {
        return read(file).map(s -> s.lines().toList()).orElse(List.of());
    }

    static Optional<Long> readLong(Path file) {
        try {
            return read(file).map(String::strip).map(Long::parseLong);
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** The names in a directory (following a symlink to it), sorted; none if it is absent. */
    static List<String> list(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.map(p -> p.getFileName().toString()).sorted().toList();
        } catch (IOException | RuntimeException e) {
            return List.of();
        }
    }

    /** The numbered entries {@code cpu0, cpu1, ...} or {@code node0, ...} of a directory, by number. */
    static List<Integer> numbered(Path dir, String prefix) {
        List<Integer> numbers = new ArrayList<>();
        for (String name : list(dir)) {
            var matcher = NUMBERED.matcher(name);
            if (matcher.matches() && matcher.group(1).equals(prefix)) {
                numbers.add(Integer.parseInt(matcher.group(2)));
            }
        }
        numbers.sort(null);
        return numbers;
    }

    /**
     * The PCI device under a NIC's {@code device} link. Live, the link leads to the PCI function
     * itself, or for a virtio NIC to a {@code virtioN} device directly below it; anything else
     * (a USB NIC under its controller) is not a PCI NIC. A recorded copy holds {@code device/} as
     * a plain folder with the PCI ids and {@code uevent} naming {@code PCI_SLOT_NAME}.
     */
    static Optional<PciLocation> pciOf(Path root, Path deviceLink) {
        if (!Files.isDirectory(deviceLink)) {
            return Optional.empty();
        }
        Optional<PciLocation> linked = linkedPci(root, deviceLink);
        if (linked.isPresent()) {
            return linked;
        }
        Optional<String> slot = readLines(deviceLink.resolve("uevent")).stream()
                .filter(l -> l.startsWith("PCI_SLOT_NAME="))
                .map(l -> l.substring("PCI_SLOT_NAME=".length()).strip())
                .findFirst();
        return slot.flatMap(address -> ids(deviceLink).map(ids -> new PciLocation(address, ids[0], ids[1])));
    }

    private static Optional<PciLocation> linkedPci(Path root, Path deviceLink) {
        Path real;
        Path realRoot;
        try {
            real = deviceLink.toRealPath();
            realRoot = root.toRealPath();
        } catch (IOException e) {
            return Optional.empty();
        }
        Path candidate = real;
        if (VIRTIO.matcher(real.getFileName().toString()).matches() && real.getParent() != null) {
            candidate = real.getParent();
        }
        String name = candidate.getFileName() == null ? "" : candidate.getFileName().toString();
        if (!candidate.startsWith(realRoot) || candidate.equals(realRoot) || !PCI_ADDRESS.matcher(name).matches()) {
            return Optional.empty();
        }
        Path device = candidate;
        return ids(device).map(ids -> new PciLocation(name, ids[0], ids[1]));
    }

    private static Optional<String[]> ids(Path device) {
        Optional<String> vendor = read(device.resolve("vendor")).map(SysFs::hexId);
        Optional<String> product = read(device.resolve("device")).map(SysFs::hexId);
        if (vendor.isEmpty() || product.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new String[] {vendor.get(), product.get()});
    }

    private static String hexId(String text) {
        String id = text.strip().toLowerCase(java.util.Locale.ROOT);
        return id.startsWith("0x") ? id.substring(2) : id;
    }

    /** Undoes the octal escapes of {@code /proc/mounts} ({@code \040} for a space). */
    static String unescapeMountField(String field) {
        StringBuilder out = new StringBuilder(field.length());
        for (int i = 0; i < field.length(); i++) {
            char c = field.charAt(i);
            if (c == '\\' && isOctal(field, i + 1)) {
                out.append((char) Integer.parseInt(field.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static boolean isOctal(String text, int from) {
        if (from + 3 > text.length()) {
            return false;
        }
        for (int i = from; i < from + 3; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '7') {
                return false;
            }
        }
        return true;
    }
}
