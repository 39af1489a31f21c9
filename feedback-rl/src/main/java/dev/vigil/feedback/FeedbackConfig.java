package dev.vigil.feedback;

import dev.vigil.feedback.gate.GateOptions;
import dev.vigil.feedback.labels.MaturedNegatives;
import dev.vigil.feedback.update.ImportanceWeights;
import dev.vigil.feedback.update.RewardModel;
import dev.vigil.feedback.update.UpdateOptions;
import dev.vigil.model.ModelDirectory;
import dev.vigil.schemas.Topics;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Everything the feedback loop is told, validated here with the name of the bad key.
 *
 * @param signingKey      Ed25519 private key that signs releases
 * @param signingPublicKey its public key (gives the key id; the pair is checked to match)
 * @param trustedKeys     public keys whose releases on the topic may be a parent (the signing key's included)
 * @param everyLabels     run a cycle after this many new labels (feedback.cadence.labels, default 500)
 * @param every           or after this long with at least one new label (feedback.cadence.seconds, default 60 s)
 * @param minTrain        fewest training labels an update needs (default 50)
 * @param decisionRetention how long (event time) a logged decision waits for its label (default 45 days: chargebacks
 *                        are late)
 * @param decisionCapacity  most decisions kept (default 500,000, about 0.9 GB of logged inputs at worst)
 * @param labelRetention  label-time span of the training window (default 30 days)
 * @param labelCapacity   most labels in the window (default 50,000)
 * @param pendingRetention how long (label time) a label of an unknown transaction waits for its score (default 1 h)
 * @param maturedNegatives which unlabeled decisions past their chargeback window become genuine examples (default:
 *                        a 10% sample, 7-day label delay)
 */
public record FeedbackConfig(
        String bootstrapServers, String schemaRegistry,
        String scoresTopic, String labelsTopic, String adaptersTopic,
        ModelDirectory model,
        PrivateKey signingKey, PublicKey signingPublicKey, List<PublicKey> trustedKeys,
        int everyLabels, Duration every, int minTrain,
        RewardModel reward, ImportanceWeights weights, UpdateOptions update, GateOptions gate,
        Duration decisionRetention, int decisionCapacity, Duration labelRetention, int labelCapacity,
        Duration pendingRetention, int pendingCapacity, MaturedNegatives maturedNegatives) {

    public FeedbackConfig {
        requireText(bootstrapServers, "feedback.bootstrap-servers");
        requireText(schemaRegistry, "feedback.schema-registry");
        requireText(scoresTopic, "feedback.topics.scores");
        requireText(labelsTopic, "feedback.topics.labels");
        requireText(adaptersTopic, "feedback.topics.adapters");
        Objects.requireNonNull(model, "feedback.model");
        Objects.requireNonNull(signingKey, "feedback.signing-key");
        Objects.requireNonNull(signingPublicKey, "feedback.signing-public-key");
        trustedKeys = List.copyOf(trustedKeys);
        if (everyLabels < 1) {
            throw new IllegalArgumentException("feedback.cadence.labels must be at least 1: " + everyLabels);
        }
        if (every == null || every.isNegative() || every.isZero()) {
            throw new IllegalArgumentException("feedback.cadence.seconds must be positive: " + every);
        }
        if (minTrain < 1) {
            throw new IllegalArgumentException("feedback.min-train must be at least 1: " + minTrain);
        }
        Objects.requireNonNull(reward, "feedback.reward");
        Objects.requireNonNull(weights, "feedback.weights");
        Objects.requireNonNull(update, "feedback.update");
        Objects.requireNonNull(gate, "feedback.gate");
        Objects.requireNonNull(maturedNegatives, "feedback.matured-negatives");
        if (decisionCapacity < 1 || labelCapacity < 1 || pendingCapacity < 1) {
            throw new IllegalArgumentException("feedback capacities must be at least 1");
        }
    }

    /** The defaults around the required parts. */
    public static FeedbackConfig defaults(String bootstrapServers, String schemaRegistry, ModelDirectory model,
            PrivateKey signingKey, PublicKey signingPublicKey) {
        return new FeedbackConfig(bootstrapServers, schemaRegistry, Topics.SCORES, Topics.LABELS, Topics.ADAPTERS,
                model, signingKey, signingPublicKey, List.of(signingPublicKey), 500, Duration.ofSeconds(60), 50,
                RewardModel.defaults(), ImportanceWeights.defaults(), UpdateOptions.defaults(), GateOptions.defaults(),
                Duration.ofDays(45), 500_000, Duration.ofDays(30), 50_000, Duration.ofHours(1), 10_000,
                MaturedNegatives.defaults());
    }

    public FeedbackConfig withTopics(String scores, String labels, String adapters) {
        return new FeedbackConfig(bootstrapServers, schemaRegistry, scores, labels, adapters, model, signingKey,
                signingPublicKey, trustedKeys, everyLabels, every, minTrain, reward, weights, update, gate,
                decisionRetention, decisionCapacity, labelRetention, labelCapacity, pendingRetention, pendingCapacity, maturedNegatives);
    }

    public FeedbackConfig withCadence(int labels, Duration interval) {
        return new FeedbackConfig(bootstrapServers, schemaRegistry, scoresTopic, labelsTopic, adaptersTopic, model,
                signingKey, signingPublicKey, trustedKeys, labels, interval, minTrain, reward, weights, update, gate,
                decisionRetention, decisionCapacity, labelRetention, labelCapacity, pendingRetention, pendingCapacity, maturedNegatives);
    }

    public FeedbackConfig withLearning(int newMinTrain, RewardModel newReward, ImportanceWeights newWeights,
            UpdateOptions newUpdate, GateOptions newGate) {
        return new FeedbackConfig(bootstrapServers, schemaRegistry, scoresTopic, labelsTopic, adaptersTopic, model,
                signingKey, signingPublicKey, trustedKeys, everyLabels, every, newMinTrain, newReward, newWeights,
                newUpdate, newGate, decisionRetention, decisionCapacity, labelRetention, labelCapacity,
                pendingRetention, pendingCapacity, maturedNegatives);
    }

    public FeedbackConfig withTrustedKeys(List<PublicKey> keys) {
        return new FeedbackConfig(bootstrapServers, schemaRegistry, scoresTopic, labelsTopic, adaptersTopic, model,
                signingKey, signingPublicKey, keys, everyLabels, every, minTrain, reward, weights, update, gate,
                decisionRetention, decisionCapacity, labelRetention, labelCapacity, pendingRetention, pendingCapacity, maturedNegatives);
    }

    public FeedbackConfig withMaturedNegatives(MaturedNegatives matured) {
        return new FeedbackConfig(bootstrapServers, schemaRegistry, scoresTopic, labelsTopic, adaptersTopic, model,
                signingKey, signingPublicKey, trustedKeys, everyLabels, every, minTrain, reward, weights, update, gate,
                decisionRetention, decisionCapacity, labelRetention, labelCapacity, pendingRetention, pendingCapacity,
                matured);
    }

    private static void requireText(String value, String key) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(key + " is not set");
        }
    }
}
