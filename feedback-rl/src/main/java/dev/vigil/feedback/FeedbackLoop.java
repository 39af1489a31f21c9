package dev.vigil.feedback;

import dev.vigil.schemas.BatchedFetch;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.feedback.decisions.DecisionLog;
import dev.vigil.feedback.decisions.LoggedDecision;
import dev.vigil.feedback.gate.PromotionGate;
import dev.vigil.feedback.labels.LabelJoin;
import dev.vigil.feedback.labels.LabelWindow;
import dev.vigil.feedback.labels.LabeledDecision;
import dev.vigil.feedback.releases.ReleaseLog;
import dev.vigil.feedback.releases.ReleasePublisher;
import dev.vigil.feedback.update.PolicyUpdate;
import dev.vigil.feedback.update.TrainingExamples;
import dev.vigil.model.adapter.Adapter;
import dev.vigil.model.adapter.ReleaseSigning;
import dev.vigil.model.adapter.SigningKeys;
import dev.vigil.model.adapter.UnsignedRelease;
import dev.vigil.model.network.NetworkConfig;
import dev.vigil.model.network.NetworkWeights;
import dev.vigil.model.scoring.OnnxScorer;
import dev.vigil.model.scoring.ScorerOptions;
import dev.vigil.schemas.avro.AdapterRelease;
import dev.vigil.schemas.avro.FraudLabel;
import dev.vigil.schemas.avro.FraudScore;
import dev.vigil.schemas.registry.SchemaRegistryClient;
import dev.vigil.schemas.serde.AvroSerde;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The feedback loop, top to bottom as the data flows:
 * <ol>
 *   <li>start: read {@code fraud.adapters} (the live adapter and the highest sequence), re-read {@code fraud.scores}
 *       into the {@link DecisionLog} (read_committed), then re-read {@code fraud.labels} into the {@link LabelWindow};
 *       labels before the committed offsets of this loop's group (or before what the latest release records as
 *       consumed, whichever is later) are history, later ones are new;</li>
 *   <li>run: poll scores and labels, join labels to decisions ({@link LabelJoin}: unknown transactions are counted
 *       and kept a while, never fatal);</li>
 *   <li>every {@code everyLabels} new labels, or every {@code every} with at least one: a cycle. Split the window by
 *       label time into training labels and the holdout, run the {@link PolicyUpdate} from the live adapter, score
 *       the holdout with the int8 graph under both adapters, let the {@link PromotionGate} judge, and commit, in one
 *       Kafka transaction, the signed release (if promoted) with the label offsets the cycle consumed.</li>
 * </ol>
 * A restart therefore resumes from the committed offsets and never publishes the same update twice; a crash inside a
 * cycle aborts its transaction and the cycle is redone from the same labels. One instance per base model: the
 * transactional id {@code vigil-feedback-<base hash prefix>} fences an older one.
 */
public final class FeedbackLoop implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(FeedbackLoop.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration POLL = Duration.ofMillis(200);
    private static final Duration CATCH_UP = Duration.ofMinutes(2);

    /** Counters of the loop, a consistent snapshot. */
    public record Stats(long decisionsRead, long decisionsUnreadable, long labelsRead, long labelsUnreadable,
            long labelsJoined, long labelsUnknown, long labelsLateJoined, long labelsExpired, long newLabels,
            int window, long cycles, long published, long refused, long skipped, String lastOutcome,
            String lastPublishedVersion) {}

    private final FeedbackConfig config;
    private final String baseHash;
    private final String modelId;
    private final NetworkConfig network;
    private final NetworkWeights baseWeights;
    private final UnsignedRelease firstAdapter;
    private final String keyId;
    private final String groupId;
    private final AvroSerde<FraudScore> scoreSerde;
    private final AvroSerde<FraudLabel> labelSerde;
    private final AvroSerde<AdapterRelease> releaseSerde;
    private final DecisionLog decisions;
    private final LabelJoin join;
    private final LabelWindow window;
    private final PromotionGate gate;
    private final AtomicReference<Stats> stats = new AtomicReference<>();
    private volatile boolean running = true;

    private KafkaConsumer<byte[], byte[]> scores;
    private KafkaConsumer<byte[], byte[]> labels;
    private ReleaseLog releases;
    private ReleasePublisher publisher;
    private OnnxScorer scorer;
    private final Map<TopicPartition, Long> consumedFrom = new HashMap<>();
    private long decisionsRead;
    private long decisionsUnreadable;
    private long labelsRead;
    private long labelsUnreadable;
    private long newLabels;
    private long cycles;
    private long published;
    private long refused;
    private long skipped;
    private String lastOutcome = "none yet";
    private String lastPublishedVersion;
    private Instant lastCycle = Instant.now();

    public FeedbackLoop(FeedbackConfig config) throws IOException {
        this.config = config;
        this.baseHash = config.model().baseModelHash();
        this.modelId = baseHash.substring(0, Math.min(12, baseHash.length()));
        this.network = config.model().networkConfig();
        this.baseWeights = config.model().baseWeights();
        this.firstAdapter = UnsignedRelease.fromModelDirectory(config.model());
        requireKeyPair(config);
        this.keyId = SigningKeys.keyId(config.signingPublicKey());
        this.groupId = "vigil-feedback-" + modelId;
        SchemaRegistryClient registry = new SchemaRegistryClient(config.schemaRegistry());
        this.scoreSerde = new AvroSerde<>(FraudScore.class, registry, false);
        this.labelSerde = new AvroSerde<>(FraudLabel.class, registry, false);
        this.releaseSerde = new AvroSerde<>(AdapterRelease.class, registry, true);
        this.decisions = new DecisionLog(config.decisionRetention(), config.decisionCapacity());
        this.join = new LabelJoin(decisions, config.pendingRetention(), config.pendingCapacity());
        this.window = new LabelWindow(config.labelRetention(), config.labelCapacity());
        this.gate = new PromotionGate(config.gate(), config.weights()::weight);
        publishStats();
    }

    /** Runs until {@link #stop}; returns normally when stopped. */
    public void run() throws IOException {
        try {
            start();
            while (running) {
                pollOnce();
                if (cycleDue()) {
                    cycle();
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

    // ---------------------------------------------------------------- start
    // Scores are read before labels so that a label finds its decision; both are re-read at every start (only their
    // last decisionCapacity / labelCapacity records per partition: no more could be kept).

    private void start() throws IOException {
        scorer = OnnxScorer.load(config.model().int8(), ScorerOptions.cpu(1), firstAdapter.adapter());
        releases = new ReleaseLog(config.bootstrapServers(), config.adaptersTopic(), releaseSerde,
                config.trustedKeys(), false).catchUp(CATCH_UP);

        scores = consumer(null);
        List<TopicPartition> scorePartitions = partitions(scores, config.scoresTopic());
        scores.assign(scorePartitions);
        Map<TopicPartition, Long> scoreEnd = seekToLast(scores, scorePartitions, config.decisionCapacity());
        while (running && !reached(scores, scoreEnd)) {
            pollScores(POLL);
        }
        log.info("decision log rebuilt from {}: {} decisions ({} read)", config.scoresTopic(), decisions.size(),
                decisionsRead);

        labels = consumer(groupId);
        List<TopicPartition> labelPartitions = partitions(labels, config.labelsTopic());
        labels.assign(labelPartitions);
        Map<TopicPartition, OffsetAndMetadata> committed = labels.committed(new java.util.HashSet<>(labelPartitions));
        Map<TopicPartition, Long> recorded = labelsThrough(releases.latestVerified(baseHash).orElse(null));
        for (TopicPartition tp : labelPartitions) {
            OffsetAndMetadata c = committed.get(tp);
            long from = Math.max(c == null ? 0 : c.offset(), recorded.getOrDefault(tp, 0L));
            consumedFrom.put(tp, from);
        }
        Map<TopicPartition, Long> labelEnd = seekToLast(labels, labelPartitions, config.labelCapacity());
        while (running && !reached(labels, labelEnd)) {
            pollLabels(POLL);
        }
        log.info("label window rebuilt from {}: {} labeled decisions, {} labels new since the last cycle "
                + "(consumed up to {})", config.labelsTopic(), window.size(), newLabels, consumedFrom);

        publisher = new ReleasePublisher(config.bootstrapServers(), config.adaptersTopic(), groupId, releaseSerde,
                config.signingKey(), keyId);
        lastCycle = Instant.now();
        publishStats();
    }

    /** The label offsets a release's provenance note records as consumed. */
    static Map<TopicPartition, Long> labelsThrough(ReleaseLog.Entry entry) {
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

    // ---------------------------------------------------------------- run

    private void pollOnce() {
        pollScores(Duration.ofMillis(50));
        pollLabels(POLL);
        publishStats();
    }

    private void pollScores(Duration timeout) {
        for (ConsumerRecord<byte[], byte[]> r : scores.poll(timeout)) {
            LoggedDecision decision;
            try {
                decision = LoggedDecision.from(scoreSerde.decode(r.topic(), r.value()));
            } catch (SerializationException | IllegalArgumentException | NullPointerException e) {
                decisionsUnreadable++;
                log.warn("unreadable score at {}-{}@{}: {}", r.topic(), r.partition(), r.offset(), e.getMessage());
                continue;
            }
            decisionsRead++;
            decisions.add(decision);
            join.onDecision(decision).forEach(window::add);
        }
    }

    private void pollLabels(Duration timeout) {
        for (ConsumerRecord<byte[], byte[]> r : labels.poll(timeout)) {
            FraudLabel label;
            try {
                label = labelSerde.decode(r.topic(), r.value());
            } catch (SerializationException e) {
                labelsUnreadable++;
                log.warn("unreadable label at {}-{}@{}: {}", r.topic(), r.partition(), r.offset(), e.getMessage());
                continue;
            }
            labelsRead++;
            TopicPartition tp = new TopicPartition(r.topic(), r.partition());
            if (r.offset() >= consumedFrom.getOrDefault(tp, 0L)) {
                newLabels++;
            }
            join.onLabel(label, r.partition(), r.offset()).ifPresent(window::add);
        }
    }

    private boolean cycleDue() {
        if (newLabels >= config.everyLabels()) {
            return true;
        }
        return newLabels > 0 && Duration.between(lastCycle, Instant.now()).compareTo(config.every()) >= 0;
    }

    // ---------------------------------------------------------------- one cycle

    private void cycle() {
        lastCycle = Instant.now();
        cycles++;
        long started = System.nanoTime();
        Map<TopicPartition, OffsetAndMetadata> offsets = new LinkedHashMap<>();
        for (TopicPartition tp : labels.assignment()) {
            offsets.put(tp, new OffsetAndMetadata(labels.position(tp)));
        }
        releases.catchUp(CATCH_UP);
        Parent parent = parent();

        List<LabeledDecision> usable = new ArrayList<>();
        int unusable = 0;
        for (LabeledDecision l : window.snapshot()) {
            if (modelId.equals(l.decision().modelVersion()) && l.decision().fits(network)) {
                usable.add(l);
            } else {
                unusable++;
            }
        }
        // the clock is the newest label: decisions whose chargeback window closed by then without a label are genuine
        Instant now = window.newest();
        List<LabeledDecision> matured = new ArrayList<>();
        for (LabeledDecision m : config.maturedNegatives().select(decisions.decisions(), window::contains, now,
                now.minus(config.labelRetention()))) {
            if (modelId.equals(m.decision().modelVersion()) && m.decision().fits(network)) {
                matured.add(m);
            }
        }
        PromotionGate.Split split = gate.split(usable, matured, now, config.maturedNegatives().labelDelay());
        String insufficient = split.train().size() < config.minTrain()
                ? split.train().size() + " training labels, an update needs " + config.minTrain()
                : gate.insufficient(split.holdout());
        if (insufficient != null) {
            skipped++;
            lastOutcome = "skipped: " + insufficient;
            log.info("feedback cycle {} skipped, waiting for more labels: {} ({} labels not for model {}, {} matured "
                    + "negatives)", cycles, insufficient, unusable, modelId, matured.size());
            newLabels = 0; // the labels stay in the window; they are committed with the next decided cycle
            publishStats();
            return;
        }

        TrainingExamples examples = TrainingExamples.of(split.train(), config.reward(), config.weights());
        PolicyUpdate.Result update;
        try {
            update = new PolicyUpdate(baseWeights, config.update()).run(parent.adapter(), split.train(), examples);
        } catch (IllegalStateException | IllegalArgumentException e) { // diverged: nothing to gate, nothing published
            skipped++;
            lastOutcome = "update failed: " + e.getMessage();
            log.warn("feedback cycle {}: the update failed ({}); no candidate this cycle, the labels stay for the next",
                    cycles, e.getMessage());
            newLabels = 0;
            publishStats();
            return;
        }
        float[] liveScores = scorer.scoreWithLogits(PolicyUpdate.features(network, split.holdout()),
                parent.adapter()).probabilities();
        float[] candidateScores = scorer.scoreWithLogits(PolicyUpdate.features(network, split.holdout()),
                update.candidate()).probabilities();
        PromotionGate.Verdict verdict = gate.judge(split.holdout(), liveScores, candidateScores);

        Map<String, Double> metrics = new LinkedHashMap<>(verdict.metrics());
        metrics.put("train_labels", (double) split.train().size());
        metrics.put("train_frauds", (double) split.train().stream().filter(LabeledDecision::fraud).count());
        metrics.put("train_matured_negatives", (double) split.train().stream().filter(LabeledDecision::matured)
                .count());
        metrics.put("holdout_matured_negatives", (double) split.holdout().stream().filter(LabeledDecision::matured)
                .count());
        metrics.put("loss_first_epoch", update.firstEpochLoss());
        metrics.put("loss_last_epoch", update.lastEpochLoss());
        metrics.put("drift_l2", update.drift());
        metrics.put("drift_relative", update.relativeDrift());
        metrics.put("proximal_lambda", config.update().proximalLambda());
        metrics.put("holdout_policy_value", TrainingExamples.policyValue(split.holdout(), toDouble(candidateScores),
                config.reward(), config.weights()));
        metrics.put("holdout_policy_value_live", TrainingExamples.policyValue(split.holdout(), toDouble(liveScores),
                config.reward(), config.weights()));
        metrics.values().removeIf(v -> v == null || !Double.isFinite(v));
        double seconds = (System.nanoTime() - started) / 1e9;

        AdapterRelease release = null;
        if (verdict.promoted()) {
            long sequence = Math.max(releases.maxSequence(baseHash).orElse(0L), parent.sequence()) + 1;
            release = new UnsignedRelease(update.candidate(), Long.toString(sequence), parent.version(), sequence,
                    baseHash, Instant.now(), metrics, provenance(offsets, split, update)).signWith(config.signingKey(),
                    keyId);
        }
        publisher.commit(release, offsets, new ConsumerGroupMetadata(groupId));
        for (Map.Entry<TopicPartition, OffsetAndMetadata> e : offsets.entrySet()) {
            consumedFrom.put(e.getKey(), e.getValue().offset());
        }
        newLabels = 0;
        if (release != null) {
            published++;
            lastPublishedVersion = release.getVersion();
            lastOutcome = "published " + release.getVersion() + " (parent " + parent.version() + "): " + verdict.reason();
            log.info("feedback cycle {}: published adapter {} (sequence {}, parent {}) in {} s: {}", cycles,
                    release.getVersion(), release.getSequence(), parent.version(),
                    String.format(java.util.Locale.ROOT, "%.1f", seconds), verdict.reason());
        } else {
            refused++;
            lastOutcome = "refused: " + verdict.reason();
            log.info("feedback cycle {}: candidate refused by the gate, live adapter {} stays: {}", cycles,
                    parent.version(), verdict.reason());
        }
        publishStats();
    }

    /** The adapter an update starts from: the latest trusted release on the topic, else the model's first. */
    private record Parent(String version, long sequence, Adapter adapter) {}

    private Parent parent() {
        return releases.latestVerified(baseHash)
                .map(e -> new Parent(e.release().getVersion(), e.release().getSequence(),
                        Adapter.fromRelease(e.release())))
                .orElse(new Parent(firstAdapter.version(), firstAdapter.sequence(), firstAdapter.adapter()));
    }

    private String provenance(Map<TopicPartition, OffsetAndMetadata> offsets, PromotionGate.Split split,
            PolicyUpdate.Result update) {
        ObjectNode note = JSON.createObjectNode();
        note.put("made_by", "feedback-rl");
        note.put("labels_topic", config.labelsTopic());
        ObjectNode through = note.putObject("labels_through");
        offsets.forEach((tp, o) -> through.put(Integer.toString(tp.partition()), o.offset()));
        note.put("train_from", split.train().get(0).labelTime().toString());
        note.put("holdout_from", split.holdout().get(0).labelTime().toString());
        note.put("holdout_to", split.holdout().get(split.holdout().size() - 1).labelTime().toString());
        note.put("seed", config.update().seed());
        note.put("epochs", config.update().epochs());
        note.put("learning_rate", config.update().learningRate());
        note.put("review_cost", config.reward().reviewCost());
        note.put("fraud_value", config.reward().fraudValue());
        note.put("fraud_value_per_amount", config.reward().fraudValuePerAmount());
        note.put("propensity_floor", config.weights().floor());
        note.put("chargeback_coverage", config.weights().chargebackCoverage());
        note.put("matured_negative_rate", config.maturedNegatives().rate());
        note.put("label_delay", config.maturedNegatives().labelDelay().toString());
        note.put("steps", update.steps());
        return note.toString();
    }

    // ---------------------------------------------------------------- plumbing

    private KafkaConsumer<byte[], byte[]> consumer(String group) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2000);
        if (group != null) {
            p.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        }
        BatchedFetch.apply(p);
        return new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    private static List<TopicPartition> partitions(KafkaConsumer<byte[], byte[]> consumer, String topic) {
        List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                .map(i -> new TopicPartition(topic, i.partition())).toList();
        if (partitions.isEmpty()) {
            throw new IllegalStateException("topic " + topic + " does not exist");
        }
        return partitions;
    }

    /**
     * Positions each partition at most {@code keep} records before its end: more could not survive the bound of what
     * they are read into, so a restart reads what it keeps, not the topic's whole retention. Returns the end offsets.
     */
    private static Map<TopicPartition, Long> seekToLast(KafkaConsumer<byte[], byte[]> consumer,
            List<TopicPartition> partitions, int keep) {
        Map<TopicPartition, Long> begin = consumer.beginningOffsets(partitions);
        Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
        for (TopicPartition tp : partitions) {
            consumer.seek(tp, Math.max(begin.getOrDefault(tp, 0L), end.getOrDefault(tp, 0L) - keep));
        }
        return end;
    }

    private static boolean reached(KafkaConsumer<byte[], byte[]> consumer, Map<TopicPartition, Long> end) {
        for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
            if (consumer.position(e.getKey()) < e.getValue()) {
                return false;
            }
        }
        return true;
    }

    private static double[] toDouble(float[] values) {
        double[] out = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = values[i];
        }
        return out;
    }

    private void publishStats() {
        stats.set(new Stats(decisionsRead, decisionsUnreadable, labelsRead, labelsUnreadable, join.joined(),
                join.unknown(), join.lateJoined(), join.expired(), newLabels, window.size(), cycles, published,
                refused, skipped, lastOutcome, lastPublishedVersion));
    }

    private static void requireKeyPair(FeedbackConfig config) {
        try {
            byte[] probe = "vigil-feedback key check".getBytes(StandardCharsets.UTF_8);
            Signature signer = Signature.getInstance(ReleaseSigning.ALGORITHM);
            signer.initSign(config.signingKey());
            signer.update(probe);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(ReleaseSigning.ALGORITHM);
            verifier.initVerify(config.signingPublicKey());
            verifier.update(probe);
            if (!verifier.verify(signature)) {
                throw new IllegalArgumentException("feedback.signing-key and feedback.signing-public-key are not "
                        + "one key pair");
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("feedback.signing-key is not a usable Ed25519 key: " + e.getMessage(),
                    e);
        }
    }

    private void closeClients() {
        for (AutoCloseable c : new AutoCloseable[] {publisher, releases, labels, scores, scorer}) {
            if (c != null) {
                try {
                    c.close();
                } catch (Exception e) {
                    log.warn("closing {}: {}", c.getClass().getSimpleName(), e.toString());
                }
            }
        }
        publisher = null;
        releases = null;
        labels = null;
        scores = null;
        scorer = null;
    }

    @Override
    public void close() {
        stop();
    }
}
