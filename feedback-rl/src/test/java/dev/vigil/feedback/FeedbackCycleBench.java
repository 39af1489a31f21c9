package dev.vigil.feedback;

import dev.vigil.feedback.gate.GateOptions;
import dev.vigil.feedback.gate.PromotionGate;
import dev.vigil.feedback.labels.LabeledDecision;
import dev.vigil.feedback.update.ImportanceWeights;
import dev.vigil.feedback.update.PolicyUpdate;
import dev.vigil.feedback.update.RewardModel;
import dev.vigil.feedback.update.TrainingExamples;
import dev.vigil.feedback.update.UpdateOptions;
import dev.vigil.model.ModelDirectory;
import dev.vigil.model.adapter.Adapter;
import dev.vigil.model.network.NetworkWeights;
import dev.vigil.model.scoring.OnnxScorer;
import dev.vigil.model.scoring.ScorerOptions;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * Prints what one feedback cycle costs on a real model directory's shape (default /tmp/train/models/sim60):
 * the update (3 epochs, batch 64) and the gate's int8 scoring of the holdout, for a window of N labels. The labels
 * are synthetic (a planted signal), so the metrics printed say nothing about accuracy; the times are the point.
 * Run: java -cp target/test-classes:target/classes:CP dev.vigil.feedback.FeedbackCycleBench [MODEL_DIR] [N...]
 */
public final class FeedbackCycleBench {

    public static void main(String[] args) throws Exception {
        ModelDirectory model = new ModelDirectory(Path.of(args.length > 0 ? args[0] : "/tmp/train/models/sim60"));
        NetworkWeights base = model.baseWeights();
        Adapter live = model.adapter();
        String modelId = model.baseModelHash().substring(0, 12);
        int[] sizes = args.length > 1 ? java.util.Arrays.stream(args).skip(1).mapToInt(Integer::parseInt).toArray()
                : new int[] {500, 2000};
        PromotionGate gate = new PromotionGate(GateOptions.defaults());
        try (OnnxScorer scorer = OnnxScorer.load(model.int8(), ScorerOptions.cpu(1), live)) {
            for (int n : sizes) {
                // about n labels: reviewed decisions plus passed frauds
                List<LabeledDecision> window = SyntheticDecisions.labeled(SyntheticDecisions.generate(
                        base.config(), (int) (n / 0.44), 0.2, 1, modelId, Instant.parse("2026-01-01T00:00:00Z")));
                PromotionGate.Split split = gate.split(window);
                long t0 = System.nanoTime();
                TrainingExamples examples = TrainingExamples.of(split.train(), RewardModel.defaults(),
                        ImportanceWeights.defaults());
                PolicyUpdate.Result update = new PolicyUpdate(base, UpdateOptions.defaults().withProximalLambda(Double.parseDouble(System.getProperty("lambda", "1"))))
                        .run(live, split.train(), examples);
                long t1 = System.nanoTime();
                float[] liveScores = scorer.scoreWithLogits(PolicyUpdate.features(base.config(), split.holdout()),
                        live).probabilities();
                float[] candidateScores = scorer.scoreWithLogits(
                        PolicyUpdate.features(base.config(), split.holdout()), update.candidate()).probabilities();
                PromotionGate.Verdict verdict = gate.judge(split.holdout(), liveScores, candidateScores);
                long t2 = System.nanoTime();
                System.out.printf(Locale.ROOT, "labels %d (train %d, holdout %d): update %.2f s (%d steps, %.1f ms/step),"
                        + " gate scoring %.0f ms; drift %.3f (relative %.3f); %s%n", window.size(),
                        split.train().size(), split.holdout().size(), (t1 - t0) / 1e9, update.steps(),
                        (t1 - t0) / 1e6 / update.steps(), (t2 - t1) / 1e6, update.drift(), update.relativeDrift(),
                        verdict.reason());
            }
        }
    }
}
