package dev.vigil.feedback;

import dev.vigil.feedback.gate.GateOptions;
import dev.vigil.feedback.labels.MaturedNegatives;
import dev.vigil.feedback.update.ImportanceWeights;
import dev.vigil.feedback.update.RewardModel;
import dev.vigil.feedback.update.UpdateOptions;
import dev.vigil.schemas.cli.Setting;
import dev.vigil.schemas.cli.SettingGroup;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code ./vigil feedback}'s settings: each defined once, beside the record that holds and checks its value
 * ({@link FeedbackConfig}, {@link RewardModel}, {@link ImportanceWeights}, {@link UpdateOptions}, {@link GateOptions},
 * {@link MaturedNegatives}); the command's options take their defaults and docs from here.
 */
public final class FeedbackSettings extends SettingGroup {

    public static final Setting<Path> SIGNING_KEY = Setting.of("signing-key", Path.of(".vigil/keys/adapters.key"),
            "Ed25519 private key (PKCS#8 PEM) that signs releases.");

    public FeedbackSettings() {
        super(List.of(SIGNING_KEY,
                FeedbackConfig.EVERY_LABELS, FeedbackConfig.EVERY_SECONDS, FeedbackConfig.MIN_TRAIN,
                RewardModel.FRAUD_VALUE, RewardModel.FRAUD_VALUE_PER_AMOUNT, RewardModel.REVIEW_COST,
                ImportanceWeights.PROPENSITY_FLOOR, ImportanceWeights.CHARGEBACK_COVERAGE,
                MaturedNegatives.RATE, MaturedNegatives.LABEL_DELAY,
                UpdateOptions.EPOCHS, UpdateOptions.BATCH_SIZE, UpdateOptions.LEARNING_RATE,
                UpdateOptions.PROXIMAL_LAMBDA, UpdateOptions.SEED,
                GateOptions.HOLDOUT_SHARE, GateOptions.MIN_HOLDOUT, GateOptions.MIN_HOLDOUT_FRAUDS, GateOptions.K,
                GateOptions.TOLERANCE, GateOptions.EVIDENCE, GateOptions.COMPLETE_HOLDOUT));
    }
}
