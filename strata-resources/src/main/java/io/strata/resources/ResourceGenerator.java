package io.strata.resources;

import io.strata.config.ProcessIds;
import io.strata.config.Role;
import io.strata.config.resources.Nic;
import io.strata.config.resources.ProcessSlot;
import io.strata.config.resources.ResourceFile;
import io.strata.config.server.ContainerRules;
import io.strata.config.server.ServerIdentity;
import io.strata.runtime.StrataException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The resource generator: a server's hardware and the operator's options in, one resource file per
 * container out ({@code drives0, compute0.., frontend0}, or {@code default} in the single layout).
 *
 * <p>It works in stages, each a pure function of the ones before, so a refusal comes before
 * anything exists: choose NICs and drives ({@link Selection}); count the CPUs it may hand out,
 * one per physical core ({@link CorePool}); decide how many cores and processes each role gets
 * ({@link RoleCounts}); split roles into containers of at most 19 ({@link ContainerShape});
 * place containers on NUMA nodes ({@link CorePlacement}); give them ports ({@link PortPlan}) and
 * memory ({@link MemoryPlan}). Every file is then checked with {@link ContainerRules} against the
 * others, as the host agent will check it. The rules are written out in {@code docs/resource-files.md}.
 */
public final class ResourceGenerator {
    private ResourceGenerator() {
    }

    public static GeneratedResources generate(Hardware hardware, GeneratorOptions options) {
        List<Nic> nics = Selection.nics(hardware, options);
        List<BlockDevice> drives = Selection.drives(hardware, options);
        boolean drivesNamed = options.drives() != null;
        CorePool pool = CorePool.of(hardware, options);
        List<ContainerShape> shapes;
        if (options.singleContainer()) {
            RoleCounts counts = RoleCounts.solve(options, pool, singleBudget(options, pool), drives.size(), drivesNamed);
            shapes = ContainerShape.single(checkSingleCores(counts.checkSingle()));
        } else {
            RoleCounts counts = RoleCounts.solve(options, pool, pool.pool().size(), drives.size(), drivesNamed);
            shapes = ContainerShape.multi(counts, options.maxCoresPerContainer());
        }
        if (options.computeMemoryBytes() != null && shapes.stream().allMatch(s -> s.processes(Role.COMPUTE) == 0)) {
            throw StrataException.invalid("--compute-memory is given but there is no compute process to use it");
        }
        Map<String, CorePlacement.Placed> placed = CorePlacement.place(hardware, shapes, pool);
        String failureDomain = options.failureDomain() != null ? options.failureDomain() : hardware.hostname();
        List<ResourceFile> files = options.singleContainer()
                ? List.of(singleFile(hardware, options, shapes.getFirst(), placed, nics, drives, failureDomain))
                : multiFiles(hardware, options, shapes, placed, nics, drives, failureDomain);
        ServerIdentity server = hardware.toServerIdentity(failureDomain);
        for (ResourceFile file : files) {
            ContainerRules.check(file, server, files.stream().filter(f -> f != file).toList());
        }
        return new GeneratedResources(files, server);
    }

    /**
     * The single-container layout's {@code default} on {@code hardware} with {@code cores} cores,
     * allocated with the same rules: what {@code strata local setup container --name default
     * --cores N} needs. {@code options} may carry the rest (drives, spare cores, ...); on a
     * simulated server ({@link Hardware#simulated}) with no drives it needs none.
     */
    public static ResourceFile defaultContainer(Hardware hardware, int cores, GeneratorOptions options) {
        GeneratorOptions single = options.toBuilder().singleContainer(cores).build();
        return generate(hardware, single).files().getFirst();
    }

    private static int singleBudget(GeneratorOptions options, CorePool pool) {
        int named = pool.explicit().values().stream().mapToInt(List::size).sum();
        Integer asked = options.singleContainerCores();
        if (asked == null) {
            return Math.max(0, Math.min(pool.pool().size(), ProcessIds.MAX_ROLE_PROCESSES - named));
        }
        if (named > asked) {
            throw StrataException.invalid("the single container's %d cores cannot hold the %d cores named for its roles", asked, named);
        }
        if (asked - named > pool.pool().size()) {
            throw StrataException.invalid("more cores asked than the server has: the single container asks for %d cores, but %d are free; %s",
                    asked, pool.pool().size() + named, pool.capacity());
        }
        return asked - named;
    }

    private static RoleCounts checkSingleCores(RoleCounts counts) {
        int cores = counts.driveCores() + counts.computeCores() + counts.frontendCores();
        if (cores > ProcessIds.MAX_ROLE_PROCESSES) {
            throw StrataException.invalid("the single container would take %d cores (%d drive, %d compute, %d frontend); it holds at most %d",
                    cores, counts.driveCores(), counts.computeCores(), counts.frontendCores(), ProcessIds.MAX_ROLE_PROCESSES);
        }
        return counts;
    }

    private static ResourceFile singleFile(Hardware hardware, GeneratorOptions options, ContainerShape shape,
            Map<String, CorePlacement.Placed> placed, List<Nic> nics, List<BlockDevice> drives, String failureDomain) {
        int basePort = PortPlan.single(options.basePort()).basePort();
        long memory = MemoryPlan.single(hardware.memoryBytes(), shape, options.computeMemoryBytes());
        List<String> notes = new ArrayList<>(placed.get(shape.name()).notes());
        List<ProcessSlot> slots = slots(shape, placed.get(shape.name()), basePort, notes);
        List<String> drivePaths = shape.processes(Role.DRIVE) == 0 ? List.of() : drives.stream().map(BlockDevice::path).toList();
        return new ResourceFile(ResourceFile.FORMAT, shape.name(), hardware.hostname(), failureDomain, basePort, memory,
                nics, drivePaths, slots, notes);
    }

    private static List<ResourceFile> multiFiles(Hardware hardware, GeneratorOptions options, List<ContainerShape> shapes,
            Map<String, CorePlacement.Placed> placed, List<Nic> nics, List<BlockDevice> drives, String failureDomain) {
        Map<String, PortPlan.Assigned> ports = PortPlan.assign(shapes, options.basePort());
        Map<String, Long> memory = MemoryPlan.multi(hardware.memoryBytes(), shapes, options.computeMemoryBytes());
        List<ResourceFile> files = new ArrayList<>();
        int nextDrive = 0;
        for (ContainerShape shape : shapes) {
            PortPlan.Assigned port = ports.get(shape.name());
            List<String> notes = new ArrayList<>(placed.get(shape.name()).notes());
            if (port.note() != null) {
                notes.add(port.note());
            }
            List<ProcessSlot> slots = slots(shape, placed.get(shape.name()), port.basePort(), notes);
            int driveCount = shape.processes(Role.DRIVE);
            List<String> drivePaths = drives.subList(nextDrive, nextDrive + driveCount).stream().map(BlockDevice::path).toList();
            nextDrive += driveCount;
            files.add(new ResourceFile(ResourceFile.FORMAT, shape.name(), hardware.hostname(), failureDomain, port.basePort(),
                    memory.get(shape.name()), nics, drivePaths, slots, notes));
        }
        return files;
    }

    /**
     * Slot 0 is the management process (no core); then the role processes in role order, one per
     * core, except drive processes that share cores: {@code p} processes on {@code c} cores put
     * {@code ceil(p/c)} or {@code floor(p/c)} consecutive processes on each core, in core order.
     */
    private static List<ProcessSlot> slots(ContainerShape shape, CorePlacement.Placed placed, int basePort, List<String> notes) {
        List<ProcessSlot> slots = new ArrayList<>();
        slots.add(ProcessSlot.management(ProcessIds.port(basePort, 0)));
        int slot = 1;
        for (ContainerShape.Share share : shape.shares()) {
            List<Integer> cores = placed.cores().get(share.role());
            List<Integer> perCore = ContainerShape.evenSplit(share.processes(), cores.size());
            for (int i = 0; i < cores.size(); i++) {
                for (int k = 0; k < perCore.get(i); k++) {
                    slots.add(ProcessSlot.role(slot++, share.role(), cores.get(i), perCore.get(i) == 1, basePort));
                }
            }
            if (share.processes() > cores.size()) {
                notes.add(String.format("%d drive processes share %d cores (%d-%d per core, at most %d): cores are short; a shared core is marked dedicatedCore false",
                        share.processes(), cores.size(), perCore.getLast(), perCore.getFirst(), ContainerRules.MAX_DRIVE_PROCESSES_PER_CORE));
            }
        }
        return slots;
    }
}
