package dev.vigil.streams.scoring;

import dev.vigil.model.context.Case;
import dev.vigil.model.context.ContextSource.ContextQuery;
import dev.vigil.model.context.ContextSource.RetrievedContext;
import dev.vigil.model.features.CardFeatures;
import dev.vigil.model.features.FeatureEncoder;
import dev.vigil.model.features.ModelInputs;
import dev.vigil.model.features.Payment;
import dev.vigil.model.network.FeatureBatch;
import dev.vigil.model.scoring.OnnxScorer;
import dev.vigil.model.scoring.SplitGraphs;
import dev.vigil.schemas.avro.AlertReason;
import dev.vigil.schemas.avro.FraudAlert;
import dev.vigil.schemas.avro.FraudScore;
import dev.vigil.schemas.avro.Reason;
import dev.vigil.schemas.digest.Sha256;
import dev.vigil.streams.adapters.AdapterSlot;
import dev.vigil.model.adapter.LiveAdapter;
import dev.vigil.streams.metrics.PipelineMetrics;
import dev.vigil.streams.metrics.StageCpu;
import dev.vigil.streams.metrics.StageCpu.Stage;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * Scores a batch of payments whose card features are already computed (the card state is the processor's): context
 * for all of them (from the scorer's {@link dev.vigil.streams.context.LocalContext}, no network), one inference call
 * with the adapter live at the start of the batch, the decision, reasons for what a person will read (alerts and
 * reviews, and any score at or above {@code explainAbove}), and the records for {@code fraud.scores} and
 * {@code fraud.alerts}; the batch's cases are offered to the local context.
 */
public final class BatchScorer {

    /** Degraded reason when retrieval is switched off by configuration. */
    public static final String CONTEXT_DISABLED = "context_disabled";

    /** One payment to score. {@code arrivalMillis} is its record timestamp (when it reached Kafka). */
    public record Item(Payment payment, CardFeatures card, long arrivalMillis) {}

    /** What scoring one payment produced; {@code alert} is null for a pass. */
    public record Outcome(FraudScore score, FraudAlert alert) {}

    /** Everything but the parts; see {@link BatchScorer}. */
    public record Options(DecisionPolicy policy, double explainAbove, int topReasons, boolean logInputs) {
        public static Options defaults() {
            return new Options(DecisionPolicy.defaults(), 0.5, 3, true);
        }

        public Options withPolicy(DecisionPolicy decisions) {
            return new Options(decisions, explainAbove, topReasons, logInputs);
        }
    }

    private final FeatureEncoder encoder;
    private final OnnxScorer scorer;
    private final SplitGraphs split; // null: reasons from whole rows
    private final AdapterSlot adapters;
    private final ContextRetriever context; // null: retrieval off
    private final Attribution attribution;
    private final Options options;
    private final String modelVersion;
    private final PipelineMetrics metrics;
    private final LongSupplier clock;
    private final int seqRow;
    private final int seqLen;
    private final int dense;

    public BatchScorer(FeatureEncoder encoder, OnnxScorer scorer, AdapterSlot adapters, ContextRetriever context,
                       Options options, String modelVersion, PipelineMetrics metrics, LongSupplier clock) {
        this(encoder, scorer, null, adapters, context, options, modelVersion, metrics, clock);
    }

    /** @param split the serving graph's halves, for cheaper reasons (null: reasons from whole rows) */
    public BatchScorer(FeatureEncoder encoder, OnnxScorer scorer, SplitGraphs split, AdapterSlot adapters,
                       ContextRetriever context, Options options, String modelVersion, PipelineMetrics metrics,
                       LongSupplier clock) {
        this.encoder = encoder;
        this.scorer = scorer;
        this.split = split;
        this.adapters = adapters;
        this.context = context;
        this.attribution = new Attribution(encoder.spec());
        this.options = options;
        this.modelVersion = modelVersion;
        this.metrics = metrics;
        this.clock = clock;
        this.seqLen = encoder.spec().seqLen();
        this.seqRow = seqLen * encoder.spec().seqFeatureCount();
        this.dense = encoder.spec().denseFeatureCount();
    }

    /** A task's budget as {@link ReviewBudget#toBytes} saved it (a fresh one for null), under this scorer's policy. */
    public ReviewBudget restoreBudget(int partitions, byte[] saved) {
        return ReviewBudget.restore(options.policy(), partitions, saved);
    }

    /**
     * Scores a batch, deciding with {@code budget} (the task's); with a lap, charges its CPU time to the stages context,
     * inference, decision and reasons (the records built after that are the caller's encode-and-produce stage).
     */
    public List<Outcome> score(List<Item> items, ReviewBudget budget, StageCpu.Lap lap) {
        int n = items.size();
        if (n == 0) {
            return List.of();
        }
        int k = encoder.spec().similarK();
        List<RetrievedContext> contexts;
        String degraded;
        Long contextAge;
        long retrievalStart = System.nanoTime();
        if (context == null) {
            contexts = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                contexts.add(RetrievedContext.missing(k));
            }
            degraded = CONTEXT_DISABLED;
            contextAge = null;
        } else {
            List<ContextQuery> queries = new ArrayList<>(n);
            for (Item item : items) {
                queries.add(new ContextQuery(item.payment().merchantId(), item.card().caseVector(),
                        item.payment().eventTime(), k));
            }
            ContextRetriever.Batch batch = context.retrieve(queries, clock.getAsLong());
            contexts = batch.contexts();
            degraded = batch.degradedReason();
            contextAge = batch.ageMillis() < 0 ? null : batch.ageMillis();
        }
        long retrievalMicros = (System.nanoTime() - retrievalStart) / 1_000;
        metrics.retrieval(retrievalMicros);
        end(lap, Stage.CONTEXT);

        float[] seq = new float[n * seqRow];
        float[] mask = new float[n * seqLen];
        float[] features = new float[n * dense];
        for (int i = 0; i < n; i++) {
            RetrievedContext c = contexts.get(i);
            encoder.encodeInto(items.get(i).card(), c.merchant(), c.similar(), i, seq, mask, features);
        }
        FeatureBatch batch = new FeatureBatch(n, seq, mask, features);
        LiveAdapter live = adapters.get(); // one adapter for the whole batch
        long start = System.nanoTime();
        OnnxScorer.Scores scores = scorer.scoreWithLogits(batch, live.adapter());
        long inferenceNanos = System.nanoTime() - start;
        metrics.batch(n, inferenceNanos);
        end(lap, Stage.INFERENCE);

        List<String> ids = new ArrayList<>(n);
        List<String> cards = new ArrayList<>(n);
        long[] eventMillis = new long[n];
        for (int i = 0; i < n; i++) {
            ids.add(items.get(i).payment().transactionId());
            cards.add(items.get(i).payment().cardId());
            eventMillis[i] = items.get(i).payment().eventTime().toEpochMilli();
        }
        DecisionPolicy.Decision[] decisions = budget.decide(ids, cards, eventMillis, scores.probabilities());
        List<Integer> explained = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            if (decisions[i].published() || scores.probabilities()[i] >= options.explainAbove()) {
                explained.add(i);
            }
        }
        int[] rows = explained.stream().mapToInt(Integer::intValue).toArray();
        List<List<Attribution.Reason>> reasons = split != null
                ? attribution.explain(batch, rows, split, live.adapter(), options.topReasons())
                : attribution.explain(batch, rows, scores.logits(),
                        b -> scorer.scoreWithLogits(b, live.adapter()).logits(), options.topReasons());
        end(lap, Stage.DECISION);

        long scoredMillis = clock.getAsLong();
        long inferenceMicrosEach = inferenceNanos / 1_000 / n;
        List<Outcome> outcomes = new ArrayList<>(n);
        List<Case> scored = new ArrayList<>(n);
        int r = 0;
        for (int i = 0; i < n; i++) {
            Item item = items.get(i);
            Payment p = item.payment();
            List<Reason> why = List.of();
            if (r < rows.length && rows[r] == i) {
                why = reasons.get(r++).stream().map(x -> new Reason(x.group(), x.contribution())).toList();
            }
            byte[] inputs = ModelInputs.rowToLittleEndianBytes(seq, mask, features, i, seqRow, seqLen, dense);
            double probability = scores.probabilities()[i];
            DecisionPolicy.Decision decision = decisions[i];
            List<Float> caseVector = new ArrayList<>(item.card().caseVector().length);
            for (float v : item.card().caseVector()) {
                caseVector.add(v);
            }
            FraudScore score = FraudScore.newBuilder()
                    .setTransactionId(p.transactionId())
                    .setCardId(p.cardId())
                    .setMerchantId(p.merchantId())
                    .setEventTime(p.eventTime())
                    .setAmountMinor(p.amountMinor())
                    .setCurrency(p.currency())
                    .setScore(probability)
                    .setAlerted(DecisionPolicy.ALERT.equals(decision.name()))
                    .setDecision(decision.name())
                    .setModelVersion(modelVersion)
                    .setAdapterVersion(live.version())
                    .setReasons(why)
                    .setContextDegraded(degraded != null)
                    .setDegradedReasons(degraded == null ? List.of() : List.of(degraded))
                    .setArrivalTime(Instant.ofEpochMilli(Math.max(0, item.arrivalMillis())))
                    .setScoredTime(Instant.ofEpochMilli(scoredMillis))
                    .setInferenceMicros(inferenceMicrosEach)
                    .setRetrievalMicros(retrievalMicros / n)
                    .setReviewProbability(decision.reviewProbability())
                    .setInputsFingerprint(fingerprint(inputs))
                    .setModelInputs(options.logInputs() ? ByteBuffer.wrap(inputs) : null)
                    .setCaseVector(caseVector)
                    .setContextAgeMs(contextAge)
                    .build();
            FraudAlert alert = null;
            if (decision.published()) {
                alert = FraudAlert.newBuilder()
                        .setTransactionId(p.transactionId())
                        .setCardId(p.cardId())
                        .setMerchantId(p.merchantId())
                        .setEventTime(p.eventTime())
                        .setAmountMinor(p.amountMinor())
                        .setCurrency(p.currency())
                        .setScore(probability)
                        .setDecision(decision.name())
                        .setReasons(why.stream().map(x -> new AlertReason(x.getFeature(), x.getContribution())).toList())
                        .setModelVersion(modelVersion)
                        .setAdapterVersion(live.version())
                        .setReviewProbability(decision.reviewProbability())
                        .setAlertedTime(Instant.ofEpochMilli(scoredMillis))
                        .build();
                metrics.published(decision.name());
            }
            if (degraded != null) {
                metrics.degraded(degraded);
            }
            metrics.scored(item.arrivalMillis(), scoredMillis);
            outcomes.add(new Outcome(score, alert));
            if (context != null) {
                scored.add(p.toCase(item.card().caseVector()));
            }
        }
        if (context != null) {
            context.context().offer(scored); // the next batches' context has them before the topic brings them back
        }
        return outcomes;
    }

    private static void end(StageCpu.Lap lap, Stage stage) {
        if (lap != null) {
            lap.end(stage);
        }
    }

    /** SHA-256 of the model inputs, the first 16 bytes in hex. */
    static String fingerprint(byte[] inputs) {
        return HexFormat.of().formatHex(Sha256.digest(inputs), 0, 16);
    }
}
