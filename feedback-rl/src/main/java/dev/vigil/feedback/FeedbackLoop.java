package dev.vigil.feedback;

import dev.vigil.feedback.decisions.ScoresReader;
import dev.vigil.feedback.decisions.TopicTail;
import dev.vigil.feedback.labels.JoinedLabels;
import dev.vigil.feedback.labels.LabelsReader;
import dev.vigil.feedback.releases.AdapterLineage;
import dev.vigil.feedback.releases.SigningKeyPair;
import dev.vigil.model.adapter.UnsignedRelease;
import dev.vigil.model.network.NetworkConfig;
import dev.vigil.model.network.NetworkWeights;
import dev.vigil.schemas.avro.AdapterRelease;
import dev.vigil.schemas.avro.FraudLabel;
import dev.vigil.schemas.avro.FraudScore;
import dev.vigil.schemas.avro.GateOutcome;
import dev.vigil.schemas.registry.SchemaRegistryClient;
import dev.vigil.schemas.serde.AvroSerde;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The feedback loop, top to bottom as the data flows:
 * <ol>
 *   <li>start: read {@code fraud.adapters} ({@link AdapterLineage}: the live adapter and the highest sequence),
 *       re-read {@code fraud.scores} into the decision log ({@link ScoresReader}, read_committed), then
 *       {@code fraud.labels} into the label window ({@link LabelsReader}); labels before the committed offsets of this
 *       loop's group (or before what the latest release records as consumed, whichever is later) are history, later
 *       ones are new;</li>
 *   <li>run: poll scores and labels, join labels to decisions ({@link JoinedLabels}: unknown transactions are counted
 *       and kept a while, never fatal);</li>
 *   <li>every {@code everyLabels} new labels, or every {@code every} with at least one: a {@link FeedbackCycle}
 *       (split, update, gate) that commits, in one Kafka transaction, the gate's verdict on {@code fraud.gate}, the
 *       signed release (if promoted) and the label offsets it consumed.</li>
 * </ol>
 * A restart therefore resumes from the committed offsets and never publishes the same update twice; a crash inside a
 * cycle aborts its transaction and the cycle is redone from the same labels. One instance per base model: the
 * transactional id {@code vigil-feedback-<base hash prefix>} fences an older one.
 */
public final class FeedbackLoop implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(FeedbackLoop.class);

    /** Counters of the loop, a consistent snapshot. */
    public record Stats(long decisionsRead, long decisionsUnreadable, long labelsRead, long labelsUnreadable,
            long labelsJoined, long labelsUnknown, long labelsLateJoined, long labelsExpired, long labelsRefused, long newLabels,
            int window, long cycles, long published, long refused, long skipped, String lastOutcome,
            String lastPublishedVersion) {}

    private final FeedbackConfig config;
    private final JoinedLabels joined;
    private final ScoresReader scores;
    private final LabelsReader labels;
    private final AdapterLineage releases;
    private final FeedbackCycle cycle;
    private final AtomicReference<Stats> stats = new AtomicReference<>();
    private volatile boolean running = true;
    private Instant lastCycle = Instant.now();

    public FeedbackLoop(FeedbackConfig config) throws IOException {
        this.config = config;
        String baseHash = config.model().baseModelHash();
        String modelId = baseHash.substring(0, Math.min(12, baseHash.length()));
        NetworkConfig network = config.model().networkConfig();
        NetworkWeights baseWeights = config.model().baseWeights();
        UnsignedRelease firstAdapter = UnsignedRelease.fromModelDirectory(config.model());
        SigningKeyPair signer = new SigningKeyPair(config.signingKey(), config.signingPublicKey());
        String groupId = "vigil-feedback-" + modelId;
        SchemaRegistryClient registry = new SchemaRegistryClient(config.schemaRegistry());
        AvroSerde<FraudScore> scoreSerde = new AvroSerde<>(FraudScore.class, registry, false);
        AvroSerde<FraudLabel> labelSerde = new AvroSerde<>(FraudLabel.class, registry, false);
        AvroSerde<AdapterRelease> releaseSerde = new AvroSerde<>(AdapterRelease.class, registry, true);
        this.joined = new JoinedLabels(config.decisionRetention(), config.decisionCapacity(),
                config.pendingRetention(), config.pendingCapacity(), config.labelRetention(), config.labelCapacity());
        this.scores = new ScoresReader(config.bootstrapServers(), config.scoresTopic(), config.decisionCapacity(),
                scoreSerde, joined::onDecision);
        this.labels = new LabelsReader(config.bootstrapServers(), config.labelsTopic(), groupId,
                config.labelCapacity(), labelSerde, joined);
        this.releases = new AdapterLineage(config.bootstrapServers(), config.adaptersTopic(), releaseSerde,
                config.gateTopic(), new AvroSerde<>(GateOutcome.class, registry, true), config.trustedKeys(), baseHash, firstAdapter, groupId, signer);
        this.cycle = new FeedbackCycle(config, modelId, network, baseWeights, firstAdapter.adapter(), joined, labels,
                releases);
        publishStats();
    }

    /** Runs until {@link #stop}; returns normally when stopped. */
    public void run() throws IOException {
        try {
            start();
            while (running) {
                scores.poll(Duration.ofMillis(50));
                labels.poll(TopicTail.POLL);
                publishStats();
                if (cycleDue()) {
                    lastCycle = Instant.now();
                    cycle.run();
                    publishStats();
                }
            }
        } finally {
            closeClients();
        }
    }

    public void stop() {
        running = false;
    }

    public Stats stats() {
        return stats.get();
    }

    // Scores are read before labels so that a label finds its decision; both are re-read at every start (only their
    // last decisionCapacity / labelCapacity records per partition: no more could be kept).
    private void start() throws IOException {
        cycle.start();
        releases.read();
        scores.start(() -> running);
        log.info("decision log rebuilt from {}: {} decisions ({} read)", config.scoresTopic(),
                joined.decisions().size(), scores.read());
        labels.start(releases.labelsThrough(), () -> running);
        log.info("label window rebuilt from {}: {} labeled decisions, {} labels new since the last cycle "
                + "(consumed up to {})", config.labelsTopic(), joined.window().size(), labels.newLabels(),
                labels.consumedFrom());
        releases.startPublishing();
        lastCycle = Instant.now();
        publishStats();
    }

    private boolean cycleDue() {
        if (labels.newLabels() >= config.everyLabels()) {
            return true;
        }
        return labels.newLabels() > 0 && Duration.between(lastCycle, Instant.now()).compareTo(config.every()) >= 0;
    }

    private void publishStats() {
        FeedbackCycle.Counts c = cycle.counts();
        stats.set(new Stats(scores.read(), scores.unreadable(), labels.read(), labels.unreadable(),
                joined.join().joined(), joined.join().unknown(), joined.join().lateJoined(), joined.join().expired(),
                joined.join().refused(), labels.newLabels(), joined.window().size(), c.cycles(), c.published(), c.refused(), c.skipped(),
                c.lastOutcome(), c.lastPublishedVersion()));
    }

    // in the reverse order of start, each client even if another fails
    private void closeClients() {
        for (AutoCloseable c : new AutoCloseable[] {releases, labels, scores, cycle}) {
            try {
                c.close();
            } catch (Exception e) {
                log.warn("closing {}: {}", c.getClass().getSimpleName(), e.toString());
            }
        }
    }

    @Override
    public void close() {
        stop();
    }
}
