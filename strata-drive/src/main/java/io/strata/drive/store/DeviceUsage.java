package io.strata.drive.store;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Whether something else uses a device, so formatting it would destroy live data: a mount (of the
 * device or one of its partitions), a holder (device mapper, md, bcache...), swap, or, for a
 * regular file, a loop device backed by it. Reads {@code /proc} and {@code /sys} under roots a test
 * can replace.
 */
final class DeviceUsage {
    static final DeviceUsage SYSTEM = new DeviceUsage(Path.of("/proc"), Path.of("/sys"));

    private final Path procRoot;
    private final Path sysRoot;

    DeviceUsage(Path procRoot, Path sysRoot) {
        this.procRoot = procRoot;
        this.sysRoot = sysRoot;
    }

    /** Why the device is in use, or empty when nothing uses it. */
    Optional<String> inUse(Path device) throws IOException {
        Path real = device.toRealPath();
        if (isBlockDevice(real)) {
            long rdev = ((Number) Files.getAttribute(real, "unix:rdev")).longValue();
            return blockDeviceInUse(real, major(rdev) + ":" + minor(rdev));
        }
        return loopBackingFile(real);
    }

    static boolean isBlockDevice(Path path) throws IOException {
        int mode = ((Number) Files.getAttribute(path, "unix:mode")).intValue();
        return (mode & 0170000) == 0060000;
    }

    /** For the device numbered {@code devNumber} ("major:minor") and its partitions. */
    Optional<String> blockDeviceInUse(Path devicePath, String devNumber) throws IOException {
        Map<String, String> devices = deviceAndPartitions(devNumber);
        List<String> reasons = new ArrayList<>();
        reasons.addAll(mounts(devicePath, devices));
        reasons.addAll(holders(devices));
        reasons.addAll(swaps(devicePath, devices));
        return reasons.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", reasons));
    }

    /** "major:minor" to kernel name, for the device and each of its partitions. */
    Map<String, String> deviceAndPartitions(String devNumber) throws IOException {
        Map<String, String> devices = new LinkedHashMap<>();
        Path link = sysRoot.resolve("dev/block").resolve(devNumber);
        if (!Files.exists(link)) {
            devices.put(devNumber, devNumber);
            return devices;
        }
        Path dir = link.toRealPath();
        devices.put(devNumber, dir.getFileName().toString());
        try (DirectoryStream<Path> children = Files.newDirectoryStream(dir)) {
            for (Path child : children) {
                if (Files.exists(child.resolve("partition")) && Files.exists(child.resolve("dev"))) {
                    devices.put(read(child.resolve("dev")).strip(), child.getFileName().toString());
                }
            }
        }
        return devices;
    }

    private List<String> mounts(Path devicePath, Map<String, String> devices) throws IOException {
        List<String> reasons = new ArrayList<>();
        Path mountinfo = procRoot.resolve("self/mountinfo");
        if (Files.exists(mountinfo)) {
            for (String line : read(mountinfo).split("\n")) {
                String[] fields = line.split(" ");
                int separator = List.of(fields).indexOf("-");
                if (fields.length < 5 || separator < 0 || separator + 2 >= fields.length) {
                    continue;
                }
                String source = fields[separator + 2];
                if (devices.containsKey(fields[2]) || namesDevice(source, devicePath, devices)) {
                    reasons.add(describe(fields[2], source, devices) + " is mounted at " + unescape(fields[4]));
                }
            }
        }
        Path mounts = procRoot.resolve("mounts");
        if (reasons.isEmpty() && Files.exists(mounts)) {
            for (String line : read(mounts).split("\n")) {
                String[] fields = line.split(" ");
                if (fields.length >= 2 && namesDevice(fields[0], devicePath, devices)) {
                    reasons.add(fields[0] + " is mounted at " + unescape(fields[1]));
                }
            }
        }
        return reasons;
    }

    private List<String> holders(Map<String, String> devices) throws IOException {
        List<String> reasons = new ArrayList<>();
        for (String name : devices.values()) {
            Path holders = sysRoot.resolve("class/block").resolve(name).resolve("holders");
            if (!Files.isDirectory(holders)) {
                continue;
            }
            List<String> names = new ArrayList<>();
            try (DirectoryStream<Path> entries = Files.newDirectoryStream(holders)) {
                entries.forEach(entry -> names.add(entry.getFileName().toString()));
            }
            if (!names.isEmpty()) {
                names.sort(null);
                reasons.add(name + " is held by " + String.join(", ", names));
            }
        }
        return reasons;
    }

    private List<String> swaps(Path devicePath, Map<String, String> devices) throws IOException {
        List<String> reasons = new ArrayList<>();
        Path swaps = procRoot.resolve("swaps");
        if (Files.exists(swaps)) {
            for (String line : read(swaps).split("\n")) {
                String source = line.split("\\s+")[0];
                if (namesDevice(source, devicePath, devices)) {
                    reasons.add(source + " is in use as swap");
                }
            }
        }
        return reasons;
    }

    /** For a regular file: a loop device whose backing file it is. */
    Optional<String> loopBackingFile(Path realFile) throws IOException {
        Path block = sysRoot.resolve("block");
        if (!Files.isDirectory(block)) {
            return Optional.empty();
        }
        try (DirectoryStream<Path> devices = Files.newDirectoryStream(block, "loop*")) {
            for (Path device : devices) {
                Path backing = device.resolve("loop/backing_file");
                if (Files.exists(backing) && read(backing).strip().equals(realFile.toString())) {
                    return Optional.of("it is the backing file of " + device.getFileName());
                }
            }
        }
        return Optional.empty();
    }

    private static boolean namesDevice(String source, Path devicePath, Map<String, String> devices) {
        if (!source.startsWith("/")) {
            return false;
        }
        if (source.equals(devicePath.toString())) {
            return true;
        }
        for (String name : devices.values()) {
            if (source.equals("/dev/" + name)) {
                return true;
            }
        }
        return false;
    }

    private static String describe(String devNumber, String source, Map<String, String> devices) {
        String name = devices.get(devNumber);
        return name != null ? name : source;
    }

    /** /proc escapes blanks in paths as octal (\040). */
    private static String unescape(String path) {
        return path.replace("\\040", " ").replace("\\011", "\t").replace("\\012", "\n").replace("\\134", "\\");
    }

    private static String read(Path file) throws IOException {
        return Files.readString(file, StandardCharsets.UTF_8);
    }

    static long major(long rdev) {
        return ((rdev >>> 8) & 0xfffL) | ((rdev >>> 32) & 0xfffff000L);
    }

    static long minor(long rdev) {
        return (rdev & 0xffL) | ((rdev >>> 12) & 0xffffff00L);
    }
}
