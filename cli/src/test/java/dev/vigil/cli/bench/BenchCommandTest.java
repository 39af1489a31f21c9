package dev.vigil.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.cli.Vigil;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class BenchCommandTest {

    @TempDir
    Path dir;

    @Test
    void withoutATrainedModelItFailsSayingHowToTrainOneAndRunsNothing() throws Exception {
        Files.createDirectories(dir.resolve("models/empty"));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine vigil = Vigil.commandLine().setOut(new PrintWriter(out)).setErr(new PrintWriter(err));

        int exitCode = vigil.execute("bench", "--model", dir.resolve("models/empty").toString(), "--report",
                dir.resolve("report").toString());

        assertThat(exitCode).isEqualTo(1);
        assertThat(err.toString()).contains("holds no trained model (missing model.int8.onnx")
                .contains("./vigil simulate --days 60 --cards 5000 --merchants 1000 --seed 42")
                .contains("--train-from 2026-01-08 --train-to 2026-02-12")
                .contains("feedback-rl/README.md");
        assertThat(out.toString()).isEmpty();
        assertThat(dir.resolve("report")).doesNotExist();
    }

    @Test
    void theSubcommandsAreStillThere() {
        CommandLine bench = Vigil.commandLine().getSubcommands().get("bench");

        assertThat(bench.getSubcommands()).containsOnlyKeys("model", "pipeline", "feedback");
        assertThat(bench.getCommandSpec().findOption("--quick")).isNotNull();
    }
}
