package io.strata.resources;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.strata.config.Role;
import io.strata.config.resources.ProcessSlot;
import io.strata.config.resources.ResourceFile;
import io.strata.runtime.SafeFiles;
import io.strata.runtime.StrataException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class ResourceGeneratorTest {
    private static final long GIB = 1L << 30;

    private static Map<String, ResourceFile> byName(GeneratedResources result) {
        return result.files().stream().collect(Collectors.toMap(ResourceFile::name, Function.identity()));
    }

    private static List<Integer> cores(ResourceFile file) {
        return file.roleProcesses().stream().map(ProcessSlot::coreId).toList();
    }

    @Test
    void fortyComputeCoresGoToThreeContainersOf14And13And13() {
        Hardware hardware = Hardware.simulated("big", 48, 0);
        GeneratedResources result = ResourceGenerator.generate(hardware, GeneratorOptions.builder().computeCores(40).build());
        assertThat(result.fileNames()).containsExactly("compute0.json", "compute1.json", "compute2.json", "frontend0.json");
        Map<String, ResourceFile> files = byName(result);
        assertThat(files.get("compute0").roleProcesses()).hasSize(14);
        assertThat(files.get("compute1").roleProcesses()).hasSize(13);
        assertThat(files.get("compute2").roleProcesses()).hasSize(13);
        assertThat(files.get("compute0").basePort()).isEqualTo(14300);
        assertThat(files.get("compute1").basePort()).isEqualTo(14400);
        assertThat(files.get("compute2").basePort()).isEqualTo(14500);
        assertThat(files.get("frontend0").basePort()).isEqualTo(14200);
    }

    @Test
    void aRoleGivenNoCoresGetsNoContainer() {
        Hardware hardware = Hardware.simulated("s", List.of(0, 1, 2, 3, 4, 5, 6, 7), 0, List.of("/dev/nvme0n1"));
        assertThat(ResourceGenerator.generate(hardware, GeneratorOptions.builder().frontendCores(0).build()).fileNames())
                .containsExactly("drives0.json", "compute0.json");
        assertThat(ResourceGenerator.generate(hardware, GeneratorOptions.builder().computeCores(0).build()).fileNames())
                .containsExactly("drives0.json", "frontend0.json");
        assertThat(ResourceGenerator.generate(hardware, GeneratorOptions.builder().driveCores(0).drives("none").build()).fileNames())
                .containsExactly("compute0.json", "frontend0.json");
        assertThatThrownBy(() -> ResourceGenerator.generate(hardware,
                GeneratorOptions.builder().driveCores(0).computeCores(0).frontendCores(0).build()))
                .isInstanceOf(StrataException.class)
                .hasMessage("nothing to generate: drives, compute and frontend all have 0 cores");
        assertThatThrownBy(() -> ResourceGenerator.generate(hardware, GeneratorOptions.builder().driveCores(0).drives("nvme0n1").build()))
                .isInstanceOf(StrataException.class)
                .hasMessage("--drives names 1 drives but --drive-dedicated-cores is 0");
    }

    @Test
    void aFurtherContainerWhoseRangeIsTakenMovesToTheNextFreeRange() {
        Hardware hardware = Hardware.simulated("s", java.util.stream.IntStream.range(0, 12).boxed().toList(), 0,
                List.of("/d/0", "/d/1", "/d/2", "/d/3", "/d/4", "/d/5"));
        GeneratedResources result = ResourceGenerator.generate(hardware, GeneratorOptions.builder().maxCoresPerContainer(2).build());
        Map<String, ResourceFile> files = byName(result);
        assertThat(result.fileNames()).containsExactly("drives0.json", "drives1.json", "drives2.json",
                "compute0.json", "compute1.json", "frontend0.json");
        assertThat(files.get("drives0").basePort()).isEqualTo(14000);
        assertThat(files.get("drives1").basePort()).isEqualTo(14100);
        assertThat(files.get("frontend0").basePort()).isEqualTo(14200);
        assertThat(files.get("compute0").basePort()).isEqualTo(14300);
        assertThat(files.get("compute1").basePort()).isEqualTo(14400);
        assertThat(files.get("drives2").basePort()).isEqualTo(14500);
        assertThat(files.get("drives2").notes())
                .containsExactly("ports 14500-14599: the usual range 14200-14299 is taken (container frontend0 has 14200-14299)");
        assertThat(files.get("drives2").processes()).allMatch(p -> p.port() == 14500 + p.slot());
    }

    @Test
    void aRangeHoldingTheAgentPortIsNeverGiven() {
        Hardware hardware = Hardware.simulated("s", 6, 0);
        Map<String, ResourceFile> files = byName(ResourceGenerator.generate(hardware,
                GeneratorOptions.builder().basePort(13600).maxCoresPerContainer(1).build()));
        // compute0..3 would start at 13900, 14000, 14100, 14200: the one holding 13900 moves past the others
        assertThat(files.get("compute0").basePort()).isEqualTo(14300);
        assertThat(files.get("compute0").notes().getFirst()).endsWith("(the host agent's port 13900)");
        assertThat(files.get("compute1").basePort()).isEqualTo(14000);
        assertThat(files.get("frontend0").basePort()).isEqualTo(13800);
        assertThatThrownBy(() -> ResourceGenerator.generate(hardware, GeneratorOptions.builder().basePort(13850).singleContainer(true).build()))
                .isInstanceOf(StrataException.class)
                .hasMessage("--base-port 13850: ports 13850-13949 would include the host agent's port 13900");
    }

    @Test
    void memoryFollowsTheDocumentedFormula() {
        Hardware hardware = ShapeFixtures.server16().hardware();
        long ram = hardware.memoryBytes();
        long reserve = Math.max(4 * GIB, ram / 10);
        long others = (1 + 4) * GIB + (1 + 1) * GIB;
        long expected = (ram - reserve - others) / (1 << 20) * (1 << 20);
        Map<String, ResourceFile> files = byName(ResourceGenerator.generate(hardware, GeneratorOptions.defaults()));
        assertThat(files.get("compute0").memoryBytes()).isEqualTo(expected);
        assertThat(files.get("drives0").memoryBytes()).isZero();
        assertThat(files.get("frontend0").memoryBytes()).isZero();
        ResourceFile single = ResourceGenerator.generate(hardware, GeneratorOptions.builder().singleContainer(true).build()).files().getFirst();
        assertThat(single.memoryBytes()).isEqualTo((ram - reserve) / (1 << 20) * (1 << 20));
        assertThatThrownBy(() -> ResourceGenerator.generate(hardware, GeneratorOptions.builder().computeMemory("5GiB").build()))
                .isInstanceOf(StrataException.class)
                .hasMessage("--compute-memory 5.0 GiB is less than the 11.0 GiB that 10 compute processes need (1 GiB per container and 1 GiB per process)");
    }

    @Test
    void namedCoresAreCheckedAgainstTheServerAndEachOther() {
        Hardware hardware = ShapeFixtures.server16().hardware();
        assertThatThrownBy(() -> ResourceGenerator.generate(hardware, GeneratorOptions.builder().computeCoreIds("3,4").frontendCoreIds("4").build()))
                .isInstanceOf(StrataException.class)
                .hasMessage("core 4 is named by both --compute-core-ids and --frontend-core-ids");
        assertThatThrownBy(() -> ResourceGenerator.generate(hardware, GeneratorOptions.builder().computeCoreIds("3").frontendCoreIds("19").build()))
                .isInstanceOf(StrataException.class)
                .hasMessage("core 19 named by --frontend-core-ids is a hyperthread sibling of core 3, which --compute-core-ids already uses");
        assertThatThrownBy(() -> ResourceGenerator.generate(hardware, GeneratorOptions.builder().driveCoreIds("32").build()))
                .isInstanceOf(StrataException.class)
                .hasMessage("core 32 named by --drive-core-ids does not exist on stor16 (CPUs 0-31)");
    }

    @Test
    void namingCpuZeroMovesTheSpareCoreToTheNextOne() {
        Hardware hardware = Hardware.simulated("s", 4, 0);
        Map<String, ResourceFile> files = byName(ResourceGenerator.generate(hardware, GeneratorOptions.builder().frontendCoreIds("0").build()));
        assertThat(cores(files.get("frontend0"))).containsExactly(0);
        assertThat(cores(files.get("compute0"))).containsExactly(2, 3);
    }

    @Test
    void anE810IsRefusedOnlyWhereTheContainersUseIt() {
        Hardware hardware = new Shape().cpus(1, 8, 1)
                .nic("ens785f0", "0000:4b:00.0", "8086", "1593")
                .nic("ens1np0", "0000:31:00.0", "15b3", "101d").hardware();
        assertThatThrownBy(() -> ResourceGenerator.generate(hardware, GeneratorOptions.defaults()))
                .isInstanceOf(StrataException.class)
                .hasMessage("NIC ens785f0 (0000:4b:00.0, PCI id 8086:1593) is an Intel E810: the multiple-containers layout is not supported with E810 NICs; use --single-container");
        GeneratedResources other = ResourceGenerator.generate(hardware, GeneratorOptions.builder().net(List.of("ens1np0")).build());
        assertThat(other.files()).allMatch(f -> f.nics().size() == 1 && f.nics().getFirst().name().equals("ens1np0"));
        ResourceFile single = ResourceGenerator.generate(hardware, GeneratorOptions.builder().singleContainer(true).build()).files().getFirst();
        assertThat(single.nics()).extracting(n -> n.name()).containsExactly("ens1np0", "ens785f0");
    }

    @Test
    void theDefaultContainerOfASimulatedServer() {
        Hardware sandbox = Hardware.simulated("sandbox-1", 8, 0);
        ResourceFile four = ResourceGenerator.defaultContainer(sandbox, 4, GeneratorOptions.defaults());
        assertThat(four.name()).isEqualTo("default");
        assertThat(four.basePort()).isEqualTo(14000);
        assertThat(four.memoryBytes()).isZero();
        assertThat(four.roleProcesses()).extracting(ProcessSlot::role, ProcessSlot::coreId).containsExactly(
                org.assertj.core.groups.Tuple.tuple(Role.COMPUTE, 1), org.assertj.core.groups.Tuple.tuple(Role.COMPUTE, 2),
                org.assertj.core.groups.Tuple.tuple(Role.COMPUTE, 3), org.assertj.core.groups.Tuple.tuple(Role.FRONTEND, 4));
        ResourceFile all = ResourceGenerator.defaultContainer(sandbox, 8, GeneratorOptions.builder().spareCores(0).build());
        assertThat(cores(all)).containsExactly(0, 1, 2, 3, 4, 5, 6, 7);
        assertThatThrownBy(() -> ResourceGenerator.defaultContainer(sandbox, 8, GeneratorOptions.defaults()))
                .isInstanceOf(StrataException.class)
                .hasMessage("more cores asked than the server has: the single container asks for 8 cores, but 7 are free; sandbox-1 has 8 physical cores on 8 CPUs (no hyperthreads); 1 stays with the OS (CPU 0)");

        Hardware withDrives = Hardware.simulated("sandbox-2", List.of(0, 1, 2, 3, 4, 5, 6, 7), 0, List.of("/var/strata/d0", "/var/strata/d1"));
        ResourceFile drives = ResourceGenerator.defaultContainer(withDrives, 5, GeneratorOptions.defaults());
        assertThat(drives.drives()).containsExactly("/var/strata/d0", "/var/strata/d1");
        assertThat(drives.roles()).containsExactly(Role.DRIVE, Role.COMPUTE, Role.FRONTEND);
        assertThat(cores(drives)).containsExactly(1, 2, 3, 4, 5);
    }

    @Test
    void writeReplacesItsOwnFilesAndLeavesOthersAlone() throws IOException {
        Path folder = TempDirs.create("out");
        try {
            Files.writeString(folder.resolve("compute0.json"), "old");
            Files.writeString(folder.resolve("mine.txt"), "mine");
            GeneratedResources result = ResourceGenerator.generate(Hardware.simulated("s", 4, 0), GeneratorOptions.defaults());
            List<Path> written = result.write(folder);
            assertThat(written).containsExactly(folder.resolve("compute0.json"), folder.resolve("frontend0.json"));
            assertThat(ResourceFile.read(folder.resolve("compute0.json"))).isEqualTo(result.files().getFirst());
            assertThat(Files.readString(folder.resolve("mine.txt"))).isEqualTo("mine");
            try (var entries = Files.list(folder)) {
                assertThat(entries.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("compute0.json", "frontend0.json", "mine.txt");
            }
            assertThatThrownBy(() -> result.write(folder.resolve("mine.txt")))
                    .isInstanceOf(StrataException.class)
                    .hasMessage("cannot write resource files into %s: it is not a folder", folder.resolve("mine.txt"));
        } finally {
            SafeFiles.deleteRecursively(folder);
        }
    }
}
