package dev.vigil.feedback;

import dev.vigil.feedback.gate.GateOptions;
import dev.vigil.feedback.labels.MaturedNegatives;
import dev.vigil.feedback.update.ImportanceWeights;
import dev.vigil.feedback.update.RewardModel;
import dev.vigil.feedback.update.UpdateOptions;
import dev.vigil.model.ModelDirectory;
import dev.vigil.schemas.Topics;
import dev.vigil.schemas.cli.Setting;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Everything the feedback loop is told, validated here with the name of the bad key.
 *
 * @param gateTopic       where every verdict of the promotion gate goes, promoted or refused ({@code fraud.gate})
 * @param signingKey      Ed25519 private key that signs releases
 * @param signingPublicKey its public key (gives the key id; the pair is checked to match)
 * @param trustedKeys     public keys whose releases on the topic may be a parent (the signing key's included)
 * @param everyLabels     run a cycle after this many new labels ({@link #EVERY_LABELS})
 * @param every           or after this long with at least one new label ({@link #EVERY_SECONDS})
 * @param minTrain        fewest training labels an update needs ({@link #MIN_TRAIN})
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
        String scoresTopic, String labelsTopic, String adaptersTopic, String gateTopic,
        ModelDirectory model,
        PrivateKey signingKey, PublicKey signingPublicKey, List<PublicKey> trustedKeys,
        int everyLabels, Duration every, int minTrain,
        RewardModel reward, ImportanceWeights weights, UpdateOptions update, GateOptions gate,
        Duration decisionRetention, int decisionCapacity, Duration labelRetention, int labelCapacity,
        Duration pendingRetention, int pendingCapacity, MaturedNegatives maturedNegatives) {

    public static final Setting<Integer> EVERY_LABELS = Setting.atLeast("every-labels", 500, 1,
            "Run a cycle after N new labels.");
    public static final Setting<Long> EVERY_SECONDS = Setting.of("every-seconds", 60L,
            "Or after T seconds with at least one new label.").must("at least 1", v -> v != null && v >= 1);
    public static final Setting<Integer> MIN_TRAIN = Setting.atLeast("min-train", 50, 1,
            "Fewest training labels an update needs.");

    public FeedbackConfig {
        requireText(bootstrapServers, "feedback.bootstrap-servers");
        requireText(schemaRegistry, "feedback.schema-registry");
        requireText(scoresTopic, "feedback.topics.scores");
        requireText(labelsTopic, "feedback.topics.labels");
        requireText(adaptersTopic, "feedback.topics.adapters");
        requireText(gateTopic, "feedback.topics.gate");
        Objects.requireNonNull(model, "feedback.model");
        Objects.requireNonNull(signingKey, "feedback.signing-key");
        Objects.requireNonNull(signingPublicKey, "feedback.signing-public-key");
        trustedKeys = List.copyOf(trustedKeys);
        EVERY_LABELS.check(everyLabels);
        if (every == null || every.isNegative() || every.isZero()) {
            throw EVERY_SECONDS.invalid(every);
        }
        MIN_TRAIN.check(minTrain);
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
                Topics.GATE, model, signingKey, signingPublicKey, List.of(signingPublicKey), EVERY_LABELS.defaultValue(),
                Duration.ofSeconds(EVERY_SECONDS.defaultValue()), MIN_TRAIN.defaultValue(),
                RewardModel.defaults(), ImportanceWeights.defaults(), UpdateOptions.defaults(), GateOptions.defaults(),
                Duration.ofDays(45), 500_000, Duration.ofDays(30), 50_000, Duration.ofHours(1), 10_000,
                MaturedNegatives.defaults());
    }

    public FeedbackConfig withTopics(String scores, String labels, String adapters, String gateOutcomes) {
        return new FeedbackConfig(bootstrapServers, schemaRegistry, scores, labels, adapters, gateOutcomes, model,
                signingKey, signingPublicKey, trustedKeys, everyLabels, every, minTrain, reward, weights, update, gate,
                decisionRetention, decisionCapacity, labelRetention, labelCapacity, pendingRetention, pendingCapacity, maturedNegatives);
    }

    public FeedbackConfig withCadence(int labels, Duration interval) {
        return new FeedbackConfig(bootstrapServers, schemaRegistry, scoresTopic, labelsTopic, adaptersTopic,
                gateTopic, model, signingKey, signingPublicKey,
                trustedKeys, labels, interval, minTrain, reward, weights, update, gate,
                decisionRetention, decisionCapacity, labelRetention, labelCapacity, pendingRetention, pendingCapacity, maturedNegatives);
    }

    public FeedbackConfig withLearning(int newMinTrain, RewardModel newReward, ImportanceWeights newWeights,
            UpdateOptions newUpdate, GateOptions newGate) {
        return new FeedbackConfig(bootstrapServers, schemaRegistry, scoresTopic, labelsTopic, adaptersTopic,
                gateTopic, model, signingKey, signingPublicKey,
                trustedKeys, everyLabels, every, newMinTrain, newReward, newWeights,
                newUpdate, newGate, decisionRetention, decisionCapacity, labelRetention, labelCapacity,
                pendingRetention, pendingCapacity, maturedNegatives);
    }

    public FeedbackConfig withTrustedKeys(List<PublicKey> keys) {
        return new FeedbackConfig(bootstrapServers, schemaRegistry, scoresTopic, labelsTopic, adaptersTopic,
                gateTopic, model, signingKey, signingPublicKey,
                keys, everyLabels, every, minTrain, reward, weights, update, gate,
                decisionRetention, decisionCapacity, labelRetention, labelCapacity, pendingRetention, pendingCapacity, maturedNegatives);
    }

    public FeedbackConfig withMaturedNegatives(MaturedNegatives matured) {
        return new FeedbackConfig(bootstrapServers, schemaRegistry, scoresTopic, labelsTopic, adaptersTopic,
                gateTopic, model, signingKey, signingPublicKey,
                trustedKeys, everyLabels, every, minTrain, reward, weights, update, gate,
                decisionRetention, decisionCapacity, labelRetention, labelCapacity, pendingRetention, pendingCapacity,
                matured);
    }

    private static void requireText(String value, String key) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(key + " is not set");
        }
    }
}
