package io.strata.resources;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.config.ProcessIds;
import io.strata.config.Role;
import io.strata.config.resources.ProcessSlot;
import io.strata.config.resources.ResourceFile;
import io.strata.config.server.ContainerRules;
import io.strata.runtime.SafeFiles;
import io.strata.runtime.StrataException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.random.RandomGenerator;
import java.util.random.RandomGeneratorFactory;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Properties of the generator over seeded random shapes and options. Each seed is one server and
 * one set of options; its result is either a one-line refusal or files that keep every rule.
 * A failure names its seed (the test's display name and every assertion); rerun one seed with
 * {@code -Dtest='GeneratorPropertiesTest#holdsForEverySeed'} and a breakpoint on that seed.
 */
class GeneratorPropertiesTest {
    static final int SEEDS = 400;

    static LongStream seeds() {
        return LongStream.range(0, SEEDS);
    }

    static RandomGenerator random(long seed) {
        return RandomGeneratorFactory.of("L64X128MixRandom").create(seed);
    }

    /** Outcome of one seed: the files, or the refusal. */
    record Outcome(Hardware hardware, GeneratorOptions options, GeneratedResources result, StrataException refusal) {
    }

    static Outcome run(long seed) {
        RandomGenerator random = random(seed);
        Hardware hardware = RandomShapes.shape(random).hardware();
        GeneratorOptions options = null;
        try {
            options = RandomShapes.options(random, hardware);
            return new Outcome(hardware, options, ResourceGenerator.generate(hardware, options), null);
        } catch (StrataException refusal) {
            return new Outcome(hardware, options, null, refusal);
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void holdsForEverySeed(long seed) {
        Outcome outcome = run(seed);
        if (outcome.refusal() != null) {
            assertThat(outcome.refusal().getMessage()).as("seed %d: refusal", seed).isNotBlank().doesNotContain("\n");
            return;
        }
        String as = "seed " + seed + " " + outcome.options();
        List<ResourceFile> files = outcome.result().files();
        assertThat(files).as(as).isNotEmpty();
        checkCores(as, outcome.hardware(), outcome.options(), files);
        checkContainers(as, outcome.options(), files);
        checkPorts(as, files);
        checkDrives(as, outcome.hardware(), outcome.options(), files);
        checkMemory(as, outcome.hardware(), files);
        for (ResourceFile file : files) {
            ContainerRules.check(file, outcome.hardware().toServerIdentity(file.failureDomain()),
                    files.stream().filter(f -> f != file).toList());
        }
    }

    /**
     * The generator is useful, not only careful: most random requests are served, and the served
     * ones reach every rule (so the properties above are not checked on easy cases only).
     */
    @Test
    void seedsServeMostRequestsAndReachEveryRule() {
        Map<String, Integer> seen = new HashMap<>();
        for (long seed = 0; seed < SEEDS; seed++) {
            Outcome outcome = run(seed);
            if (outcome.refusal() != null) {
                continue;
            }
            List<ResourceFile> files = outcome.result().files();
            seen.merge("served", 1, Integer::sum);
            count(seen, "shared drive cores", files.stream().flatMap(f -> f.roleProcesses().stream()).anyMatch(p -> !p.dedicatedCore()));
            count(seen, "several compute containers", files.stream().filter(f -> f.name().startsWith("compute")).count() > 1);
            count(seen, "several drive containers", files.stream().filter(f -> f.name().startsWith("drives")).count() > 1);
            count(seen, "moved port range", files.stream().flatMap(f -> f.notes().stream()).anyMatch(n -> n.startsWith("ports")));
            count(seen, "container over NUMA nodes", files.stream().flatMap(f -> f.notes().stream()).anyMatch(n -> n.startsWith("cores span")));
            count(seen, "single container", files.getFirst().name().equals("default"));
            count(seen, "named cores", outcome.options().coreIds() != null || outcome.options().computeCoreIds() != null);
        }
        assertThat(seen.getOrDefault("served", 0)).as("seeds served of %d", SEEDS).isGreaterThan(SEEDS / 2);
        assertThat(seen.keySet()).as("rules reached: %s", seen).containsExactlyInAnyOrder("served", "shared drive cores",
                "several compute containers", "several drive containers", "moved port range", "container over NUMA nodes",
                "single container", "named cores");
    }

    private static void count(Map<String, Integer> seen, String feature, boolean present) {
        if (present) {
            seen.merge(feature, 1, Integer::sum);
        }
    }

    /** Every 10th shape goes through files: written, read, recorded and read again, it is the same. */
    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void shapesReadBackFromFiles(long seed) {
        if (seed % 10 != 0) {
            return;
        }
        Shape shape = RandomShapes.shape(random(seed));
        Path root = TempDirs.create("shape");
        Path copy = TempDirs.create("copy");
        try {
            shape.write(root);
            assertThat(HardwareReader.read(root)).as("seed %d", seed).isEqualTo(shape.hardware());
            HardwareRecorder.record(root, copy);
            assertThat(HardwareReader.read(copy)).as("seed %d recorded", seed).isEqualTo(shape.hardware());
        } finally {
            SafeFiles.deleteRecursively(root);
            SafeFiles.deleteRecursively(copy);
        }
    }

    private static void checkCores(String as, Hardware hardware, GeneratorOptions options, List<ResourceFile> files) {
        Map<Integer, List<ProcessSlot>> byCore = new HashMap<>();
        Map<Integer, String> fileOfCore = new HashMap<>();
        for (ResourceFile file : files) {
            for (ProcessSlot slot : file.roleProcesses()) {
                assertThat(hardware.cpu(slot.coreId())).as("%s: core %d exists", as, slot.coreId()).isPresent();
                byCore.computeIfAbsent(slot.coreId(), c -> new ArrayList<>()).add(slot);
                String other = fileOfCore.putIfAbsent(slot.coreId(), file.name());
                assertThat(other == null || other.equals(file.name())).as("%s: core %d in %s and %s", as, slot.coreId(), other, file.name()).isTrue();
            }
        }
        byCore.forEach((core, slots) -> {
            if (slots.size() > 1) {
                assertThat(slots).as("%s: core %d shared", as, core)
                        .hasSizeLessThanOrEqualTo(ContainerRules.MAX_DRIVE_PROCESSES_PER_CORE)
                        .allMatch(s -> s.role() == Role.DRIVE && !s.dedicatedCore());
            } else {
                assertThat(slots.getFirst().dedicatedCore()).as("%s: core %d alone is dedicated", as, core).isTrue();
            }
        });
        Set<Integer> physical = new HashSet<>();
        for (int core : byCore.keySet()) {
            int representative = hardware.representative(hardware.cpu(core).orElseThrow());
            assertThat(physical.add(representative)).as("%s: core %d is a hyperthread sibling of another used core", as, core).isTrue();
        }
        boolean defaultSpare = options.spareCores() == null && options.coreIds() == null && options.driveCoreIds() == null
                && options.computeCoreIds() == null && options.frontendCoreIds() == null;
        if (defaultSpare) {
            assertThat(physical).as("%s: CPU 0's core stays with the OS", as).doesNotContain(0);
        }
    }

    private static void checkContainers(String as, GeneratorOptions options, List<ResourceFile> files) {
        Map<Role, List<Integer>> sizes = new HashMap<>();
        for (ResourceFile file : files) {
            int roleProcesses = file.roleProcesses().size();
            assertThat(roleProcesses).as("%s: %s role processes", as, file.name()).isBetween(1, ProcessIds.MAX_ROLE_PROCESSES);
            ProcessSlot management = file.processes().getFirst();
            assertThat(management.slot()).isZero();
            assertThat(management.coreId()).as(as).isNull();
            assertThat(management.dedicatedCore()).as(as).isFalse();
            long distinctCores = file.roleProcesses().stream().map(ProcessSlot::coreId).distinct().count();
            if (!options.singleContainer()) {
                assertThat(distinctCores).as("%s: %s cores", as, file.name()).isLessThanOrEqualTo(options.maxCoresPerContainer());
                assertThat(file.roles()).as(as).hasSize(1);
                sizes.computeIfAbsent(file.roles().getFirst(), r -> new ArrayList<>()).add((int) distinctCores);
            }
        }
        assertThat(options.singleContainer() ? files.size() == 1 && files.getFirst().name().equals("default") : true).as(as).isTrue();
        for (Role role : List.of(Role.COMPUTE, Role.FRONTEND)) {
            List<Integer> split = sizes.getOrDefault(role, List.of());
            if (!split.isEmpty()) {
                int max = split.stream().mapToInt(Integer::intValue).max().orElseThrow();
                int min = split.stream().mapToInt(Integer::intValue).min().orElseThrow();
                assertThat(max - min).as("%s: %s split %s is even", as, role, split).isLessThanOrEqualTo(1);
                int total = split.stream().mapToInt(Integer::intValue).sum();
                assertThat(split).as("%s: %s split %s uses the fewest containers", as, role, split)
                        .hasSize(Math.ceilDiv(total, options.maxCoresPerContainer()));
            }
        }
    }

    private static void checkPorts(String as, List<ResourceFile> files) {
        for (ResourceFile file : files) {
            int base = file.basePort();
            int last = base + ProcessIds.PORTS_PER_CONTAINER - 1;
            assertThat(last).as(as).isLessThanOrEqualTo(65535);
            assertThat(ProcessIds.AGENT_PORT >= base && ProcessIds.AGENT_PORT <= last).as("%s: %s holds the agent port", as, file.name()).isFalse();
            for (ProcessSlot slot : file.processes()) {
                assertThat(slot.port()).as(as).isEqualTo(base + slot.slot());
            }
            for (ResourceFile other : files) {
                if (other != file) {
                    int otherLast = other.basePort() + ProcessIds.PORTS_PER_CONTAINER - 1;
                    assertThat(base > otherLast || other.basePort() > last)
                            .as("%s: ports of %s and %s overlap", as, file.name(), other.name()).isTrue();
                }
            }
        }
    }

    private static void checkDrives(String as, Hardware hardware, GeneratorOptions options, List<ResourceFile> files) {
        List<String> assigned = new ArrayList<>();
        int driveProcesses = 0;
        for (ResourceFile file : files) {
            assigned.addAll(file.drives());
            int processes = (int) file.roleProcesses().stream().filter(p -> p.role() == Role.DRIVE).count();
            assertThat(file.drives()).as("%s: %s runs one drive process per drive", as, file.name()).hasSize(processes);
            driveProcesses += processes;
        }
        assertThat(assigned).as("%s: no drive twice", as).doesNotHaveDuplicates();
        List<String> expected = options.drives() == null
                ? hardware.blockDevices().stream().filter(BlockDevice::isFreeNvme).map(BlockDevice::path).toList()
                : options.drives().stream().map(d -> hardware.blockDevice(d).orElseThrow().path()).toList();
        if (driveProcesses > 0 || !Integer.valueOf(0).equals(options.driveCores())) {
            assertThat(assigned).as("%s: every drive exactly once", as).containsExactlyInAnyOrderElementsOf(expected);
        } else {
            assertThat(assigned).as(as).isEmpty();
        }
    }

    private static void checkMemory(String as, Hardware hardware, List<ResourceFile> files) {
        if (hardware.memoryBytes() == 0) {
            return;
        }
        long total = 0;
        for (ResourceFile file : files) {
            assertThat(file.memoryBytes()).as(as).isBetween(0L, hardware.memoryBytes());
            total += file.memoryBytes() == 0 ? MemoryPlan.defaultFootprint(file.roleProcesses().size()) : file.memoryBytes();
        }
        assertThat(total).as("%s: memory of all containers", as).isLessThanOrEqualTo(hardware.memoryBytes());
    }
}
