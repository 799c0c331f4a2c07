package io.strata.resources;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.config.resources.ResourceFile;
import io.strata.runtime.SafeFiles;
import io.strata.runtime.StrataException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The generator on the recorded shapes, compared exactly with the files checked in under
 * {@code src/test/resources/golden/<shape>/<case>/}: {@code files.txt} lists the files in order
 * and each {@code *.json} is the file as written; a refused case holds {@code refused.txt} with the
 * message. After a deliberate change, regenerate with
 * {@code mvn -pl strata-resources -am test -Dtest=GoldenShapesTest -Dsurefire.failIfNoSpecifiedTests=false -Dstrata.golden.update=true}
 * and review the diff.
 */
class GoldenShapesTest {
    static final Path GOLDEN = Path.of("src/test/resources/golden");

    /** Case name to options, per shape; the first case of every shape is its defaults. */
    static final Map<String, Map<String, UnaryOperator<GeneratorOptions.Builder>>> CASES = caseTable();

    private static Map<String, Map<String, UnaryOperator<GeneratorOptions.Builder>>> caseTable() {
        Map<String, Map<String, UnaryOperator<GeneratorOptions.Builder>>> all = new LinkedHashMap<>();
        Map<String, UnaryOperator<GeneratorOptions.Builder>> vm = new LinkedHashMap<>();
        vm.put("defaults", b -> b);
        vm.put("single-container", b -> b.singleContainer(true));
        vm.put("single-container-no-spare", b -> b.singleContainer(true).spareCores(0));
        vm.put("no-spare", b -> b.spareCores(0));
        all.put(ShapeFixtures.VM_2CORE, vm);

        Map<String, UnaryOperator<GeneratorOptions.Builder>> s16 = new LinkedHashMap<>();
        s16.put("defaults", b -> b);
        s16.put("single-container", b -> b.singleContainer(true));
        s16.put("no-compute", b -> b.computeCores(0));
        s16.put("no-frontend-two-drives", b -> b.frontendCores(0).drives("nvme1n1,/dev/nvme3n1"));
        s16.put("core-ids", b -> b.coreIds("2-9").frontendCoreIds("15"));
        s16.put("compute-memory", b -> b.computeMemory("64GiB").computeCores(6));
        s16.put("too-many-cores", b -> b.computeCores(40));
        s16.put("unknown-drive", b -> b.drives("nvme9n1"));
        s16.put("mounted-drive", b -> b.drives("sda"));
        s16.put("unknown-nic", b -> b.net(List.of("eth7")));
        s16.put("sibling-core-id", b -> b.coreIds("1-8,17"));
        s16.put("missing-core-id", b -> b.computeCoreIds("99"));
        s16.put("compute-memory-too-large", b -> b.computeMemory("200GiB"));
        all.put(ShapeFixtures.SERVER_16C, s16);

        Map<String, UnaryOperator<GeneratorOptions.Builder>> dual = new LinkedHashMap<>();
        dual.put("defaults", b -> b);
        dual.put("net-and-failure-domain", b -> b.net(List.of("ens1np0/10.0.0.11/24/10.0.0.1,ens6np0/10.0.1.11+10.0.1.12/24"))
                .failureDomain("rack7"));
        dual.put("max-8-per-container", b -> b.maxCoresPerContainer(8));
        all.put(ShapeFixtures.DUAL_2X32, dual);

        Map<String, UnaryOperator<GeneratorOptions.Builder>> amd = new LinkedHashMap<>();
        amd.put("defaults", b -> b);
        all.put(ShapeFixtures.AMD_96T, amd);

        Map<String, UnaryOperator<GeneratorOptions.Builder>> dense = new LinkedHashMap<>();
        dense.put("defaults", b -> b);
        dense.put("single-container", b -> b.singleContainer(true));
        dense.put("drive-cores-2", b -> b.driveCores(2));
        all.put(ShapeFixtures.DENSE_8C, dense);

        Map<String, UnaryOperator<GeneratorOptions.Builder>> e810 = new LinkedHashMap<>();
        e810.put("defaults", b -> b);
        e810.put("single-container", b -> b.singleContainer(true));
        all.put(ShapeFixtures.E810, e810);
        return all;
    }

    static Stream<Arguments> cases() {
        List<Arguments> arguments = new ArrayList<>();
        CASES.forEach((shape, byName) -> byName.keySet().forEach(name -> arguments.add(Arguments.of(shape, name))));
        return arguments.stream();
    }

    /** What a case produces, as it is kept on disk: file name to content. */
    static Map<String, String> outcome(String shape, String caseName) {
        Map<String, String> produced = new LinkedHashMap<>();
        try {
            Hardware hardware = HardwareReader.read(RecordedShapesTest.SHAPES.resolve(shape));
            GeneratorOptions options = CASES.get(shape).get(caseName).apply(GeneratorOptions.builder()).build();
            GeneratedResources result = ResourceGenerator.generate(hardware, options);
            produced.put("files.txt", String.join("\n", result.fileNames()) + "\n");
            for (ResourceFile file : result.files()) {
                produced.put(GeneratedResources.fileName(file), GeneratedResources.render(file));
            }
        } catch (StrataException refusal) {
            produced.put("refused.txt", refusal.getMessage() + "\n");
        }
        return produced;
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void matchesGoldenFiles(String shape, String caseName) throws IOException {
        Path dir = GOLDEN.resolve(shape).resolve(caseName);
        Map<String, String> produced = outcome(shape, caseName);
        if (Boolean.getBoolean("strata.golden.update")) {
            SafeFiles.deleteRecursively(dir);
            Files.createDirectories(dir);
            for (Map.Entry<String, String> entry : produced.entrySet()) {
                Files.writeString(dir.resolve(entry.getKey()), entry.getValue(), StandardCharsets.UTF_8);
            }
        }
        assertThat(Files.isDirectory(dir)).as("golden folder %s (create it with -Dstrata.golden.update=true)", dir).isTrue();
        Map<String, String> expected = read(dir);
        assertThat(produced.keySet()).containsExactlyInAnyOrderElementsOf(expected.keySet());
        for (Map.Entry<String, String> entry : produced.entrySet()) {
            assertThat(entry.getValue()).as("%s/%s", dir, entry.getKey()).isEqualTo(expected.get(entry.getKey()));
        }
    }

    /** A refusal is one line and a resource file reads back as what was written. */
    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void outcomesAreWellFormed(String shape, String caseName) throws IOException {
        Map<String, String> produced = outcome(shape, caseName);
        if (produced.containsKey("refused.txt")) {
            assertThat(produced.get("refused.txt").strip()).doesNotContain("\n").isNotBlank();
            return;
        }
        Path temp = Files.createTempDirectory("golden");
        try {
            for (Map.Entry<String, String> entry : produced.entrySet()) {
                if (entry.getKey().endsWith(".json")) {
                    Path file = temp.resolve(entry.getKey());
                    Files.writeString(file, entry.getValue());
                    assertThat(GeneratedResources.render(ResourceFile.read(file))).isEqualTo(entry.getValue());
                }
            }
        } finally {
            SafeFiles.deleteRecursively(temp);
        }
    }

    private static Map<String, String> read(Path dir) {
        Map<String, String> files = new LinkedHashMap<>();
        try (Stream<Path> entries = Files.list(dir)) {
            for (Path file : entries.sorted().toList()) {
                files.put(file.getFileName().toString(), Files.readString(file, StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return files;
    }
}
