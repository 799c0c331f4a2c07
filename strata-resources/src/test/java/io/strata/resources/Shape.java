package io.strata.resources;

import io.strata.config.server.Ranges;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A server shape for tests: writes the {@code /proc} and {@code /sys} files a recording of such a
 * server holds, and says which {@link Hardware} reading them must give. Logical CPUs are numbered
 * as Linux does on x86: with {@code splitSiblings} the second hyperthreads follow all first ones
 * (0 and 16 share a core of 16), otherwise siblings are adjacent (0 and 1).
 */
final class Shape {
    record NicSpec(String name, String mac, String pciAddress, String vendor, String device) {
    }

    record PartSpec(String name, long sizeBytes, String mountPoint, List<String> holders) {
    }

    record DiskSpec(String name, long sizeBytes, String mountPoint, boolean swap, List<String> holders, List<PartSpec> partitions) {
    }

    String hostname = "server";
    String model = "Intel(R) Xeon(R) Gold 6338 CPU @ 2.00GHz";
    int sockets = 1;
    int coresPerSocket = 4;
    int threadsPerCore = 1;
    boolean splitSiblings = true;
    int nodesPerSocket = 1;
    long memTotalKb = 64L * 1024 * 1024;
    final List<NicSpec> nics = new ArrayList<>();
    final List<DiskSpec> disks = new ArrayList<>();

    Shape hostname(String name) {
        hostname = name;
        return this;
    }

    Shape cpus(int sockets, int coresPerSocket, int threadsPerCore) {
        this.sockets = sockets;
        this.coresPerSocket = coresPerSocket;
        this.threadsPerCore = threadsPerCore;
        return this;
    }

    Shape adjacentSiblings() {
        splitSiblings = false;
        return this;
    }

    Shape model(String name) {
        model = name;
        return this;
    }

    Shape nodesPerSocket(int nodes) {
        nodesPerSocket = nodes;
        return this;
    }

    Shape memoryKb(long kb) {
        memTotalKb = kb;
        return this;
    }

    Shape nic(String name, String pciAddress, String vendor, String device) {
        String mac = String.format(Locale.ROOT, "b8:ce:f6:%02x:%02x:%02x", nics.size(), name.length(), pciAddress == null ? 0 : 1);
        nics.add(new NicSpec(name, mac, pciAddress, vendor, device));
        return this;
    }

    Shape nvme(int count, long sizeBytes) {
        int first = (int) disks.stream().filter(d -> d.name().startsWith("nvme")).count();
        for (int i = first; i < first + count; i++) {
            disks.add(new DiskSpec("nvme" + i + "n1", sizeBytes, null, false, List.of(), List.of()));
        }
        return this;
    }

    Shape disk(DiskSpec disk) {
        disks.add(disk);
        return this;
    }

    int totalCores() {
        return sockets * coresPerSocket;
    }

    int cpuId(int globalCore, int thread) {
        return splitSiblings ? thread * totalCores() + globalCore : globalCore * threadsPerCore + thread;
    }

    int nodeOf(int globalCore) {
        int socket = globalCore / coresPerSocket;
        int inSocket = globalCore % coresPerSocket;
        return socket * nodesPerSocket + inSocket * nodesPerSocket / coresPerSocket;
    }

    /** The hardware reading this shape must give. */
    Hardware hardware() {
        List<Cpu> cpus = new ArrayList<>();
        for (int core = 0; core < totalCores(); core++) {
            List<Integer> siblings = new ArrayList<>();
            for (int t = 0; t < threadsPerCore; t++) {
                siblings.add(cpuId(core, t));
            }
            for (int t = 0; t < threadsPerCore; t++) {
                cpus.add(new Cpu(cpuId(core, t), core % coresPerSocket, core / coresPerSocket, nodeOf(core), siblings));
            }
        }
        List<NetDevice> netDevices = new ArrayList<>();
        netDevices.add(new NetDevice("lo", "00:00:00:00:00:00", "unknown", null, null, null));
        for (NicSpec nic : nics) {
            netDevices.add(new NetDevice(nic.name(), nic.mac(), "up", nic.pciAddress(), nic.vendor(), nic.device()));
        }
        List<BlockDevice> blocks = new ArrayList<>();
        for (DiskSpec disk : disks) {
            List<BlockDevice.Partition> parts = disk.partitions().stream()
                    .map(p -> new BlockDevice.Partition(p.name(), p.sizeBytes(), p.mountPoint() == null ? List.of() : List.of(p.mountPoint()),
                            false, p.holders()))
                    .toList();
            blocks.add(new BlockDevice(disk.name(), "/dev/" + disk.name(), disk.sizeBytes(), disk.name().matches("nvme\\d+n\\d+"),
                    disk.mountPoint() == null ? List.of() : List.of(disk.mountPoint()), disk.swap(), disk.holders(), parts));
        }
        return new Hardware(hostname, cpus, memTotalKb * 1024, netDevices, blocks);
    }

    /** Writes the files of a recording of this shape under {@code root}. */
    void write(Path root) {
        Hardware hw = hardware();
        put(root, SysFs.PROC_HOSTNAME, hostname);
        put(root, SysFs.PROC_MEMINFO, String.format("MemTotal:       %d kB\nMemFree:        %d kB\nMemAvailable:   %d kB",
                memTotalKb, memTotalKb * 9 / 10, memTotalKb * 9 / 10));
        put(root, SysFs.PROC_CPUINFO, cpuinfo(hw));
        put(root, SysFs.CPU_DIR + "/online", "0-" + (hw.cpus().size() - 1));
        for (Cpu cpu : hw.cpus()) {
            String dir = SysFs.CPU_DIR + "/cpu" + cpu.id() + "/topology/";
            put(root, dir + "core_id", Integer.toString(cpu.coreId()));
            put(root, dir + "physical_package_id", Integer.toString(cpu.socketId()));
            put(root, dir + "thread_siblings_list", Ranges.describe(cpu.siblings()));
            put(root, dir + "core_cpus_list", Ranges.describe(cpu.siblings()));
            put(root, dir + "die_id", Integer.toString(cpu.socketId()));
        }
        int nodes = sockets * nodesPerSocket;
        put(root, SysFs.NODE_DIR + "/online", nodes == 1 ? "0" : "0-" + (nodes - 1));
        for (int node = 0; node < nodes; node++) {
            int n = node;
            put(root, SysFs.NODE_DIR + "/node" + node + "/cpulist",
                    Ranges.describe(hw.cpus().stream().filter(c -> c.nodeId() == n).map(Cpu::id).toList()));
        }
        writeNics(root, hw);
        writeDisks(root);
    }

    private void writeNics(Path root, Hardware hw) {
        for (NetDevice nic : hw.nics()) {
            String dir = SysFs.NET_DIR + "/" + nic.name() + "/";
            put(root, dir + "address", nic.macAddress());
            put(root, dir + "operstate", nic.operState());
            if (nic.pciAddress() != null) {
                put(root, dir + "device/vendor", "0x" + nic.pciVendor());
                put(root, dir + "device/device", "0x" + nic.pciDevice());
                put(root, dir + "device/uevent", "PCI_SLOT_NAME=" + nic.pciAddress());
            }
        }
    }

    private void writeDisks(Path root) {
        List<String> mounts = new ArrayList<>();
        List<String> swaps = new ArrayList<>();
        swaps.add("Filename\t\t\t\tType\t\tSize\t\tUsed\t\tPriority");
        for (DiskSpec disk : disks) {
            String dir = SysFs.BLOCK_DIR + "/" + disk.name() + "/";
            put(root, dir + "size", Long.toString(disk.sizeBytes() / 512));
            put(root, dir + "hidden", "0");
            put(root, dir + "ro", "0");
            put(root, dir + "removable", "0");
            mkdir(root, dir + "holders");
            disk.holders().forEach(h -> put(root, dir + "holders/" + h, ""));
            if (disk.mountPoint() != null) {
                mounts.add("/dev/" + disk.name() + " " + disk.mountPoint() + " xfs rw,relatime 0 0");
            }
            if (disk.swap()) {
                swaps.add("/dev/" + disk.name() + "\t\t\t\tpartition\t8388604\t\t0\t\t-2");
            }
            for (int i = 0; i < disk.partitions().size(); i++) {
                PartSpec part = disk.partitions().get(i);
                put(root, dir + part.name() + "/partition", Integer.toString(i + 1));
                put(root, dir + part.name() + "/size", Long.toString(part.sizeBytes() / 512));
                mkdir(root, dir + part.name() + "/holders");
                part.holders().forEach(h -> put(root, dir + part.name() + "/holders/" + h, ""));
                if (part.mountPoint() != null) {
                    mounts.add("/dev/" + part.name() + " " + part.mountPoint() + " ext4 rw,relatime 0 0");
                }
            }
        }
        put(root, SysFs.PROC_MOUNTS, String.join("\n", mounts));
        put(root, SysFs.PROC_SWAPS, String.join("\n", swaps));
    }

    private String cpuinfo(Hardware hw) {
        StringBuilder out = new StringBuilder();
        for (Cpu cpu : hw.cpus()) {
            out.append("processor\t: ").append(cpu.id()).append('\n')
                    .append("vendor_id\t: ").append(model.contains("AMD") ? "AuthenticAMD" : "GenuineIntel").append('\n')
                    .append("model name\t: ").append(model).append('\n')
                    .append("physical id\t: ").append(cpu.socketId()).append('\n')
                    .append("siblings\t: ").append(coresPerSocket * threadsPerCore).append('\n')
                    .append("core id\t\t: ").append(cpu.coreId()).append('\n')
                    .append("cpu cores\t: ").append(coresPerSocket).append('\n')
                    .append('\n');
        }
        return out.toString().strip();
    }

    static void put(Path root, String relative, String content) {
        Path file = root.resolve(relative);
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, content.isEmpty() ? "" : content + "\n", StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void mkdir(Path root, String relative) {
        try {
            Files.createDirectories(root.resolve(relative));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
