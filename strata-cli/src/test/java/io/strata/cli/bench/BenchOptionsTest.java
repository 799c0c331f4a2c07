package io.strata.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.strata.cli.Main;
import io.strata.cli.StrataHome;
import io.strata.resources.ByteSizes;
import io.strata.runtime.SafeFiles;
import io.strata.runtime.StrataException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What --targets, --peer, --jobs and the sizes accept, through the strata command where it refuses. */
class BenchOptionsTest {
    private static final List<String> ALL_JOBS = BenchJobs.selectable();

    private static BenchOptions of(List<String> targets, String peer, List<String> jobs, String size) {
        return BenchOptions.of(targets, peer, jobs, size, 15, 0, 8, 3, "4KiB", "127.0.8", "shared");
    }

    @Test
    void targetsRunInTheirOwnOrderThePeerLast() {
        BenchOptions options = of(List.of("strata3", "raw", "strata", "raw"), "glusterfs", List.of("meta", "seq-read"), "1GiB");
        assertThat(options.targets()).containsExactly("raw", "strata", "strata3", "glusterfs");
        assertThat(options.jobs()).containsExactly("seq-read", "meta");
        assertThat(options.fioJobs()).containsExactly(FioJob.SEQ_READ);
        assertThat(options.metadata()).isTrue();
        assertThat(options.needsSandbox()).isTrue();
        assertThat(BenchJobs.rows(options.jobs())).containsExactly("seq-read", "meta-create", "meta-stat", "meta-delete");
    }

    @Test
    void theSpaceNeededCountsTheFileOnEachTargetWithParityAndTheSandbox() {
        long gib = ByteSizes.GIB;
        assertThat(of(List.of("raw", "fuse", "strata", "strata3"), "glusterfs", ALL_JOBS, "1GiB").neededBytes())
                .isEqualTo(gib + gib * 3 / 2 + 20 * gib + gib * 3 / 2);
        assertThat(of(List.of("raw", "fuse"), null, ALL_JOBS, "2GiB").neededBytes()).isEqualTo(2 * gib + gib);
        assertThat(of(List.of("strata"), null, ALL_JOBS, "1GiB").neededBytes()).isGreaterThanOrEqualTo(3 * gib + 20 * gib - 2 * gib);
    }

    @Test
    void threeMountsShareTheFileInWholeMiB() {
        BenchOptions options = of(List.of("strata3"), null, ALL_JOBS, "1GiB");
        List<long[]> parts = options.parts(3);
        long mib = ByteSizes.MIB;
        assertThat(parts).extracting(p -> p[0] / mib + "+" + p[1] / mib).containsExactly("0+341", "341+341", "682+342");
        assertThat(options.parts(1)).extracting(p -> p[0] + "+" + p[1]).containsExactly("0+" + ByteSizes.GIB);
    }

    @Test
    void mistakesAreRefusedWithWhatIsAllowed() {
        assertThatThrownBy(() -> of(List.of("nfs"), null, ALL_JOBS, "1GiB")).isInstanceOf(StrataException.class)
                .hasMessage("--targets: unknown target 'nfs' (choose from raw, fuse, strata, strata3)");
        assertThatThrownBy(() -> of(List.of("glusterfs"), null, ALL_JOBS, "1GiB"))
                .hasMessage("glusterfs is the peer: give it with --peer glusterfs, not in --targets");
        assertThatThrownBy(() -> of(List.of("raw"), "cephfs", ALL_JOBS, "1GiB")).hasMessage("--peer must be glusterfs, not 'cephfs'");
        assertThatThrownBy(() -> of(List.of("raw"), null, List.of("seq-write", "mixed"), "1GiB"))
                .hasMessageStartingWith("--jobs: unknown job 'mixed' (choose from seq-write, seq-read, ");
        assertThatThrownBy(() -> of(List.of("raw"), null, ALL_JOBS, "10MiB"))
                .hasMessage("--size must be a whole number of MiB from 64MiB to 64GiB, not 10MiB");
        assertThatThrownBy(() -> of(List.of("raw"), null, ALL_JOBS, "100000001"))
                .hasMessageStartingWith("--size must be a whole number of MiB");
        assertThatThrownBy(() -> BenchOptions.of(List.of("raw"), null, ALL_JOBS, "1GiB", 0, 0, 8, 3, "4KiB", "127.0.8", "shared"))
                .hasMessage("--runtime must be 1 to 600 seconds, not 0");
        assertThatThrownBy(() -> BenchOptions.of(List.of("raw"), null, ALL_JOBS, "1GiB", 15, -1, 8, 3, "4KiB", "127.0.8", "shared"))
                .hasMessage("--warmup must be 0 to 600 seconds, not -1");
        assertThatThrownBy(() -> BenchOptions.of(List.of("raw"), null, ALL_JOBS, "1GiB", 15, 0, 0, 3, "4KiB", "127.0.8", "shared"))
                .hasMessage("--meta-threads must be 1 to 256, not 0");
        assertThatThrownBy(() -> BenchOptions.of(List.of("raw"), null, ALL_JOBS, "1GiB", 15, 0, 8, 0, "4KiB", "127.0.8", "shared"))
                .hasMessage("--meta-seconds must be 1 to 600, not 0");
        assertThatThrownBy(() -> BenchOptions.of(List.of("raw"), null, ALL_JOBS, "1GiB", 15, 0, 8, 3, "2MiB", "127.0.8", "shared"))
                .hasMessage("--meta-file-size must be at most 1MiB, not 2MiB");
        assertThatThrownBy(() -> BenchOptions.of(List.of("raw"), null, ALL_JOBS, "1GiB", 15, 0, 8, 3, "4KiB", "10.0.8", "shared"))
                .hasMessage("--subnet must be a loopback /24 such as 127.0.8, not '10.0.8'");
        assertThatThrownBy(() -> BenchOptions.of(List.of("raw"), null, ALL_JOBS, "1GiB", 15, 0, 8, 3, "4KiB", "127.0.8", "pinned"))
                .hasMessage("--core-mapping must be modulo or shared, not 'pinned'");
        assertThat(BenchOptions.of(List.of("raw"), null, ALL_JOBS, "1GiB", 15, 0, 8, 3, "4KiB", "127.0.8", "modulo").coreMapping())
                .isEqualTo(io.strata.config.server.ServerIdentity.CoreMapping.MODULO);
    }

    @Test
    void theCommandRefusesInOneLineBeforeStartingAnything() throws IOException {
        Path home = Files.createTempDirectory("strata-bench-home");
        try {
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            int code = Main.run(new String[] {"bench", "--targets", "raw,nfs"}, new PrintWriter(out, true), new PrintWriter(err, true),
                    new StrataHome(home));
            assertThat(code).isEqualTo(2);
            assertThat(err.toString().lines().toList())
                    .containsExactly("error: --targets: unknown target 'nfs' (choose from raw, fuse, strata, strata3)");
            assertThat(out.toString()).isEmpty();
            assertThat(home.resolve("bench")).doesNotExist();
        } finally {
            SafeFiles.deleteRecursively(home);
        }
    }

    @Test
    void warmingUpRunsEveryJobUnmeasuredAndIsCountedInTheEstimate() {
        BenchOptions cold = BenchOptions.of(List.of("raw", "strata"), null, ALL_JOBS, "1GiB", 10, 0, 8, 3, "4KiB", "127.0.8", "shared");
        BenchOptions warm = BenchOptions.of(List.of("raw", "strata"), null, ALL_JOBS, "1GiB", 10, 4, 8, 3, "4KiB", "127.0.8", "shared");
        // per target: 6 fio jobs of 4 s (+1 s each to start fio) and three metadata phases of 4 s (+2 s)
        assertThat(warm.estimatedSeconds() - cold.estimatedSeconds()).isEqualTo(2 * (6 * 5 + 3 * 4 + 2));
    }
}
