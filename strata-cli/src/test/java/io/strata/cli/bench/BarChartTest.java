package io.strata.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.runtime.SafeFiles;
import java.awt.Dimension;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/** The chart: a PNG with a panel per job, three to a row. */
class BarChartTest {
    @Test
    void writesAPngOfThreePanelsToARow() throws IOException {
        List<String> targets = List.of("raw", "fuse", "strata", "strata3", "glusterfs");
        List<Measurement> measurements = new ArrayList<>();
        List<String> jobs = BenchJobs.rows(BenchJobs.selectable());
        for (String job : jobs) {
            for (int t = 0; t < targets.size(); t++) {
                boolean meta = job.startsWith("meta-");
                measurements.add(new Measurement(targets.get(t), job, meta ? null : 100.0 * (t + 1), 1000.0 * (t + 1), 100, 1000));
            }
        }
        List<BenchReport.Row> rows = BenchReport.rows(measurements, jobs, targets, "glusterfs");
        Path dir = Files.createTempDirectory("strata-bench-chart");
        try {
            Path png = dir.resolve("out").resolve("chart.png");
            BarChart.write(png, "strata bench test", rows, targets);
            byte[] bytes = Files.readAllBytes(png);
            assertThat(Arrays.copyOf(bytes, 8)).containsExactly(0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n');
            BufferedImage image = ImageIO.read(png.toFile());
            assertThat(jobs).hasSize(9);
            assertThat(BarChart.size(9)).isEqualTo(new Dimension(BarChart.WIDTH, BarChart.HEADER + 3 * BarChart.PANEL_HEIGHT));
            assertThat(image.getWidth()).isEqualTo(1200);
            assertThat(image.getHeight()).isEqualTo(70 + 3 * 260);
            // the tallest bar of the first panel (glusterfs, the fifth target) is drawn in its colour
            assertThat(countColour(image, 0, 400, 0xe6550d)).isGreaterThan(100);
        } finally {
            SafeFiles.deleteRecursively(dir);
        }
    }

    @Test
    void aSinglePanelStillMakesOneRow() {
        assertThat(BarChart.size(1)).isEqualTo(new Dimension(1200, 70 + 260));
        assertThat(BarChart.size(4)).isEqualTo(new Dimension(1200, 70 + 2 * 260));
    }

    private static int countColour(BufferedImage image, int fromX, int toX, int rgb) {
        int count = 0;
        for (int x = fromX; x < toX; x++) {
            for (int y = BarChart.HEADER; y < BarChart.HEADER + BarChart.PANEL_HEIGHT; y++) {
                if ((image.getRGB(x, y) & 0xffffff) == rgb) {
                    count++;
                }
            }
        }
        return count;
    }
}
