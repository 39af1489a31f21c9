package dev.vigil.bench.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.testkit.SeededModel;
import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;
import org.junit.jupiter.api.Test;

class ModelBenchLineTest {

    @Test
    void theLastLineHasTheAgreedFormat() {
        String line = ModelBenchCommand.lastLine(41.25, 68.5, 235_528, 622_664);

        assertThat(line).isEqualTo("model: int8 41.3 us/tx fp32 68.5 us/tx at batch 64 (speed-up 1.66); "
                + "size int8 0.236 MB fp32 0.623 MB");
        assertThat(line).matches("model: int8 [0-9.]+ us/tx fp32 [0-9.]+ us/tx at batch 64 \\(speed-up [0-9.]+\\); "
                + "size int8 [0-9.]+ MB fp32 [0-9.]+ MB");
    }

    @Test
    void theBenchEndsWithTheAgreedLineOnARealModelDirectory() {
        StringWriter out = new StringWriter();
        CommandLine bench = new CommandLine(new ModelBenchCommand());
        bench.setOut(new PrintWriter(out));

        int exit = bench.execute("--model", SeededModel.directory().toString(), "--reps", "1");

        String[] lines = out.toString().trim().split("\n");
        assertThat(exit).isZero();
        assertThat(lines[lines.length - 1]).matches("model: int8 [0-9.]+ us/tx fp32 [0-9.]+ us/tx at batch 64 "
                + "\\(speed-up [0-9.]+\\); size int8 [0-9.]+ MB fp32 [0-9.]+ MB");
    }
}
