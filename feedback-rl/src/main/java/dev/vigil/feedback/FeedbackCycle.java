package dev.vigil.feedback;

import dev.vigil.feedback.gate.HoldoutJudge;
import dev.vigil.feedback.gate.HoldoutSplit;
import dev.vigil.feedback.gate.PromotionGate;
import dev.vigil.feedback.labels.JoinedLabels;
import dev.vigil.feedback.labels.LabelsReader;
import dev.vigil.feedback.releases.AdapterLineage;
import dev.vigil.feedback.releases.Provenance;
import dev.vigil.feedback.update.PolicyUpdate;
import dev.vigil.feedback.update.TrainingExamples;
import dev.vigil.model.adapter.Adapter;
import dev.vigil.model.network.NetworkConfig;
import dev.vigil.model.network.NetworkWeights;
import dev.vigil.schemas.avro.AdapterRelease;
import dev.vigil.schemas.avro.GateOutcome;
import java.io.IOException;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One cycle of the {@link FeedbackLoop}, in order: fix the label offsets it consumes, catch up on the live adapter,
 * cut the window into training labels and the holdout ({@link HoldoutSplit}), run the {@link PolicyUpdate} from the
 * live adapter, judge the candidate on the holdout ({@link HoldoutJudge}) and commit, in one transaction, the verdict
 * on the gate topic (promoted or refused, with its numbers), the signed release if promoted and the offsets
 * ({@link AdapterLineage}). A cycle that decides nothing (too few labels, a failed
 * update) commits nothing: its labels stay in the window and are committed with the next verdict.
 */
final class FeedbackCycle implements AutoCloseable {

    // a cycle's outcome is the loop's: its lines stay under FeedbackLoop, where operators and log filters look
    private static final Logger log = LoggerFactory.getLogger(FeedbackLoop.class);
    /** The {@code outcome} of a {@link GateOutcome}. */
    static final String PROMOTED = "promoted";
    static final String REFUSED = "refused";

    private final FeedbackConfig config;
    private final String modelId;
    private final JoinedLabels joined;
    private final LabelsReader labels;
    private final AdapterLineage releases;
    private final HoldoutSplit split;
    private final PolicyUpdate update;
    private final HoldoutJudge judge;
    private final Provenance provenance;
    private long cycles;
    private long published;
    private long refused;
    private long skipped;
    private String lastOutcome = "none yet";
    private String lastPublishedVersion;

    /** What the cycles so far came to. */
    record Counts(long cycles, long published, long refused, long skipped, String lastOutcome,
            String lastPublishedVersion) {}

    FeedbackCycle(FeedbackConfig config, String modelId, NetworkConfig network, NetworkWeights baseWeights,
            Adapter firstAdapter, JoinedLabels joined, LabelsReader labels, AdapterLineage releases) {
        this.config = config;
        this.modelId = modelId;
        this.joined = joined;
        this.labels = labels;
        this.releases = releases;
        PromotionGate gate = new PromotionGate(config.gate(), config.weights()::weight);
        this.split = new HoldoutSplit(modelId, network, config.maturedNegatives(), config.labelRetention(),
                config.minTrain(), gate);
        this.update = new PolicyUpdate(baseWeights, config.update());
        this.judge = new HoldoutJudge(config.model().int8(), firstAdapter, network, gate);
        this.provenance = new Provenance(config.labelsTopic(), config.update(), config.reward(), config.weights(),
                config.maturedNegatives());
    }

    /** Loads the serving graph the holdout is scored with. */
    void start() throws IOException {
        judge.start();
    }

    void run() {
        cycles++;
        long started = System.nanoTime();
        Map<TopicPartition, OffsetAndMetadata> offsets = labels.positions();
        releases.catchUp();
        AdapterLineage.Parent parent = releases.parent();
        HoldoutSplit.Cut cut = split.cut(joined.window(), joined.decisions());
        if (cut.insufficient() != null) {
            log.info("feedback cycle {} skipped, waiting for more labels: {} ({} labels not for model {}, {} matured "
                    + "negatives)", cycles, cut.insufficient(), cut.unusable(), modelId, cut.matured());
            skip("skipped: " + cut.insufficient());
            return;
        }
        PromotionGate.Split data = cut.split();
        TrainingExamples examples = TrainingExamples.of(data.train(), config.reward(), config.weights());
        PolicyUpdate.Result result;
        try {
            result = update.run(parent.adapter(), data.train(), examples);
        } catch (IllegalStateException | IllegalArgumentException e) { // diverged: nothing to gate, nothing published
            log.warn("feedback cycle {}: the update failed ({}); no candidate this cycle, the labels stay for the next",
                    cycles, e.getMessage());
            skip("update failed: " + e.getMessage());
            return;
        }
        HoldoutJudge.Judgement judgement = judge.judge(data.holdout(), parent.adapter(), result.candidate());
        PromotionGate.Verdict verdict = judgement.verdict();
        Map<String, Double> metrics = provenance.metrics(verdict, data, result, judgement.liveScores(),
                judgement.candidateScores());
        double seconds = (System.nanoTime() - started) / 1e9;

        AdapterRelease release = verdict.promoted()
                ? releases.next(parent, result.candidate(), metrics, provenance.note(offsets, data, result))
                : null;
        GateOutcome outcome = GateOutcome.newBuilder().setDecidedTime(Instant.now())
                .setBaseModelHash(releases.baseHash()).setOutcome(release != null ? PROMOTED : REFUSED)
                .setLiveVersion(parent.version()).setReleaseVersion(release != null ? release.getVersion() : null)
                .setReason(verdict.reason()).setMetrics(metrics).build();
        releases.commit(outcome, release, offsets);
        labels.consumed(offsets);
        if (release != null) {
            published++;
            lastPublishedVersion = release.getVersion();
            lastOutcome = "published " + release.getVersion() + " (parent " + parent.version() + "): "
                    + verdict.reason();
            log.info("feedback cycle {}: published adapter {} (sequence {}, parent {}) in {} s: {}", cycles,
                    release.getVersion(), release.getSequence(), parent.version(),
                    String.format(Locale.ROOT, "%.1f", seconds), verdict.reason());
        } else {
            refused++;
            lastOutcome = "refused: " + verdict.reason();
            log.info("feedback cycle {}: candidate refused by the gate, live adapter {} stays: {}", cycles,
                    parent.version(), verdict.reason());
        }
    }

    /** Nothing decided: the labels stay in the window, uncommitted; the cadence counts again from zero. */
    private void skip(String outcome) {
        skipped++;
        lastOutcome = outcome;
        labels.resetNew();
    }

    Counts counts() {
        return new Counts(cycles, published, refused, skipped, lastOutcome, lastPublishedVersion);
    }

    @Override
    public void close() {
        judge.close();
    }
}
