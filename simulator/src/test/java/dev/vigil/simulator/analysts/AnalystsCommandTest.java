package dev.vigil.simulator.analysts;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.simulator.AnalystsCommand;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class AnalystsCommandTest {

    @TempDir
    Path dir;

    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return new CommandLine(new AnalystsCommand()).setOut(new PrintWriter(new StringWriter()))
                .setErr(new PrintWriter(err)).execute(args);
    }

    private Path csv() throws IOException {
        return Files.writeString(dir.resolve("t.csv"),
                "transaction_id,event_time,card_id,merchant_id,amount,label\nt1,2026-02-01T00:00:00Z,c1,m1,1.00,1\n");
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Test
    void refusesBadSettingsAsUsageErrorsAndAnUnreachableRegistryClearly() throws IOException {
        assertThat(run("--data", csv().toString(), "--k", "-1")).isEqualTo(2);
        assertThat(err.toString()).contains("--k must be at least 0, got -1");
        assertThat(run("--data", csv().toString(), "--analysts", "0")).isEqualTo(2);
        assertThat(err.toString()).contains("--analysts must be at least 1, got 0");
        assertThat(run("--data", csv().toString(), "--review-clock", "noon")).isEqualTo(2);
        assertThat(err.toString()).contains("day-close or alert-time");
        assertThat(run("--data", csv().toString(), "--schema-registry", "http://127.0.0.1:" + freePort())).isEqualTo(1);
        assertThat(err.toString()).contains("unreachable");
    }

    @Test
    void theCommandsDefaultsAreThePolicysDefaults() {
        StringWriter out = new StringWriter();
        new CommandLine(new AnalystsCommand()).setOut(new PrintWriter(out)).execute("--help");

        String help = out.toString().replaceAll("\\s+", " ");
        ReviewPolicy defaults = ReviewPolicy.defaults();
        assertThat(help).contains("Cards reviewed per event-time day (UTC). Default: " + defaults.cardsPerDay() + ".");
        assertThat(help).contains("Default: " + defaults.reviewDelay() + ".");
        assertThat(help).contains("Analysts in the team (labeled_by analyst-1..N). Default: " + defaults.analysts());
    }
}
