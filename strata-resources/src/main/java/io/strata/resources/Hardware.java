package io.strata.resources;

import io.strata.config.server.Ranges;
import io.strata.config.server.ServerIdentity;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;

/**
 * What the generator knows of a server: its logical CPUs with their topology, its memory, its NICs
 * and its block devices. It comes from {@link HardwareReader} (the live machine or a recorded copy)
 * or is simulated: a sandbox server whose cores are plain ids with no topology.
 *
 * <p>{@code memoryBytes} is 0 when unknown (a simulated server); the generator then leaves
 * memory to the container's default.
 */
public record Hardware(String hostname, List<Cpu> cpus, long memoryBytes, List<NetDevice> nics, List<BlockDevice> blockDevices) {

    public Hardware {
        if (hostname == null || hostname.isBlank()) {
            hostname = "localhost";
        }
        cpus = cpus == null ? List.of() : cpus.stream().sorted(Comparator.comparingInt(Cpu::id)).toList();
        nics = nics == null ? List.of() : nics.stream().sorted(Comparator.comparing(NetDevice::name)).toList();
        blockDevices = blockDevices == null ? List.of()
                : blockDevices.stream().sorted(Comparator.comparing(BlockDevice::name)).toList();
        if (memoryBytes < 0) {
            throw new IllegalArgumentException("memory " + memoryBytes + " is negative");
        }
    }

    /** A sandbox server with cores 0..{@code cores}-1, each its own physical core on node 0. */
    public static Hardware simulated(String hostname, int cores, long memoryBytes) {
        return simulated(hostname, IntStream.range(0, cores).boxed().toList(), memoryBytes, List.of());
    }

    /**
     * A sandbox server with the given core ids (no hyperthreads, one NUMA node), its memory (0 if
     * unknown) and drives given by path, all free.
     */
    public static Hardware simulated(String hostname, List<Integer> coreIds, long memoryBytes, List<String> drivePaths) {
        List<Cpu> cpus = coreIds.stream().distinct().map(id -> new Cpu(id, id, 0, 0, List.of(id))).toList();
        List<BlockDevice> drives = drivePaths.stream().map(BlockDevice::simulated).toList();
        return new Hardware(hostname, cpus, memoryBytes, List.of(), drives);
    }

    public Optional<Cpu> cpu(int id) {
        return cpus.stream().filter(c -> c.id() == id).findFirst();
    }

    /** The physical cores in the order of the CPUs that stand for them. */
    public List<PhysicalCore> physicalCores() {
        Map<Integer, PhysicalCore> byCpu = new LinkedHashMap<>();
        for (Cpu cpu : cpus) {
            int representative = representative(cpu);
            if (!byCpu.containsKey(representative)) {
                List<Integer> online = cpu.siblings().stream().filter(s -> cpu(s).isPresent()).toList();
                byCpu.put(representative, new PhysicalCore(representative, online, cpu.socketId(), cpu.nodeId()));
            }
        }
        List<PhysicalCore> cores = new ArrayList<>(byCpu.values());
        cores.sort(Comparator.comparingInt(PhysicalCore::cpu));
        return cores;
    }

    /** The physical core a CPU belongs to, named by its lowest online sibling. */
    public int representative(Cpu cpu) {
        return cpu.siblings().stream().filter(s -> cpu(s).isPresent()).findFirst().orElse(cpu.id());
    }

    public List<Integer> nodeIds() {
        return cpus.stream().map(Cpu::nodeId).distinct().sorted().toList();
    }

    public Optional<NetDevice> nic(String name) {
        return nics.stream().filter(n -> n.name().equals(name)).findFirst();
    }

    /** A block device by name ({@code nvme0n1}) or path ({@code /dev/nvme0n1}). */
    public Optional<BlockDevice> blockDevice(String nameOrPath) {
        return blockDevices.stream()
                .filter(b -> b.name().equals(nameOrPath) || b.path().equals(nameOrPath))
                .findFirst();
    }

    /** {@code 0-15}: the CPU ids, as people write them. */
    public String describeCpus() {
        return Ranges.describe(cpus.stream().map(Cpu::id).toList());
    }

    /** The server as the container rules see it: every logical CPU is a core, numbered as Linux does. */
    public ServerIdentity toServerIdentity(String failureDomain) {
        return new ServerIdentity(hostname, null, failureDomain, cpus.stream().map(Cpu::id).toList(),
                ServerIdentity.CoreMapping.IDENTITY, memoryBytes, io.strata.config.ProcessIds.AGENT_PORT);
    }
}
