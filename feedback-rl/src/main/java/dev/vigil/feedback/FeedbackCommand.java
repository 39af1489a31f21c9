package dev.vigil.feedback;

import dev.vigil.feedback.gate.GateOptions;
import dev.vigil.feedback.labels.MaturedNegatives;
import dev.vigil.feedback.update.ImportanceWeights;
import dev.vigil.feedback.update.RewardModel;
import dev.vigil.feedback.update.UpdateOptions;
import dev.vigil.model.ModelDirectory;
import dev.vigil.model.adapter.SigningKeys;
import dev.vigil.schemas.Topics;
import dev.vigil.schemas.cli.ConnectionOptions;
import dev.vigil.schemas.cli.GracefulStop;
import java.nio.file.Path;
import java.security.PublicKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code ./vigil feedback}: runs the feedback loop ({@link FeedbackLoop}) until interrupted. Options carry only
 * their names: defaults, docs and rules are the settings of {@link FeedbackSettings}.
 */
@Command(name = "feedback", mixinStandardHelpOptions = true, defaultValueProvider = FeedbackSettings.class,
        resourceBundle = "dev.vigil.feedback.FeedbackSettings",
        description = "Learn from analysts' labels and chargebacks: join them to the decisions on fraud.scores, "
                + "update the LoRA adapter (importance-weighted, cost-sensitive, proximal), gate it on a recent "
                + "holdout, and publish it signed on fraud.adapters. Runs until interrupted.")
public final class FeedbackCommand implements Callable<Integer> {

    @Mixin
    ConnectionOptions connection;

    @Option(names = "--model", paramLabel = "DIR", required = true,
            description = "Trained model directory (./vigil train); the one the scorer serves.")
    Path model;

    @Option(names = "--signing-key", paramLabel = "PEM")
    Path signingKey;

    @Option(names = "--signing-public-key", paramLabel = "PEM",
            description = "Its public key. Default: the signing key's file with .pub for .key.")
    Path signingPublicKey;

    @Option(names = "--trusted-key", paramLabel = "PEM",
            description = "Another public key whose releases may be a parent (e.g. a rollback signed elsewhere); "
                    + "repeatable.")
    List<Path> trustedKeys = new ArrayList<>();

    @Option(names = "--every-labels", paramLabel = "N")
    int everyLabels;

    @Option(names = "--every-seconds", paramLabel = "T")
    long everySeconds;

    @Option(names = "--min-train", paramLabel = "N")
    int minTrain;

    @Option(names = "--fraud-value")
    double fraudValue;

    @Option(names = "--fraud-value-per-amount")
    double fraudValuePerAmount;

    @Option(names = "--review-cost")
    double reviewCost;

    @Option(names = "--propensity-floor")
    double propensityFloor;

    @Option(names = "--chargeback-coverage")
    double chargebackCoverage;

    @Option(names = "--matured-negative-rate", paramLabel = "R")
    double maturedNegativeRate;

    @Option(names = "--label-delay", paramLabel = "DURATION")
    Duration labelDelay;

    @Option(names = "--epochs")
    int epochs;

    @Option(names = "--batch-size")
    int batchSize;

    @Option(names = "--learning-rate")
    float learningRate;

    @Option(names = "--proximal-lambda")
    double proximalLambda;

    @Option(names = "--seed")
    long seed;

    @Option(names = "--holdout-share")
    double holdoutShare;

    @Option(names = "--min-holdout")
    int minHoldout;

    @Option(names = "--min-holdout-frauds")
    int minHoldoutFrauds;

    @Option(names = "--k")
    int k;

    @Option(names = "--tolerance")
    double tolerance;

    @Option(names = "--evidence")
    double evidence;

    @Option(names = "--complete-holdout", paramLabel = "DURATION")
    Duration completeHoldout;

    @Option(names = "--scores-topic", defaultValue = Topics.SCORES, hidden = true)
    String scoresTopic;

    @Option(names = "--labels-topic", defaultValue = Topics.LABELS, hidden = true)
    String labelsTopic;

    @Option(names = "--adapters-topic", defaultValue = Topics.ADAPTERS, hidden = true)
    String adaptersTopic;

    @Option(names = "--gate-topic", defaultValue = Topics.GATE, hidden = true)
    String gateTopic;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        FeedbackConfig config;
        try {
            config = config();
        } catch (IllegalArgumentException e) {
            // a value that breaks its setting's rule: the message names the flag
            throw new ParameterException(spec.commandLine(), e.getMessage(), e);
        }
        FeedbackLoop loop = new FeedbackLoop(config);
        // on Ctrl-C the loop finishes its cycle and the totals are printed before the JVM exits
        try (GracefulStop stop = GracefulStop.install("feedback-shutdown", loop::stop, Duration.ofSeconds(15))) {
            System.out.printf("feedback: model %s, signing key %s, a cycle every %d labels or %d s%n",
                    config.model().root(), SigningKeys.keyId(config.signingPublicKey()), config.everyLabels(),
                    config.every().toSeconds());
            loop.run();
            FeedbackLoop.Stats s = loop.stats();
            System.out.printf("feedback: %d cycles, %d published, %d refused, %d skipped; labels %d read, %d joined, "
                    + "%d for unknown transactions, %d timed too far ahead of the stream%n", s.cycles(), s.published(),
                    s.refused(), s.skipped(), s.labelsRead(), s.labelsJoined(), s.labelsUnknown(), s.labelsRefused());
        }
        return 0;
    }

    FeedbackConfig config() throws java.io.IOException {
        // the settings first (each record checks its own), so a bad value is named before any file is read
        RewardModel reward = new RewardModel(fraudValue, fraudValuePerAmount, reviewCost);
        ImportanceWeights weights = new ImportanceWeights(propensityFloor, chargebackCoverage);
        UpdateOptions update = new UpdateOptions(epochs, batchSize, learningRate, proximalLambda, seed);
        GateOptions gate = new GateOptions(holdoutShare, minHoldout, minHoldoutFrauds, k, tolerance, tolerance,
                evidence, completeHoldout);
        MaturedNegatives matured = new MaturedNegatives(maturedNegativeRate, labelDelay);
        FeedbackConfig.EVERY_LABELS.check(everyLabels);
        FeedbackConfig.EVERY_SECONDS.check(everySeconds);
        FeedbackConfig.MIN_TRAIN.check(minTrain);

        ModelDirectory directory = new ModelDirectory(model).requireComplete();
        Path publicPath = signingPublicKey != null ? signingPublicKey : publicKeyBeside(signingKey);
        PublicKey publicKey = SigningKeys.readPublicKey(publicPath);
        List<PublicKey> trusted = new ArrayList<>();
        trusted.add(publicKey);
        for (Path path : trustedKeys) {
            trusted.add(SigningKeys.readPublicKey(path));
        }
        return FeedbackConfig.defaults(connection.bootstrapServers(), connection.schemaRegistry(), directory,
                        SigningKeys.readPrivateKey(signingKey), publicKey)
                .withTopics(scoresTopic, labelsTopic, adaptersTopic, gateTopic)
                .withTrustedKeys(trusted)
                .withCadence(everyLabels, Duration.ofSeconds(everySeconds))
                .withLearning(minTrain, reward, weights, update, gate)
                .withMaturedNegatives(matured);
    }

    /** adapters.key -> adapters.pub; any other name gets .pub appended. */
    public static Path publicKeyBeside(Path privateKey) {
        String name = privateKey.getFileName().toString();
        String pub = name.endsWith(".key") ? name.substring(0, name.length() - 4) + ".pub" : name + ".pub";
        return privateKey.resolveSibling(pub);
    }
}
