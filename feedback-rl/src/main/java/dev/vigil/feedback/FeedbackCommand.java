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
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code ./vigil feedback}: runs the feedback loop ({@link FeedbackLoop}) until interrupted.
 */
@Command(name = "feedback", mixinStandardHelpOptions = true,
        description = "Learn from analysts' labels and chargebacks: join them to the decisions on fraud.scores, "
                + "update the LoRA adapter (importance-weighted, cost-sensitive, proximal), gate it on a recent "
                + "holdout, and publish it signed on fraud.adapters. Runs until interrupted.")
public final class FeedbackCommand implements Callable<Integer> {

    @Mixin
    ConnectionOptions connection;

    @Option(names = "--model", paramLabel = "DIR", required = true,
            description = "Trained model directory (./vigil train); the one the scorer serves.")
    Path model;

    @Option(names = "--signing-key", paramLabel = "PEM", defaultValue = ".vigil/keys/adapters.key",
            description = "Ed25519 private key (PKCS#8 PEM) that signs releases. Default: ${DEFAULT-VALUE}.")
    Path signingKey;

    @Option(names = "--signing-public-key", paramLabel = "PEM",
            description = "Its public key. Default: the signing key's file with .pub for .key.")
    Path signingPublicKey;

    @Option(names = "--trusted-key", paramLabel = "PEM",
            description = "Another public key whose releases may be a parent (e.g. a rollback signed elsewhere); "
                    + "repeatable.")
    List<Path> trustedKeys = new ArrayList<>();

    @Option(names = "--every-labels", paramLabel = "N", defaultValue = "500",
            description = "Run a cycle after N new labels. Default: ${DEFAULT-VALUE}.")
    int everyLabels;

    @Option(names = "--every-seconds", paramLabel = "T", defaultValue = "60",
            description = "Or after T seconds with at least one new label. Default: ${DEFAULT-VALUE}.")
    long everySeconds;

    @Option(names = "--min-train", paramLabel = "N", defaultValue = "50",
            description = "Fewest training labels an update needs. Default: ${DEFAULT-VALUE}.")
    int minTrain;

    @Option(names = "--fraud-value", defaultValue = "1.0",
            description = "Reward of a fraud caught. Default: ${DEFAULT-VALUE}.")
    double fraudValue;

    @Option(names = "--fraud-value-per-amount", defaultValue = "0.0",
            description = "Plus this much per major unit of its amount. Default: ${DEFAULT-VALUE}.")
    double fraudValuePerAmount;

    @Option(names = "--review-cost", defaultValue = "0.1",
            description = "Cost of one analyst review. Default: ${DEFAULT-VALUE}.")
    double reviewCost;

    @Option(names = "--propensity-floor", defaultValue = "0.01",
            description = "Smallest review probability used in 1/p weights. Default: ${DEFAULT-VALUE}.")
    double propensityFloor;

    @Option(names = "--chargeback-coverage", defaultValue = "1.0",
            description = "Share of missed frauds that come back as chargebacks; their weight is 1/coverage. "
                    + "Default: ${DEFAULT-VALUE}.")
    double chargebackCoverage;

    @Option(names = "--matured-negative-rate", paramLabel = "R", defaultValue = "0.1",
            description = "Share of the unlabeled decisions past their chargeback window that train and gate as "
                    + "genuine (weight 1/R; sampled by transaction id). Default: ${DEFAULT-VALUE}.")
    double maturedNegativeRate;

    @Option(names = "--label-delay", paramLabel = "DURATION", defaultValue = "P7D",
            description = "How long after a payment its chargeback may still come (ISO-8601, e.g. P7D); after it, no "
                    + "label means genuine. Default: ${DEFAULT-VALUE}.")
    Duration labelDelay;

    @Option(names = "--epochs", defaultValue = "3", description = "Default: ${DEFAULT-VALUE}.")
    int epochs;

    @Option(names = "--batch-size", defaultValue = "64", description = "Default: ${DEFAULT-VALUE}.")
    int batchSize;

    @Option(names = "--learning-rate", defaultValue = "0.001", description = "Default: ${DEFAULT-VALUE}.")
    float learningRate;

    @Option(names = "--proximal-lambda", defaultValue = "1.0",
            description = "lambda of lambda*||theta - theta_live||^2. Default: ${DEFAULT-VALUE}.")
    double proximalLambda;

    @Option(names = "--seed", defaultValue = "7", description = "Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--holdout-share", defaultValue = "0.2",
            description = "Most recent share of labels (by label time) kept out to gate on. Default: ${DEFAULT-VALUE}.")
    double holdoutShare;

    @Option(names = "--min-holdout", defaultValue = "200",
            description = "Fewest holdout labels a judgement needs; fewer and the cycle waits. Default: ${DEFAULT-VALUE}.")
    int minHoldout;

    @Option(names = "--min-holdout-frauds", defaultValue = "30",
            description = "Fewest frauds in the holdout a judgement needs. Default: ${DEFAULT-VALUE}.")
    int minHoldoutFrauds;

    @Option(names = "--k", defaultValue = "20", description = "k of card precision@k. Default: ${DEFAULT-VALUE}.")
    int k;

    @Option(names = "--tolerance", defaultValue = "0.01",
            description = "How much worse than live (AP and CP@k) a candidate may be. Default: ${DEFAULT-VALUE}.")
    double tolerance;

    @Option(names = "--evidence", defaultValue = "0.9",
            description = "Share of paired bootstrap resamples of the holdout in which the candidate's AP must beat "
                    + "live's; 0: the tolerance alone decides. Default: ${DEFAULT-VALUE}.")
    double evidence;

    @Option(names = "--complete-holdout", paramLabel = "DURATION", defaultValue = "P2D",
            description = "Gate on this span of event time just before the chargeback window (every label in), "
                    + "falling back to the newest --holdout-share of labels while it cannot judge; PT0S: always the "
                    + "newest labels (ISO-8601). Default: ${DEFAULT-VALUE}.")
    Duration completeHoldout;

    @Option(names = "--scores-topic", defaultValue = Topics.SCORES, hidden = true)
    String scoresTopic;

    @Option(names = "--labels-topic", defaultValue = Topics.LABELS, hidden = true)
    String labelsTopic;

    @Option(names = "--adapters-topic", defaultValue = Topics.ADAPTERS, hidden = true)
    String adaptersTopic;

    @Override
    public Integer call() throws Exception {
        FeedbackConfig config = config();
        FeedbackLoop loop = new FeedbackLoop(config);
        // on Ctrl-C the loop finishes its cycle and the totals are printed before the JVM exits
        try (GracefulStop stop = GracefulStop.install("feedback-shutdown", loop::stop, Duration.ofSeconds(15))) {
            System.out.printf("feedback: model %s, signing key %s, a cycle every %d labels or %d s%n",
                    config.model().root(), SigningKeys.keyId(config.signingPublicKey()), config.everyLabels(),
                    config.every().toSeconds());
            loop.run();
            FeedbackLoop.Stats s = loop.stats();
            System.out.printf("feedback: %d cycles, %d published, %d refused, %d skipped; labels %d read, %d joined, "
                    + "%d for unknown transactions%n", s.cycles(), s.published(), s.refused(), s.skipped(),
                    s.labelsRead(), s.labelsJoined(), s.labelsUnknown());
        }
        return 0;
    }

    FeedbackConfig config() throws java.io.IOException {
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
                .withTopics(scoresTopic, labelsTopic, adaptersTopic)
                .withTrustedKeys(trusted)
                .withCadence(everyLabels, Duration.ofSeconds(everySeconds))
                .withLearning(minTrain, new RewardModel(fraudValue, fraudValuePerAmount, reviewCost),
                        new ImportanceWeights(propensityFloor, chargebackCoverage),
                        new UpdateOptions(epochs, batchSize, learningRate, proximalLambda, seed),
                        new GateOptions(holdoutShare, minHoldout, minHoldoutFrauds, k,
                                tolerance, tolerance, evidence, completeHoldout))
                .withMaturedNegatives(new MaturedNegatives(maturedNegativeRate, labelDelay));
    }

    /** adapters.key -> adapters.pub; any other name gets .pub appended. */
    static Path publicKeyBeside(Path privateKey) {
        String name = privateKey.getFileName().toString();
        String pub = name.endsWith(".key") ? name.substring(0, name.length() - 4) + ".pub" : name + ".pub";
        return privateKey.resolveSibling(pub);
    }
}
