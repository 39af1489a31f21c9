package dev.vigil.feedback.releases;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.feedback.gate.PromotionGate;
import dev.vigil.feedback.labels.LabeledDecision;
import dev.vigil.feedback.labels.MaturedNegatives;
import dev.vigil.feedback.update.ImportanceWeights;
import dev.vigil.feedback.update.PolicyUpdate;
import dev.vigil.feedback.update.RewardModel;
import dev.vigil.feedback.update.TrainingExamples;
import dev.vigil.feedback.update.UpdateOptions;
import java.io.IOException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * What a release the loop publishes says about how it was made, so that any number on it can be traced: its metrics
 * (the gate's, the training data's, the update's) and its note, JSON with the label offsets it consumed, the label
 * time span of training and holdout, and the seed and every reward and weight setting. A restart reads the offsets
 * back ({@link #labelsThrough}), so labels a release learned from are never learned again.
 */
public final class Provenance {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String labelsTopic;
    private final UpdateOptions update;
    private final RewardModel reward;
    private final ImportanceWeights weights;
    private final MaturedNegatives maturedNegatives;

    public Provenance(String labelsTopic, UpdateOptions update, RewardModel reward, ImportanceWeights weights,
            MaturedNegatives maturedNegatives) {
        this.labelsTopic = labelsTopic;
        this.update = update;
        this.reward = reward;
        this.weights = weights;
        this.maturedNegatives = maturedNegatives;
    }

    /** The metrics a release carries; non-finite ones are left out. */
    public Map<String, Double> metrics(PromotionGate.Verdict verdict, PromotionGate.Split split,
            PolicyUpdate.Result result, float[] liveScores, float[] candidateScores) {
        Map<String, Double> metrics = new LinkedHashMap<>(verdict.metrics());
        metrics.put("train_labels", (double) split.train().size());
        metrics.put("train_frauds", (double) split.train().stream().filter(LabeledDecision::fraud).count());
        metrics.put("train_matured_negatives", (double) split.train().stream().filter(LabeledDecision::matured)
                .count());
        metrics.put("holdout_matured_negatives", (double) split.holdout().stream().filter(LabeledDecision::matured)
                .count());
        metrics.put("loss_first_epoch", result.firstEpochLoss());
        metrics.put("loss_last_epoch", result.lastEpochLoss());
        metrics.put("drift_l2", result.drift());
        metrics.put("drift_relative", result.relativeDrift());
        metrics.put("proximal_lambda", update.proximalLambda());
        metrics.put("holdout_policy_value", TrainingExamples.policyValue(split.holdout(), toDouble(candidateScores),
                reward, weights));
        metrics.put("holdout_policy_value_live", TrainingExamples.policyValue(split.holdout(), toDouble(liveScores),
                reward, weights));
        metrics.values().removeIf(v -> v == null || !Double.isFinite(v));
        return metrics;
    }

    /** The note: JSON provenance of an update made from {@code split} with the labels up to {@code offsets}. */
    public String note(Map<TopicPartition, OffsetAndMetadata> offsets, PromotionGate.Split split,
            PolicyUpdate.Result result) {
        ObjectNode note = JSON.createObjectNode();
        note.put("made_by", "feedback-rl");
        note.put("labels_topic", labelsTopic);
        ObjectNode through = note.putObject("labels_through");
        offsets.forEach((tp, o) -> through.put(Integer.toString(tp.partition()), o.offset()));
        note.put("train_from", split.train().get(0).labelTime().toString());
        note.put("holdout_from", split.holdout().get(0).labelTime().toString());
        note.put("holdout_to", split.holdout().get(split.holdout().size() - 1).labelTime().toString());
        note.put("seed", update.seed());
        note.put("epochs", update.epochs());
        note.put("learning_rate", update.learningRate());
        note.put("review_cost", reward.reviewCost());
        note.put("fraud_value", reward.fraudValue());
        note.put("fraud_value_per_amount", reward.fraudValuePerAmount());
        note.put("propensity_floor", weights.floor());
        note.put("chargeback_coverage", weights.chargebackCoverage());
        note.put("matured_negative_rate", maturedNegatives.rate());
        note.put("label_delay", maturedNegatives.labelDelay().toString());
        note.put("steps", result.steps());
        return note.toString();
    }

    /** The label offsets a release's note records as consumed (empty for none, or a release without provenance). */
    public static Map<TopicPartition, Long> labelsThrough(ReleaseLog.Entry entry) {
        Map<TopicPartition, Long> through = new HashMap<>();
        if (entry == null || entry.release().getNote() == null) {
            return through;
        }
        try {
            JsonNode note = JSON.readTree(entry.release().getNote());
            String topic = note.path("labels_topic").asText(null);
            note.path("labels_through").properties().forEach(p -> through.put(
                    new TopicPartition(topic, Integer.parseInt(p.getKey())), p.getValue().asLong()));
        } catch (IOException | RuntimeException e) {
            // a release by another tool (a rollback, the trainer) carries no provenance: nothing recorded
        }
        return through;
    }

    private static double[] toDouble(float[] values) {
        double[] out = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = values[i];
        }
        return out;
    }
}
