package io.strata.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.strata.runtime.SafeFiles;
import io.strata.runtime.StrataException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** fio's JSON reports as fio 3.33 wrote them (recorded on the raw disk), and the arguments the bench gives fio. */
class FioTest {
    private static byte[] sample(String name) throws IOException {
        try (InputStream in = FioTest.class.getResourceAsStream("/bench/" + name)) {
            assertThat(in).as(name).isNotNull();
            return in.readAllBytes();
        }
    }

    @Test
    void aReadJobsFiguresComeFromTheReadSide() throws IOException {
        Measurement m = Fio.parse("raw", FioJob.RANDREAD_QD16, sample("fio-randread-qd16.json"));
        assertThat(m.target()).isEqualTo("raw");
        assertThat(m.job()).isEqualTo("randread-qd16");
        assertThat(m.mibPerSecond()).isCloseTo(139552335 / 1048576.0, within(1e-9));
        assertThat(m.iops()).isCloseTo(34070.394408, within(1e-9));
        assertThat(m.meanLatencyUs()).isCloseTo(460.256526193, within(1e-9));
        assertThat(m.p99LatencyUs()).isCloseTo(3817.472, within(1e-9));
        assertThat(m.headline()).isEqualTo(m.iops());
    }

    @Test
    void aWriteJobsFiguresComeFromTheWriteSide() throws IOException {
        Measurement m = Fio.parse("raw", FioJob.SEQ_WRITE, sample("fio-seq-write.json"));
        assertThat(m.mibPerSecond()).isCloseTo(1042811714 / 1048576.0, within(1e-9));
        assertThat(m.iops()).isCloseTo(994.502749, within(1e-9));
        assertThat(m.meanLatencyUs()).isCloseTo(979.562588945, within(1e-9));
        assertThat(m.p99LatencyUs()).isCloseTo(5996.544, within(1e-9));
        assertThat(m.headline()).isEqualTo(m.mibPerSecond());
    }

    @Test
    void linesBeforeTheJsonAreSkipped() throws IOException {
        byte[] report = sample("fio-seq-write.json");
        byte[] noisy = ("fio: note: both iodepth >= 1 and synchronous I/O engine are selected\n"
                + new String(report, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);
        assertThat(Fio.parse("raw", FioJob.SEQ_WRITE, noisy)).isEqualTo(Fio.parse("raw", FioJob.SEQ_WRITE, report));
    }

    @Test
    void aJobThatDidNoIoOnItsSideIsAnError() throws IOException {
        // the recorded write job did no reads: read as if it were a read job, it did nothing
        assertThatThrownBy(() -> Fio.parse("raw", FioJob.SEQ_READ, sample("fio-seq-write.json")))
                .isInstanceOf(StrataException.class).hasMessage("fio seq-read on raw did no IO");
    }

    @Test
    void brokenReportsAreErrorsNamingTheJobAndTarget() {
        assertThatThrownBy(() -> Fio.parse("fuse", FioJob.SEQ_READ, "fio: file bench.dat: No such file".getBytes(StandardCharsets.UTF_8)))
                .hasMessage("fio's report of seq-read on fuse holds no JSON");
        assertThatThrownBy(() -> Fio.parse("fuse", FioJob.SEQ_READ, "{\"jobs\": []}".getBytes(StandardCharsets.UTF_8)))
                .hasMessage("fio's report of seq-read on fuse has no jobs");
        assertThatThrownBy(() -> Fio.parse("fuse", FioJob.SEQ_READ, "{\"jobs\": [{\"error\": 5}]}".getBytes(StandardCharsets.UTF_8)))
                .hasMessage("fio seq-read on fuse ended with error 5");
        assertThatThrownBy(() -> Fio.parse("fuse", FioJob.SEQ_READ, "{\"jobs\": [".getBytes(StandardCharsets.UTF_8)))
                .hasMessageStartingWith("fio's report of seq-read on fuse is malformed");
    }

    @Test
    void jobsAskForDirectTimeBasedIoOnTheirRegion() {
        assertThat(FioJob.RANDWRITE_QD16.arguments(Path.of("/m/bench.dat"), 3 << 20, 5 << 20, 15, Path.of("/r/out.json")))
                .containsExactly("--name=randwrite-qd16", "--filename=/m/bench.dat", "--offset=3145728", "--size=5242880", "--direct=1",
                        "--fallocate=none", "--output-format=json", "--output=/r/out.json", "--rw=randwrite", "--bs=4k",
                        "--ioengine=libaio", "--iodepth=16", "--runtime=15", "--time_based=1");
        assertThat(FioJob.RANDREAD_QD1.arguments(Path.of("/m/f"), 0, 1 << 20, 5, Path.of("/r/o.json")))
                .contains("--ioengine=psync", "--iodepth=1", "--rw=randread", "--bs=4k");
        assertThat(FioJob.prepareArguments(Path.of("/m/f"), 0, 1 << 20, Path.of("/r/o.json")))
                .contains("--rw=write", "--bs=1m", "--direct=1").noneMatch(a -> a.startsWith("--runtime") || a.startsWith("--time_based"));
    }

    @Test
    void colonsInTheFileNameAreEscapedForFio() {
        assertThat(FioJob.SEQ_READ.arguments(Path.of("/mnt/a:b/bench.dat"), 0, 1 << 20, 1, Path.of("/o.json")))
                .contains("--filename=/mnt/a\\:b/bench.dat");
    }

    @Test
    void fioIsFoundOnThePath() throws IOException {
        Path dir = Files.createTempDirectory("strata-bench-path");
        try {
            Path empty = Files.createDirectory(dir.resolve("empty"));
            Path bin = Files.createDirectory(dir.resolve("bin"));
            Path fio = Files.createFile(bin.resolve("fio"), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
            assertThat(Fio.find(empty + ":" + bin)).contains(fio);
            assertThat(Fio.find(empty.toString())).isEmpty();
            assertThat(Fio.find(null)).isEqualTo(Optional.empty());
        } finally {
            SafeFiles.deleteRecursively(dir);
        }
    }
}
