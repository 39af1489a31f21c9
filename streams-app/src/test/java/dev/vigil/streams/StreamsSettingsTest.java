package dev.vigil.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.schemas.cli.Setting;
import dev.vigil.streams.scoring.ContextRetriever;
import dev.vigil.streams.scoring.DecisionPolicy;
import dev.vigil.streams.scoring.TransactionValidator;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class StreamsSettingsTest {

    private static ScoringApp.Config parsed(String... args) throws java.io.IOException {
        StreamsCommand command = new StreamsCommand();
        new CommandLine(command).parseArgs(args);
        return command.config();
    }

    @Test
    void theCommandsDefaultsAreTheConfigsDefaults() throws Exception {
        ScoringApp.Config fromCommand = parsed("--model", "m");
        ScoringApp.Config defaults = ScoringApp.Config.defaults(fromCommand.bootstrapServers(),
                fromCommand.registryUrl(), fromCommand.openSearchUrl(), Path.of("m"), fromCommand.stateDir());

        assertThat(fromCommand.maxBatch()).isEqualTo(defaults.maxBatch()).isEqualTo(64);
        assertThat(fromCommand.linger()).isEqualTo(defaults.linger());
        assertThat(fromCommand.commitInterval()).isEqualTo(defaults.commitInterval());
        assertThat(fromCommand.applicationId()).isEqualTo(defaults.applicationId());
        assertThat(fromCommand.caseIndex()).isEqualTo(defaults.caseIndex());
        assertThat(fromCommand.graph()).isEqualTo(defaults.graph());
        assertThat(fromCommand.scorer()).isEqualTo(defaults.scorer());
        assertThat(fromCommand.stateDir()).isEqualTo(StreamsSettings.STATE_DIR.defaultValue());
        assertThat(fromCommand.context()).isEqualTo(ContextRetriever.Options.defaults());
        assertThat(fromCommand.scoring().policy()).isEqualTo(DecisionPolicy.defaults());
        assertThat(fromCommand.limits()).isEqualTo(TransactionValidator.Limits.defaults());
    }

    @Test
    void theHelpShowsEachSettingsDocAndDefault() {
        StringWriter out = new StringWriter();
        CommandLine line = new CommandLine(new StreamsCommand());
        line.setOut(new PrintWriter(out));
        line.execute("--help");

        String help = out.toString().replaceAll("\\s+", " ");
        assertThat(help).contains("Most transactions per inference call. Default: 64.");
        assertThat(help).contains("Default: 2000-01-01T00:00:00Z.");
        for (Setting<?> setting : new StreamsSettings().settings()) {
            assertThat(help).as(setting.flag()).contains(setting.flag()).contains(setting.doc().substring(0, Math.min(16, setting.doc().length())));
        }
    }

    @Test
    void aBadValueNamesTheFlagAUserCanSet() {
        assertThatThrownBy(() -> parsed("--model", "m", "--alert-threshold", "1.5"))
                .hasMessage("--alert-threshold must be in (0, 1], got 1.5");
        assertThatThrownBy(() -> parsed("--model", "m", "--explore-share", "1"))
                .hasMessage("--explore-share must be in [0, 1), got 1.0");
        assertThatThrownBy(() -> parsed("--model", "m", "--review-budget", "-1"))
                .hasMessage("--review-budget must be at least 0, got -1");
        assertThatThrownBy(() -> parsed("--model", "m", "--context-retention-days", "30"))
                .hasMessage("--context-retention-days must be at least 31, got 30");
        assertThatThrownBy(() -> parsed("--model", "m", "--batch", "0"))
                .hasMessage("--batch must be at least 1, got 0");
        assertThatThrownBy(() -> new ContextRetriever.Options(Duration.ZERO, Duration.ofDays(40)))
                .hasMessage("--context-max-age-ms must be at least 1, got 0");
    }

    @Test
    void theCommandLineReportsABadValueAsAUsageError() {
        StringWriter err = new StringWriter();
        CommandLine line = new CommandLine(new StreamsCommand());
        line.setErr(new PrintWriter(err));

        int exit = line.execute("--model", "m", "--explore-share", "2");

        assertThat(exit).isEqualTo(2);
        assertThat(err.toString()).contains("--explore-share must be in [0, 1), got 2.0");
    }
}
