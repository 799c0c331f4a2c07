package io.strata.cli.bench;

import io.strata.runtime.StrataException;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Dimension;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;

/**
 * The results as a PNG: one panel per job (each with its own scale, as MiB/s and IOPS do not
 * share one), a bar per target in the same colour throughout, the figure above each bar.
 */
final class BarChart {
    static final int COLUMNS = 3;
    static final int WIDTH = 1200;
    static final int HEADER = 70;
    static final int PANEL_HEIGHT = 260;
    private static final Color[] PALETTE = {new Color(0x7f7f7f), new Color(0x9ecae1), new Color(0x3182bd), new Color(0x08519c),
        new Color(0xe6550d), new Color(0x31a354), new Color(0x756bb1)};

    private BarChart() {
    }

    /** The image's size for {@code panels} panels. */
    static Dimension size(int panels) {
        int rows = Math.max(1, (panels + COLUMNS - 1) / COLUMNS);
        return new Dimension(WIDTH, HEADER + rows * PANEL_HEIGHT);
    }

    static void write(Path file, String title, List<BenchReport.Row> rows, List<String> targets) {
        System.setProperty("java.awt.headless", "true");
        BufferedImage image = draw(title, rows, targets);
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            if (!ImageIO.write(image, "png", file.toFile())) {
                throw StrataException.unavailable("no PNG writer in this JDK");
            }
        } catch (IOException e) {
            throw StrataException.unavailable("cannot write the chart %s: %s", file, e.getMessage());
        }
    }

    static BufferedImage draw(String title, List<BenchReport.Row> rows, List<String> targets) {
        List<String> jobs = rows.stream().map(BenchReport.Row::job).distinct().toList();
        Dimension size = size(jobs.size());
        BufferedImage image = new BufferedImage(size.width, size.height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, size.width, size.height);
            g.setColor(Color.BLACK);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 18));
            g.drawString(title, 20, 28);
            legend(g, targets);
            int panelWidth = WIDTH / COLUMNS;
            for (int i = 0; i < jobs.size(); i++) {
                String job = jobs.get(i);
                List<BenchReport.Row> bars = new ArrayList<>();
                for (String target : targets) {
                    rows.stream().filter(r -> r.job().equals(job) && r.target().equals(target)).findFirst().ifPresent(bars::add);
                }
                panel(g, job, bars, targets, (i % COLUMNS) * panelWidth, HEADER + (i / COLUMNS) * PANEL_HEIGHT, panelWidth);
            }
        } finally {
            g.dispose();
        }
        return image;
    }

    private static void legend(Graphics2D g, List<String> targets) {
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        int x = 20;
        for (int i = 0; i < targets.size(); i++) {
            g.setColor(colour(i));
            g.fillRect(x, 44, 14, 14);
            g.setColor(Color.BLACK);
            g.drawString(targets.get(i), x + 20, 56);
            x += 40 + g.getFontMetrics().stringWidth(targets.get(i));
        }
    }

    private static void panel(Graphics2D g, String job, List<BenchReport.Row> bars, List<String> targets, int x, int y, int width) {
        int left = x + 20;
        int right = x + width - 20;
        int top = y + 40;
        int bottom = y + PANEL_HEIGHT - 40;
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
        g.drawString(job + " (" + BenchJobs.unit(job) + ")", left, y + 20);
        g.setStroke(new BasicStroke(1));
        g.drawLine(left, bottom, right, bottom);
        double max = bars.stream().mapToDouble(BarChart::value).max().orElse(0);
        double scale = max > 0 ? (bottom - top) / (max * 1.1) : 0;
        int slot = bars.isEmpty() ? 0 : (right - left) / bars.size();
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        FontMetrics metrics = g.getFontMetrics();
        for (int i = 0; i < bars.size(); i++) {
            BenchReport.Row bar = bars.get(i);
            int barWidth = Math.max(4, slot * 2 / 3);
            int barX = left + i * slot + (slot - barWidth) / 2;
            int barHeight = (int) Math.round(value(bar) * scale);
            g.setColor(colour(targets.indexOf(bar.target())));
            g.fillRect(barX, bottom - barHeight, barWidth, barHeight);
            g.setColor(Color.BLACK);
            String label = figure(value(bar));
            g.drawString(label, barX + (barWidth - metrics.stringWidth(label)) / 2, bottom - barHeight - 4);
            String name = bar.target();
            g.drawString(name, barX + (barWidth - metrics.stringWidth(name)) / 2, bottom + 16);
        }
    }

    private static double value(BenchReport.Row row) {
        return BenchJobs.headline(row.job(), row.mibPerSecond(), row.iops());
    }

    private static Color colour(int index) {
        return PALETTE[Math.floorMod(index, PALETTE.length)];
    }

    /** {@code 0.8}, {@code 512}, {@code 34.1k}. */
    static String figure(double value) {
        if (value >= 10_000) {
            return String.format(Locale.ROOT, "%.1fk", value / 1000);
        }
        return String.format(Locale.ROOT, value >= 100 ? "%.0f" : "%.1f", value);
    }
}
