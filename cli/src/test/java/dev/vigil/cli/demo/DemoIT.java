package dev.vigil.cli.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.cli.Vigil;
import dev.vigil.cli.report.ReportWriter;
import dev.vigil.testkit.SeededModel;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code ./vigil demo} end to end on the real embedded stack, as small as it goes: 200 cards, two warm-up days and
 * two live days at 3 s each (the wave from the second), on a seeded untrained model (accuracy is not what this
 * proves), with plain output.
 */
class DemoIT {

    private static final Pattern DAY_ROW = Pattern.compile(
            "^\\| (\\d{4}-\\d{2}-\\d{2}) \\| (on|off) \\| ([0-9,]+) \\|", Pattern.MULTILINE);
    private static final Pattern PORT = Pattern.compile("127\\.0\\.0\\.1:(\\d+)");

    @TempDir
    Path dir;

    @Test
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    void aSmallDemoScoresItsLiveDaysWritesTheReportAndLeavesNothingRunning() throws Exception {
        Path model = SeededModel.write(dir.resolve("model"));
        Set<String> threadsBefore = nonDaemonThreads();
        StringWriter output = new StringWriter();
        CommandLine cli = Vigil.commandLine();
        cli.setOut(new PrintWriter(output, true));
        cli.setErr(new PrintWriter(output, true));

        long started = System.nanoTime();
        int exit = cli.execute("demo", "--days", "2", "--wave-day", "2", "--history-days", "10",
                "--warm-up-days", "2", "--cards", "200", "--merchants", "60", "--seconds-per-day", "3", "--plain",
                "--model", model.toString(), "--data-dir", dir.resolve("data").toString(),
                "--report", dir.resolve("report").toString(), "--keys", dir.resolve("keys").toString());
        String out = output.toString();
        System.out.println(out);
        System.out.printf("demo took %.1f s%n", (System.nanoTime() - started) / 1e9);

        assertThat(exit).as(out).isZero();
        assertThat(out).contains("using " + model).doesNotContain("training one");

        // the plain dashboard: one line per render, with the run's numbers
        List<String> dashboardLines = out.lines().filter(l -> l.contains(" tx/s p50 ") && l.contains(" | today "))
                .toList();
        assertThat(dashboardLines).as(out).isNotEmpty();
        assertThat(dashboardLines).anySatisfy(l -> assertThat(l).contains("day 2/2"));
        assertThat(out).doesNotContain("\u001b[");

        Path report = dir.resolve("report");
        for (String file : List.of(ReportWriter.MARKDOWN, ReportWriter.CARD_PRECISION_CHART,
                ReportWriter.LATENCY_CHART, ReportWriter.THROUGHPUT_CHART)) {
            assertThat(report.resolve(file)).isNotEmptyFile();
        }
        String markdown = Files.readString(report.resolve(ReportWriter.MARKDOWN));
        Matcher row = DAY_ROW.matcher(markdown);
        List<String> days = new ArrayList<>();
        while (row.find()) {
            days.add(row.group(1) + " " + row.group(2));
            assertThat(Long.parseLong(row.group(3).replace(",", ""))).as("scores of " + row.group(1)).isPositive();
        }
        assertThat(days).as(markdown).containsExactly("2026-01-11 off", "2026-01-12 on");
        assertThat(markdown).contains("`./vigil demo --days 2 ");

        // nothing left running: no new non-daemon thread, no child JVM, no listening port of the stack
        assertNoLingering(threadsBefore);
        assertThat(ProcessHandle.current().children().filter(ProcessHandle::isAlive).toList()).isEmpty();
        Matcher ports = PORT.matcher(out.lines().filter(l -> l.contains("up in")).findFirst().orElseThrow());
        int checked = 0;
        while (ports.find()) {
            assertThat(listening(Integer.parseInt(ports.group(1)))).as("port " + ports.group(1)).isFalse();
            checked++;
        }
        assertThat(checked).isEqualTo(3);
    }

    private static void assertNoLingering(Set<String> before) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        Set<String> extra;
        do {
            extra = nonDaemonThreads();
            extra.removeAll(before);
            if (extra.isEmpty()) {
                return;
            }
            Thread.sleep(200);
        } while (System.nanoTime() < deadline);
        assertThat(extra).as("non-daemon threads left running").isEmpty();
    }

    private static Set<String> nonDaemonThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && !t.isDaemon())
                .map(Thread::getName)
                .collect(Collectors.toSet());
    }

    private static boolean listening(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
