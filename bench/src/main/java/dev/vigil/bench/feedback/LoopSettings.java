package dev.vigil.bench.feedback;

import dev.vigil.feedback.gate.GateOptions;
import dev.vigil.feedback.labels.MaturedNegatives;
import dev.vigil.feedback.update.RewardModel;
import dev.vigil.feedback.update.UpdateOptions;
import dev.vigil.schemas.cli.SettingGroup;
import java.util.List;

/** The loop's settings that {@code bench feedback} exposes: the same definitions as {@code ./vigil feedback}'s. */
public final class LoopSettings extends SettingGroup {

    public LoopSettings() {
        super(List.of(MaturedNegatives.RATE, MaturedNegatives.LABEL_DELAY, RewardModel.REVIEW_COST,
                GateOptions.EVIDENCE, GateOptions.COMPLETE_HOLDOUT, UpdateOptions.PROXIMAL_LAMBDA));
    }
}
