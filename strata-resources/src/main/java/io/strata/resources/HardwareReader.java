package io.strata.resources;

import io.strata.config.server.Ranges;
import io.strata.runtime.StrataException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Reads a server's hardware from a root folder: {@code /} for the live machine, or a copy made by
 * {@link HardwareRecorder} (or by hand) holding the same relative paths.
 *
 * <p>CPUs come from {@code sys/devices/system/cpu/cpuN/topology} (core, package, hyperthread
 * siblings), NUMA nodes from {@code sys/devices/system/node/nodeN/cpulist}; when sysfs is missing,
 * {@code proc/cpuinfo} stands in, and without either topology every CPU is its own core on node 0.
 * Memory is {@code MemTotal} of {@code proc/meminfo}. NICs are {@code sys/class/net/*} with the PCI
 * device behind them; block devices are {@code sys/block/*} with their partitions and holders, and
 * what {@code proc/mounts} and {@code proc/swaps} say uses them.
 */
public final class HardwareReader {
    private static final Pattern NVME_NAMESPACE = Pattern.compile("nvme\\d+n\\d+");

    private HardwareReader() {
    }

    public static Hardware read(Path root) {
        if (!Files.isDirectory(root)) {
            throw StrataException.invalid("hardware root %s is not a folder", root);
        }
        List<Cpu> cpus = readCpus(root);
        if (cpus.isEmpty()) {
            throw StrataException.invalid("no CPU found under %s (neither %s/cpuN nor %s)", root, SysFs.CPU_DIR, SysFs.PROC_CPUINFO);
        }
        String hostname = SysFs.read(root.resolve(SysFs.PROC_HOSTNAME))
                .or(() -> SysFs.read(root.resolve("etc/hostname")))
                .orElse("localhost");
        return new Hardware(hostname, cpus, readMemoryBytes(root), readNics(root), readBlockDevices(root));
    }

    // ---------------------------------------------------------------- CPUs

    /** What {@code /proc/cpuinfo} says of one processor. */
    private record CpuInfo(int socketId, int coreId) {
    }

    private static List<Cpu> readCpus(Path root) {
        Map<Integer, CpuInfo> cpuInfo = readCpuInfo(root);
        Path cpuDir = root.resolve(SysFs.CPU_DIR);
        List<Integer> ids = onlineCpus(cpuDir);
        boolean fromSysfs = !ids.isEmpty();
        if (!fromSysfs) {
            ids = cpuInfo.keySet().stream().sorted().toList();
        }
        Map<Integer, Integer> nodeOf = readNodes(root);
        List<Cpu> cpus = new ArrayList<>();
        boolean siblingsListed = false;
        for (int id : ids) {
            Path topology = cpuDir.resolve("cpu" + id).resolve("topology");
            CpuInfo info = cpuInfo.getOrDefault(id, new CpuInfo(0, id));
            int coreId = SysFs.readLong(topology.resolve("core_id")).map(Long::intValue).orElse(info.coreId());
            int socketId = SysFs.readLong(topology.resolve("physical_package_id")).map(Long::intValue).orElse(info.socketId());
            List<Integer> siblings = SysFs.read(topology.resolve("thread_siblings_list"))
                    .or(() -> SysFs.read(topology.resolve("core_cpus_list")))
                    .map(HardwareReader::cpuList)
                    .filter(list -> list.contains(id))
                    .orElse(null);
            siblingsListed |= siblings != null;
            cpus.add(new Cpu(id, coreId, socketId, nodeOf.getOrDefault(id, 0), siblings));
        }
        return siblingsListed ? cpus : siblingsFromIds(cpus);
    }

    /** The CPUs sysfs lists, without those whose {@code online} file says 0. */
    private static List<Integer> onlineCpus(Path cpuDir) {
        Optional<List<Integer>> online = SysFs.read(cpuDir.resolve("online")).map(HardwareReader::cpuList);
        List<Integer> ids = new ArrayList<>();
        for (int id : SysFs.numbered(cpuDir, "cpu")) {
            boolean offline = SysFs.read(cpuDir.resolve("cpu" + id).resolve("online")).map("0"::equals).orElse(false);
            if (!offline && online.map(list -> list.contains(id)).orElse(true)) {
                ids.add(id);
            }
        }
        return ids;
    }

    /** Without sibling lists, CPUs with the same socket and core id are siblings (as in cpuinfo). */
    private static List<Cpu> siblingsFromIds(List<Cpu> cpus) {
        Map<Long, List<Integer>> byCore = new HashMap<>();
        for (Cpu cpu : cpus) {
            byCore.computeIfAbsent(((long) cpu.socketId() << 32) | (cpu.coreId() & 0xffffffffL), k -> new ArrayList<>()).add(cpu.id());
        }
        return cpus.stream()
                .map(c -> new Cpu(c.id(), c.coreId(), c.socketId(), c.nodeId(),
                        byCore.get(((long) c.socketId() << 32) | (c.coreId() & 0xffffffffL))))
                .toList();
    }

    private static Map<Integer, CpuInfo> readCpuInfo(Path root) {
        Map<Integer, CpuInfo> result = new HashMap<>();
        Integer processor = null;
        int socket = 0;
        Integer core = null;
        List<String> lines = new ArrayList<>(SysFs.readLines(root.resolve(SysFs.PROC_CPUINFO)));
        lines.add("");
        for (String line : lines) {
            if (line.isBlank()) {
                if (processor != null) {
                    result.put(processor, new CpuInfo(socket, core == null ? processor : core));
                }
                processor = null;
                socket = 0;
                core = null;
                continue;
            }
            int colon = line.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String key = line.substring(0, colon).strip();
            String value = line.substring(colon + 1).strip();
            try {
                switch (key) {
                    case "processor" -> processor = Integer.parseInt(value);
                    case "physical id" -> socket = Integer.parseInt(value);
                    case "core id" -> core = Integer.parseInt(value);
                    default -> { }
                }
            } catch (NumberFormatException e) {
                // an architecture that words cpuinfo differently: topology falls back to defaults
            }
        }
        return result;
    }

    private static Map<Integer, Integer> readNodes(Path root) {
        Map<Integer, Integer> nodeOf = new HashMap<>();
        Path nodeDir = root.resolve(SysFs.NODE_DIR);
        for (int node : SysFs.numbered(nodeDir, "node")) {
            SysFs.read(nodeDir.resolve("node" + node).resolve("cpulist"))
                    .map(HardwareReader::cpuList)
                    .ifPresent(list -> list.forEach(cpu -> nodeOf.putIfAbsent(cpu, node)));
        }
        return nodeOf;
    }

    private static List<Integer> cpuList(String text) {
        try {
            return Ranges.parse(text.strip());
        } catch (StrataException e) {
            return List.of();
        }
    }

    private static long readMemoryBytes(Path root) {
        for (String line : SysFs.readLines(root.resolve(SysFs.PROC_MEMINFO))) {
            if (line.startsWith("MemTotal:")) {
                String[] parts = line.substring("MemTotal:".length()).strip().split("\\s+");
                try {
                    long value = Long.parseLong(parts[0]);
                    return parts.length > 1 && parts[1].equalsIgnoreCase("kB") ? value * 1024 : value;
                } catch (NumberFormatException e) {
                    return 0;
                }
            }
        }
        return 0;
    }

    // ---------------------------------------------------------------- NICs

    private static List<NetDevice> readNics(Path root) {
        Path netDir = root.resolve(SysFs.NET_DIR);
        List<NetDevice> nics = new ArrayList<>();
        for (String name : SysFs.list(netDir)) {
            Path nic = netDir.resolve(name);
            if (!Files.isDirectory(nic)) {
                continue;
            }
            String mac = SysFs.read(nic.resolve("address")).orElse(null);
            String state = SysFs.read(nic.resolve("operstate")).orElse(null);
            Optional<SysFs.PciLocation> pci = SysFs.pciOf(root, nic.resolve("device"));
            nics.add(new NetDevice(name, mac, state, pci.map(SysFs.PciLocation::address).orElse(null),
                    pci.map(SysFs.PciLocation::vendor).orElse(null), pci.map(SysFs.PciLocation::device).orElse(null)));
        }
        return nics;
    }

    // ---------------------------------------------------------------- block devices

    /** Who uses a device node ({@code /dev/nvme0n1p1}): mount points and swap, from /proc. */
    private record Users(Map<String, List<String>> mountPoints, List<String> swaps) {
        List<String> mountsOf(String name) {
            return mountPoints.getOrDefault("/dev/" + name, List.of());
        }

        boolean isSwap(String name) {
            return swaps.contains("/dev/" + name);
        }
    }

    private static List<BlockDevice> readBlockDevices(Path root) {
        Users users = readUsers(root);
        Path blockDir = root.resolve(SysFs.BLOCK_DIR);
        List<BlockDevice> devices = new ArrayList<>();
        for (String name : SysFs.list(blockDir)) {
            Path device = blockDir.resolve(name);
            if (!Files.isDirectory(device) || SysFs.read(device.resolve("hidden")).map("1"::equals).orElse(false)) {
                continue;
            }
            List<BlockDevice.Partition> partitions = new ArrayList<>();
            for (String child : SysFs.list(device)) {
                Path part = device.resolve(child);
                if (Files.isRegularFile(part.resolve("partition"))) {
                    partitions.add(new BlockDevice.Partition(child, sizeBytes(part), users.mountsOf(child), users.isSwap(child),
                            SysFs.list(part.resolve("holders"))));
                }
            }
            devices.add(new BlockDevice(name, "/dev/" + name, sizeBytes(device), NVME_NAMESPACE.matcher(name).matches(),
                    users.mountsOf(name), users.isSwap(name), SysFs.list(device.resolve("holders")), partitions));
        }
        return devices;
    }

    private static long sizeBytes(Path device) {
        return SysFs.readLong(device.resolve("size")).orElse(0L) * 512;
    }

    private static Users readUsers(Path root) {
        Map<String, List<String>> mounts = new HashMap<>();
        for (String line : SysFs.readLines(root.resolve(SysFs.PROC_MOUNTS))) {
            String[] fields = line.strip().split("\\s+");
            if (fields.length >= 2 && fields[0].startsWith("/dev/")) {
                mounts.computeIfAbsent(SysFs.unescapeMountField(fields[0]), k -> new ArrayList<>())
                        .add(SysFs.unescapeMountField(fields[1]));
            }
        }
        mounts.replaceAll((k, v) -> v.stream().distinct().sorted().toList());
        List<String> swaps = new ArrayList<>();
        for (String line : SysFs.readLines(root.resolve(SysFs.PROC_SWAPS))) {
            String[] fields = line.strip().split("\\s+");
            if (fields.length >= 1 && fields[0].startsWith("/dev/")) {
                swaps.add(SysFs.unescapeMountField(fields[0]));
            }
        }
        return new Users(mounts, swaps);
    }
}
