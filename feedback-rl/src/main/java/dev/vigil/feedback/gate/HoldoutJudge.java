package dev.vigil.feedback.gate;

import dev.vigil.feedback.labels.LabeledDecision;
import dev.vigil.feedback.update.PolicyUpdate;
import dev.vigil.model.adapter.Adapter;
import dev.vigil.model.network.FeatureBatch;
import dev.vigil.model.network.NetworkConfig;
import dev.vigil.model.scoring.OnnxScorer;
import dev.vigil.model.scoring.ScorerOptions;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Scores the holdout as the scorer would, with the int8 serving graph on the logged model inputs, under the live
 * adapter and the candidate, and lets the {@link PromotionGate} judge: the candidate is measured by the graph that
 * would serve it, not by the training network.
 */
public final class HoldoutJudge implements AutoCloseable {

    private final Path graph;
    private final Adapter firstAdapter;
    private final NetworkConfig network;
    private final PromotionGate gate;
    private OnnxScorer scorer;

    /** A verdict with the scores it was made from (same order as the holdout). */
    public record Judgement(PromotionGate.Verdict verdict, float[] liveScores, float[] candidateScores) {}

    /**
     * @param graph        the model's int8 graph
     * @param firstAdapter the adapter the graph is loaded with (a judgement names both adapters it scores with)
     */
    public HoldoutJudge(Path graph, Adapter firstAdapter, NetworkConfig network, PromotionGate gate) {
        this.graph = graph;
        this.firstAdapter = firstAdapter;
        this.network = network;
        this.gate = gate;
    }

    /** Loads the graph. */
    public void start() throws IOException {
        scorer = OnnxScorer.load(graph, ScorerOptions.cpu(1), firstAdapter);
    }

    public Judgement judge(List<LabeledDecision> holdout, Adapter live, Adapter candidate) {
        FeatureBatch inputs = PolicyUpdate.features(network, holdout);
        float[] liveScores = scorer.scoreWithLogits(inputs, live).probabilities();
        float[] candidateScores = scorer.scoreWithLogits(inputs, candidate).probabilities();
        return new Judgement(gate.judge(holdout, liveScores, candidateScores), liveScores, candidateScores);
    }

    @Override
    public void close() {
        OnnxScorer open = scorer;
        scorer = null;
        if (open != null) {
            open.close();
        }
    }
}
