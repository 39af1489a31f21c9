package dev.vigil.feedback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.feedback.gate.GateOptions;
import dev.vigil.feedback.labels.MaturedNegatives;
import dev.vigil.feedback.update.ImportanceWeights;
import dev.vigil.feedback.update.RewardModel;
import dev.vigil.feedback.update.UpdateOptions;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class FeedbackSettingsTest {

    @Test
    void theCommandsDefaultsAreTheRecordsDefaults() {
        FeedbackCommand command = new FeedbackCommand();
        new CommandLine(command).parseArgs("--model", "m");

        assertThat(new GateOptions(command.holdoutShare, command.minHoldout, command.minHoldoutFrauds, command.k,
                command.tolerance, command.tolerance, command.evidence, command.completeHoldout))
                .isEqualTo(GateOptions.defaults());
        assertThat(new UpdateOptions(command.epochs, command.batchSize, command.learningRate, command.proximalLambda,
                command.seed)).isEqualTo(UpdateOptions.defaults());
        assertThat(new RewardModel(command.fraudValue, command.fraudValuePerAmount, command.reviewCost))
                .isEqualTo(RewardModel.defaults());
        assertThat(new ImportanceWeights(command.propensityFloor, command.chargebackCoverage))
                .isEqualTo(ImportanceWeights.defaults());
        assertThat(new MaturedNegatives(command.maturedNegativeRate, command.labelDelay))
                .isEqualTo(MaturedNegatives.defaults());
        assertThat(command.everyLabels).isEqualTo(500);
        assertThat(Duration.ofSeconds(command.everySeconds)).isEqualTo(Duration.ofMinutes(1));
        assertThat(command.labelDelay).isEqualTo(Duration.ofDays(7));
        assertThat(command.signingKey).isEqualTo(FeedbackSettings.SIGNING_KEY.defaultValue());
    }

    @Test
    void theHelpShowsEachSettingsDocAndDefault() {
        StringWriter out = new StringWriter();
        CommandLine line = new CommandLine(new FeedbackCommand());
        line.setOut(new PrintWriter(out));
        line.execute("--help");

        String help = out.toString().replaceAll("\\s+", " ");
        assertThat(help).contains("--min-holdout=<minHoldout> Fewest holdout labels a judgement needs; fewer and the "
                + "cycle waits. Default: 200.");
        assertThat(help).contains("--label-delay=DURATION How long after a payment its chargeback may still come");
        assertThat(help).contains("Default: P7D.");
        for (var setting : new FeedbackSettings().settings()) {
            assertThat(help).as(setting.flag()).contains(setting.flag());
        }
    }

    @Test
    void aBadValueNamesTheFlagAUserCanSet() {
        assertThatThrownBy(() -> GateOptions.defaults().withMinimums(0, 30))
                .hasMessage("--min-holdout must be at least 1, got 0");
        assertThatThrownBy(() -> new UpdateOptions(3, 64, -1f, 1, 7))
                .hasMessage("--learning-rate must be positive and finite, got -1.0");
        assertThatThrownBy(() -> new ImportanceWeights(0, 1))
                .hasMessage("--propensity-floor must be in (0, 1], got 0.0");
        assertThatThrownBy(() -> GateOptions.defaults().withEvidence(1))
                .hasMessage("--evidence must be in [0, 1), got 1.0");
    }

    @Test
    void theCommandLineReportsABadValueAsAUsageErrorNamingTheFlag() {
        StringWriter err = new StringWriter();
        CommandLine line = new CommandLine(new FeedbackCommand());
        line.setErr(new PrintWriter(err));

        int exit = line.execute("--model", "no-such-model", "--min-holdout", "0");

        assertThat(exit).isEqualTo(2);
        assertThat(err.toString()).contains("--min-holdout must be at least 1, got 0");
    }
}
