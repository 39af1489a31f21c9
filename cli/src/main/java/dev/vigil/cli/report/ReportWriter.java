package dev.vigil.cli.report;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/**
 * Writes a {@link RunReport} into a directory: {@value #MARKDOWN} and the three charts it links to. Existing files of
 * the same names are replaced; nothing else in the directory is touched. The same report gives the same files.
 */
public final class ReportWriter {

    public static final String MARKDOWN = "report.md";
    public static final String CARD_PRECISION_CHART = "cp-at-k.png";
    public static final String LATENCY_CHART = "latency.png";
    public static final String THROUGHPUT_CHART = "throughput.png";

    private ReportWriter() {
    }

    /** Creates {@code dir} if needed and writes the report into it; returns the Markdown file. */
    public static Path write(Path dir, RunReport report) throws IOException {
        Files.createDirectories(dir);
        png(RunCharts.cardPrecision(report), dir.resolve(CARD_PRECISION_CHART));
        png(RunCharts.latency(report), dir.resolve(LATENCY_CHART));
        png(RunCharts.throughput(report), dir.resolve(THROUGHPUT_CHART));
        Path markdown = dir.resolve(MARKDOWN);
        Files.writeString(markdown, ReportMarkdown.render(report), StandardCharsets.UTF_8);
        return markdown;
    }

    private static void png(BufferedImage image, Path file) throws IOException {
        if (!ImageIO.write(image, "png", file.toFile())) {
            throw new IOException("no PNG writer available for " + file);
        }
    }
}
