package io.strata.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Ratios to the raw disk and to the peer, the table and how figures read. */
class BenchReportTest {
    private static final List<String> TARGETS = List.of("raw", "fuse", "strata", "glusterfs");

    private static List<Measurement> measurements() {
        return List.of(
                new Measurement("raw", "seq-write", 1000.0, 1000, 900, 5000),
                new Measurement("fuse", "seq-write", 500.0, 500, 1800, 2500),
                new Measurement("strata", "seq-write", 50.0, 50, 20_000, 1_500_000),
                new Measurement("glusterfs", "seq-write", 100.0, 100, 9000, 40_000),
                new Measurement("raw", "randread-qd1", 40.0, 10_240, 95, 150),
                new Measurement("strata", "randread-qd1", 4.0, 1024, 950, 10_000),
                new Measurement("strata", "meta-create", null, 800, 10_000, 30_000),
                new Measurement("raw", "meta-create", null, 40_000, 180, 600));
    }

    @Test
    void sequentialJobsAreComparedByThroughputTheOthersByOperations() {
        List<BenchReport.Row> rows = BenchReport.rows(measurements(), List.of("seq-write", "randread-qd1", "meta-create"), TARGETS,
                "glusterfs");
        assertThat(rows).extracting(r -> r.job() + "/" + r.target()).containsExactly("seq-write/raw", "seq-write/fuse",
                "seq-write/strata", "seq-write/glusterfs", "randread-qd1/raw", "randread-qd1/strata", "meta-create/raw",
                "meta-create/strata");
        BenchReport.Row strataWrite = rows.get(2);
        assertThat(strataWrite.vsRaw()).isCloseTo(0.05, within(1e-12));
        assertThat(strataWrite.vsPeer()).isCloseTo(0.5, within(1e-12));
        assertThat(strataWrite.unit()).isEqualTo("MiB/s");
        assertThat(rows.get(0).vsRaw()).isEqualTo(1.0);
        BenchReport.Row strataRead = rows.get(5);
        assertThat(strataRead.vsRaw()).isCloseTo(0.1, within(1e-12));
        assertThat(strataRead.vsPeer()).as("the peer did not run this job").isNull();
        assertThat(strataRead.unit()).isEqualTo("IOPS");
        BenchReport.Row strataCreate = rows.get(7);
        assertThat(strataCreate.vsRaw()).isCloseTo(0.02, within(1e-12));
        assertThat(strataCreate.unit()).isEqualTo("ops/s");
    }

    @Test
    void withoutRawOrPeerThereAreNoRatios() {
        List<BenchReport.Row> rows = BenchReport.rows(List.of(new Measurement("fuse", "seq-read", 10.0, 10, 1, 2)), List.of("seq-read"),
                List.of("fuse"), null);
        assertThat(rows).singleElement().satisfies(r -> {
            assertThat(r.vsRaw()).isNull();
            assertThat(r.vsPeer()).isNull();
        });
    }

    @Test
    void theTableHasAColumnForThePeerOnlyWithAPeer() {
        List<BenchReport.Row> rows = BenchReport.rows(measurements(), List.of("seq-write", "meta-create"), TARGETS, "glusterfs");
        StringWriter text = new StringWriter();
        BenchReport.table(rows, "glusterfs").print(new PrintWriter(text));
        assertThat(text.toString().lines().toList()).containsExactly(
                "JOB          TARGET     MiB/s   IOPS   MEAN      P99       VS RAW  VS GLUSTERFS",
                "seq-write    raw        1000.0  1000   900 us    5.00 ms   1.00x   10.00x",
                "seq-write    fuse       500.0   500    1.80 ms   2.50 ms   0.50x   5.00x",
                "seq-write    strata     50.0    50     20.00 ms  1.50 s    0.05x   0.50x",
                "seq-write    glusterfs  100.0   100    9.00 ms   40.00 ms  0.10x   1.00x",
                "meta-create  raw        -       40000  180 us    600 us    1.00x   -",
                "meta-create  strata     -       800    10.00 ms  30.00 ms  0.02x   -");
        StringWriter plain = new StringWriter();
        BenchReport.table(rows, null).print(new PrintWriter(plain));
        assertThat(plain.toString().lines().findFirst().orElseThrow()).endsWith("VS RAW").doesNotContain("GLUSTERFS");
    }

    @Test
    void figuresReadAsPeopleWriteThem() {
        assertThat(BenchReport.latency(85.4)).isEqualTo("85 us");
        assertThat(BenchReport.latency(3420)).isEqualTo("3.42 ms");
        assertThat(BenchReport.latency(1_200_000)).isEqualTo("1.20 s");
        assertThat(BenchReport.ratio(null)).isEqualTo("-");
        assertThat(BenchReport.ratio(0.4567)).isEqualTo("0.46x");
        assertThat(BenchReport.ratio(0.00123)).isEqualTo("0.0012x");
        assertThat(BarChart.figure(0.84)).isEqualTo("0.8");
        assertThat(BarChart.figure(512.4)).isEqualTo("512");
        assertThat(BarChart.figure(34_070)).isEqualTo("34.1k");
    }

    @Test
    void mountsRunningAtOnceAddUpTheirThroughputAndKeepTheWorstTail() {
        Measurement combined = Measurement.combine("strata3", "randread-qd16", List.of(
                new Measurement("strata3", "randread-qd16", 10.0, 2560, 100, 1000),
                new Measurement("strata3", "randread-qd16", 20.0, 5120, 200, 3000),
                new Measurement("strata3", "randread-qd16", 30.0, 7680, 300, 2000)));
        assertThat(combined).isEqualTo(new Measurement("strata3", "randread-qd16", 60.0, 15360, 200, 3000));
        Measurement meta = Measurement.combine("strata3", "meta-stat", List.of(new Measurement("strata3", "meta-stat", null, 5, 1, 1)));
        assertThat(meta.mibPerSecond()).isNull();
    }
}
