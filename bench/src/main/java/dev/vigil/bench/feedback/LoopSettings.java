package dev.vigil.bench.feedback;

import dev.vigil.feedback.gate.GateOptions;
import dev.vigil.feedback.labels.MaturedNegatives;
import dev.vigil.feedback.update.RewardModel;
import dev.vigil.feedback.update.UpdateOptions;
import dev.vigil.schemas.cli.SettingGroup;
import dev.vigil.simulator.replay.CardholderReports;
import dev.vigil.streams.scoring.DecisionPolicy;
import java.util.List;

/**
 * The settings {@code bench feedback} exposes, with the same definitions as the commands that own them: the loop's
 * ({@code ./vigil feedback}), the scorer's exploration ({@code ./vigil streams}) and the replay's cardholder reports
 * ({@code ./vigil replay}).
 */
public final class LoopSettings extends SettingGroup {

    public LoopSettings() {
        super(List.of(MaturedNegatives.RATE, MaturedNegatives.LABEL_DELAY, RewardModel.REVIEW_COST,
                GateOptions.EVIDENCE, GateOptions.COMPLETE_HOLDOUT, UpdateOptions.PROXIMAL_LAMBDA,
                DecisionPolicy.EXPLORE_SHARE, CardholderReports.SHARE, CardholderReports.MEDIAN,
                CardholderReports.SIGMA));
    }
}
