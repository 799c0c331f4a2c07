package io.strata.cli.resources;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.runtime.SafeFiles;
import io.strata.runtime.StrataException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code strata resources} through picocli, on the shapes recorded in strata-resources. */
class ResourcesCommandTest {
    private static final Path SHAPES = Path.of("../strata-resources/src/test/resources/shapes");
    private static final Path GOLDEN = Path.of("../strata-resources/src/test/resources/golden");

    private final Path temp;
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    ResourcesCommandTest() throws IOException {
        temp = Files.createTempDirectory("strata-cli");
    }

    @AfterEach
    void cleanUp() {
        SafeFiles.deleteRecursively(temp);
    }

    /** Runs the command through the strata main: a StrataException prints {@code error: <message>} and exits with its code. */
    private int run(String... args) {
        out.getBuffer().setLength(0);
        err.getBuffer().setLength(0);
        String[] full = new String[args.length + 1];
        full[0] = "resources";
        System.arraycopy(args, 0, full, 1, args.length);
        return io.strata.cli.Main.run(full, new PrintWriter(out, true), new PrintWriter(err, true),
                new io.strata.cli.StrataHome(java.nio.file.Path.of(System.getProperty("java.io.tmpdir"), "strata-home-unused")));
    }

    private List<String> outLines() {
        return out.toString().lines().toList();
    }

    @Test
    void generatePrintsTheFilesWrittenAndWritesTheGoldenFiles() throws IOException {
        Path folder = temp.resolve("stor16");
        int code = run("generate", "--root", SHAPES.resolve("server-16c-ht-4nvme").toString(), "--path", folder.toString());
        assertThat(code).as(err.toString()).isZero();
        assertThat(outLines()).containsExactly(folder.resolve("drives0.json").toString(), folder.resolve("compute0.json").toString(),
                folder.resolve("frontend0.json").toString());
        for (String name : List.of("drives0.json", "compute0.json", "frontend0.json")) {
            assertThat(Files.readString(folder.resolve(name)))
                    .isEqualTo(Files.readString(GOLDEN.resolve("server-16c-ht-4nvme/defaults").resolve(name)));
        }
    }

    @Test
    void jsonPrintsTheListAsJson() {
        Path folder = temp.resolve("out");
        int code = run("generate", "--root", SHAPES.resolve("dense-8c-12nvme").toString(), "--path", folder.toString(), "--json");
        assertThat(code).as(err.toString()).isZero();
        assertThat(out.toString()).isEqualTo("[\"%s\",\"%s\",\"%s\"]%n".formatted(folder.resolve("drives0.json"),
                folder.resolve("compute0.json"), folder.resolve("frontend0.json")));
    }

    @Test
    void everyOptionReachesTheGenerator() throws IOException {
        Path folder = temp.resolve("dual");
        int code = run("generate", "--root", SHAPES.resolve("dual-2x32c-ht-12nvme-2nic").toString(), "--path", folder.toString(),
                "--net", "ens1np0/10.0.0.11/24/10.0.0.1,ens6np0/10.0.1.11+10.0.1.12/24", "--failure-domain", "rack7");
        assertThat(code).as(err.toString()).isZero();
        assertThat(Files.readString(folder.resolve("compute1.json")))
                .isEqualTo(Files.readString(GOLDEN.resolve("dual-2x32c-ht-12nvme-2nic/net-and-failure-domain/compute1.json")));

        List<String> args = new ArrayList<>(List.of("generate", "--root", SHAPES.resolve("server-16c-ht-4nvme").toString(),
                "--path", temp.resolve("all").toString(), "--drives", "nvme0n1,/dev/nvme1n1", "--drive-dedicated-cores", "1",
                "--frontend-dedicated-cores", "2", "--compute-dedicated-cores", "3", "--core-ids", "4-9,12",
                "--max-cores-per-container", "2", "--compute-memory", "8GiB", "--base-port", "20000", "--net", "ens2f0np0"));
        assertThat(run(args.toArray(String[]::new))).as(err.toString()).isZero();
        assertThat(outLines()).extracting(l -> Path.of(l).getFileName().toString())
                .containsExactly("drives0.json", "compute0.json", "compute1.json", "frontend0.json");
        String drives = Files.readString(temp.resolve("all/drives0.json"));
        assertThat(drives).contains("\"basePort\" : 20000", "\"/dev/nvme1n1\"", "\"coreId\" : 4", "\"dedicatedCore\" : false");
        assertThat(Files.readString(temp.resolve("all/compute1.json"))).contains("\"basePort\" : 20400", "\"coreId\" : 7");
        assertThat(Files.readString(temp.resolve("all/frontend0.json"))).contains("\"coreId\" : 8", "\"coreId\" : 9");

        assertThat(run("generate", "--root", SHAPES.resolve("server-16c-ht-4nvme").toString(), "--path", temp.resolve("ids").toString(),
                "--drive-core-ids", "1-4", "--compute-core-ids", "5", "--frontend-core-ids", "6", "--spare-cores", "0")).isZero();
        assertThat(run("generate", "--root", SHAPES.resolve("e810-8c-ht").toString(), "--path", temp.resolve("e810").toString(),
                "--single-container")).isZero();
        assertThat(temp.resolve("e810/default.json")).exists();
    }

    @Test
    void aRefusalIsOneLineAndWritesNothing() {
        Path folder = temp.resolve("vm");
        int code = run("generate", "--root", SHAPES.resolve("vm-2core").toString(), "--path", folder.toString());
        assertThat(code).isEqualTo(2);
        assertThat(out.toString()).isEmpty();
        assertThat(err.toString()).isEqualTo("error: no core left for compute: vm has 2 physical cores on 2 CPUs (no hyperthreads); "
                + "1 stays with the OS (CPU 0); the frontend takes 1, drives take 0 (no drive)%n".formatted());
        assertThat(folder).doesNotExist();
    }

    @Test
    void anE810IsRefusedNamingTheNicAndTheWayOut() {
        int code = run("generate", "--root", SHAPES.resolve("e810-8c-ht").toString(), "--path", temp.resolve("e").toString());
        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).startsWith("error: NIC ens785f0 ").contains("E810").contains("--single-container").hasLineCount(1);
        assertThat(temp.resolve("e")).doesNotExist();
    }

    @Test
    void recordCopiesThisMachineAndGenerateReadsTheCopy() {
        Path copy = temp.resolve("copy");
        assertThat(run("record", "--to", copy.toString())).as(err.toString()).isZero();
        assertThat(out.toString()).startsWith("recorded ").endsWith(" files into " + copy + System.lineSeparator());
        assertThat(copy.resolve("proc/cpuinfo")).exists();
        int code = run("generate", "--root", copy.toString(), "--path", temp.resolve("here").toString());
        assertThat(code).as("a refusal or files: %s", err).isIn(0, 2);
        assertThat(err.toString().lines().count()).isLessThanOrEqualTo(1);
    }

    @Test
    void aMalformedNumberIsAUsageError() {
        int code = run("generate", "--spare-cores", "one");
        assertThat(code).isEqualTo(CommandLine.ExitCode.USAGE);
        assertThat(err.toString()).contains("--spare-cores");
    }
}
