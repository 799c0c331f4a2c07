package io.strata.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.strata.runtime.SafeFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The metadata job on a temporary folder (1 s phases), and how latencies are summed up. */
class MetadataJobTest {
    @Test
    void createsStatsAndDeletesOnEveryRootAndLeavesNothing() throws IOException {
        Path dir = Files.createTempDirectory("strata-bench-meta");
        try {
            Path a = Files.createDirectory(dir.resolve("a"));
            Path b = Files.createDirectory(dir.resolve("b"));
            List<Measurement> rows = new MetadataJob(2, 1, 512, () -> false).run("raw", List.of(a, b));
            assertThat(rows).extracting(Measurement::job).containsExactly("meta-create", "meta-stat", "meta-delete");
            assertThat(rows).allSatisfy(m -> {
                assertThat(m.target()).isEqualTo("raw");
                assertThat(m.mibPerSecond()).isNull();
                assertThat(m.iops()).isPositive();
                assertThat(m.p99LatencyUs()).isGreaterThanOrEqualTo(0);
            });
            try (Stream<Path> left = Files.walk(dir)) {
                assertThat(left.filter(Files::isRegularFile)).isEmpty();
            }
            assertThat(a.resolve("meta-1")).isDirectory();
            assertThat(b.resolve("meta-2")).isDirectory();
        } finally {
            SafeFiles.deleteRecursively(dir);
        }
    }

    @Test
    void latenciesGiveTheMeanAndTheNearestRankPercentile() {
        Latencies latencies = new Latencies();
        for (int i = 1; i <= 2000; i++) {
            latencies.add(i * 1000L);
        }
        assertThat(latencies.count()).isEqualTo(2000);
        assertThat(latencies.meanMicros()).isCloseTo(1000.5, within(1e-9));
        assertThat(latencies.percentileMicros(99)).isEqualTo(1980.0);
        assertThat(latencies.percentileMicros(100)).isEqualTo(2000.0);
        Latencies one = new Latencies();
        one.add(7000);
        assertThat(one.percentileMicros(99)).isEqualTo(7.0);
        assertThat(new Latencies().percentileMicros(99)).isZero();
        Latencies merged = new Latencies();
        merged.addAll(latencies);
        merged.addAll(one);
        assertThat(merged.count()).isEqualTo(2001);
    }
}
