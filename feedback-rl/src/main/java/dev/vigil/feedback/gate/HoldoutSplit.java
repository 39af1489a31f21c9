package dev.vigil.feedback.gate;

import dev.vigil.feedback.decisions.DecisionLog;
import dev.vigil.feedback.labels.LabelWindow;
import dev.vigil.feedback.labels.LabeledDecision;
import dev.vigil.feedback.labels.MaturedNegatives;
import dev.vigil.model.network.NetworkConfig;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * What one cycle learns from and is judged on: the label window's decisions of this base model (the model id the
 * inputs were encoded for, inputs of the network's size) and the matured negatives at the window's clock, cut by the
 * {@link PromotionGate} into training labels and the holdout; or why they are too few for an update and a verdict.
 */
public final class HoldoutSplit {

    private final String modelId;
    private final NetworkConfig network;
    private final MaturedNegatives maturedNegatives;
    private final Duration labelRetention;
    private final int minTrain;
    private final PromotionGate gate;

    /**
     * One cycle's cut.
     *
     * @param unusable     labels in the window not for this base model
     * @param matured      matured negatives taken in
     * @param insufficient why there are too few labels to train or to judge, or null
     */
    public record Cut(PromotionGate.Split split, int unusable, int matured, String insufficient) {}

    /**
     * @param labelRetention the label window's span: an older decision cannot be told unlabeled (its label may have
     *                       left the window), so it is never a matured negative
     * @param minTrain       fewest training labels an update needs
     */
    public HoldoutSplit(String modelId, NetworkConfig network, MaturedNegatives maturedNegatives,
            Duration labelRetention, int minTrain, PromotionGate gate) {
        this.modelId = modelId;
        this.network = network;
        this.maturedNegatives = maturedNegatives;
        this.labelRetention = labelRetention;
        this.minTrain = minTrain;
        this.gate = gate;
    }

    public Cut cut(LabelWindow window, DecisionLog decisions) {
        List<LabeledDecision> usable = new ArrayList<>();
        int unusable = 0;
        for (LabeledDecision l : window.snapshot()) {
            if (ofThisModel(l)) {
                usable.add(l);
            } else {
                unusable++;
            }
        }
        // the clock is the newest label: decisions whose chargeback window closed by then without a label are genuine
        Instant now = window.newest();
        List<LabeledDecision> matured = new ArrayList<>();
        for (LabeledDecision m : maturedNegatives.select(decisions.decisions(), window::contains, now,
                now.minus(labelRetention))) {
            if (ofThisModel(m)) {
                matured.add(m);
            }
        }
        PromotionGate.Split split = gate.split(usable, matured, now, maturedNegatives.labelDelay());
        String insufficient = split.train().size() < minTrain
                ? split.train().size() + " training labels, an update needs " + minTrain
                : gate.insufficient(split.holdout());
        return new Cut(split, unusable, matured.size(), insufficient);
    }

    private boolean ofThisModel(LabeledDecision labeled) {
        return modelId.equals(labeled.decision().modelVersion()) && labeled.decision().fits(network);
    }
}
