package dev.vigil.simulator.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.simulator.ReplayCommand;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ReplayCommandTest {

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(Object command, String... args) {
        return new CommandLine(command).setOut(new PrintWriter(out)).setErr(new PrintWriter(err)).execute(args);
    }

    private Path csv() throws IOException {
        return Files.writeString(dir.resolve("t.csv"),
                "transaction_id,event_time,card_id,merchant_id,amount\nt1,2026-02-01T00:00:00Z,c1,m1,1.00\n");
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Test
    void readsDurationsInShortAndIsoForms() {
        assertThat(ReplayCommand.parseDuration("7d")).isEqualTo(Duration.ofDays(7));
        assertThat(ReplayCommand.parseDuration("36h")).isEqualTo(Duration.ofHours(36));
        assertThat(ReplayCommand.parseDuration("30m")).isEqualTo(Duration.ofMinutes(30));
        assertThat(ReplayCommand.parseDuration("45s")).isEqualTo(Duration.ofSeconds(45));
        assertThat(ReplayCommand.parseDuration("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(ReplayCommand.parseDuration("0")).isEqualTo(Duration.ZERO);
        assertThat(ReplayCommand.parseDuration("PT1H")).isEqualTo(Duration.ofHours(1));
        assertThat(ReplayCommand.parseDuration("P7D")).isEqualTo(Duration.ofDays(7));
        assertThat(ReplayCommand.formatDuration(Duration.ofDays(7))).isEqualTo("7d");
        assertThat(ReplayCommand.formatDuration(Duration.ofMinutes(90))).isEqualTo("90m");
        assertThat(ReplayCommand.formatDuration(Duration.ofMillis(1500))).isEqualTo("1500ms");
        assertThatThrownBy(() -> ReplayCommand.parseDuration("7 weeks")).hasMessageContaining("'7 weeks'");
        assertThatThrownBy(() -> ReplayCommand.parseDuration("")).hasMessageContaining("not a duration");
    }

    @Test
    void rejectsABadWindowOrFileAsAUsageError() throws IOException {
        assertThat(run(new ReplayCommand(), "--data", csv().toString(), "--from", "2026-02-02", "--to", "2026-02-01"))
                .isEqualTo(2);
        assertThat(err.toString()).contains("window is empty");
        assertThat(run(new ReplayCommand(), "--data", dir.resolve("missing.csv").toString())).isEqualTo(2);
        assertThat(err.toString()).contains("missing.csv is not a readable file");
        assertThat(run(new ReplayCommand(), "--data", csv().toString(), "--rate", "-5")).isEqualTo(2);
        assertThat(err.toString()).contains("--rate must not be negative");
        assertThat(run(new ReplayCommand(), "--data", csv().toString(), "--label-delay", "-1h")).isEqualTo(2);
        assertThat(err.toString()).contains("--label-delay must be a duration >= 0");
        assertThat(run(new ReplayCommand(), "--data", csv().toString(), "--from", "soon")).isEqualTo(2);
        assertThat(err.toString()).contains("'soon'");
    }

    @Test
    void anUnreachableRegistryIsAClearErrorWithinSeconds() throws IOException {
        long start = System.nanoTime();
        int exit = run(new ReplayCommand(), "--data", csv().toString(),
                "--schema-registry", "http://127.0.0.1:" + freePort() + "/api/v1/confluent");
        assertThat(exit).isEqualTo(1);
        assertThat(err.toString()).contains("schema registry at http://127.0.0.1:").contains("unreachable");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
    }

    @Test
    void anUnreachableBrokerIsAClearErrorWithinSeconds() throws IOException {
        try (FakeSchemaRegistry registry = new FakeSchemaRegistry()) {
            long start = System.nanoTime();
            String bootstrap = "127.0.0.1:" + freePort();
            int exit = run(new ReplayCommand(), "--data", csv().toString(), "--schema-registry", registry.url(),
                    "--bootstrap-servers", bootstrap);
            assertThat(exit).isEqualTo(1);
            assertThat(err.toString()).contains("Kafka at " + bootstrap + " did not answer within 10 s");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(20));
        }
    }
}
