package dev.vigil.streams.scoring;

import dev.vigil.model.features.CardHistory;
import dev.vigil.model.features.FeatureEncoder;
import dev.vigil.model.features.Payment;
import dev.vigil.schemas.DeadLetters;
import dev.vigil.schemas.avro.DeadLetter;
import dev.vigil.schemas.avro.FraudAlert;
import dev.vigil.schemas.avro.FraudScore;
import dev.vigil.schemas.serde.AvroSerde;
import dev.vigil.streams.metrics.PipelineMetrics;
import dev.vigil.streams.metrics.StageCpu;
import dev.vigil.streams.metrics.StageCpu.Stage;
import dev.vigil.streams.scoring.BatchScorer.Item;
import dev.vigil.streams.scoring.BatchScorer.Outcome;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The scoring step of the topology, one instance per input partition (task):
 * <ol>
 *   <li>each record is kept as read in a batch in memory, and the changelogged {@code pending} store notes the range
 *       of input offsets the batch holds;</li>
 *   <li>the batch is scored when it is full or when the linger punctuation fires (wall clock): each record is
 *       decoded and validated (what cannot be scored goes to the dead-letter sink with the reason; so does a transaction
 *       id already scored within the duplicate window, kept in the {@code scored-ids} window store), then card features
 *       from the {@code card-history} store in arrival order (each payment sees its card as it was before it), then
 *       context, inference, decisions ({@link BatchScorer}); the scores and alerts are forwarded, the card states
 *       written back, the range deleted.</li>
 * </ol>
 * Exactly once: the input offsets, the card states, the pending store and the outputs are all in one Kafka
 * transaction per commit. Transactions whose offsets were committed before their batch was scored are named by the
 * range in the restored {@code pending} store after a crash: {@link #init} reads them again from the input topic
 * ({@link InputReader}) and they are scored first. One small record per task and commit instead of a copy of every
 * transaction (what the store held before; such entries, written by an earlier version, are still read and scored).
 */
public final class ScoringProcessor implements Processor<byte[], byte[], byte[], byte[]> {

    private static final Logger log = LoggerFactory.getLogger(ScoringProcessor.class);

    public static final String CARD_STORE = "card-history";
    public static final String PENDING_STORE = "pending";
    public static final String SCORED_IDS_STORE = "scored-ids";
    public static final String BUDGET_STORE = "review-budget";
    public static final String SCORES_SINK = "scores";
    public static final String ALERTS_SINK = "alerts";
    public static final String DLQ_SINK = "dead-letters";

    /** What every task shares: the scorer, serdes, names and batching. */
    public record Shared(TransactionValidator validator, BatchScorer scorer, FeatureEncoder encoder,
                         AvroSerde<FraudScore> scores, AvroSerde<FraudAlert> alerts, AvroSerde<DeadLetter> deadLetters,
                         ScoringTopology.Topics topics, int maxBatch, Duration linger, String applicationId,
                         PipelineMetrics metrics, LongSupplier clock, InputReader input) {}

    /** The key of the range of unscored offsets in the pending store (entries of an earlier version: 8-byte keys). */
    private static final byte[] UNSCORED = {'u'};
    /** The key of the task's {@link ReviewBudget} in its store. */
    private static final byte[] BUDGET = {'b'};

    /** A record read and not yet scored: its coordinates and bytes as read (decoded when its batch is scored). */
    private record Buffered(long offset, long arrivalMillis, byte[] key, byte[] value) {}

    /** When the oldest transaction of the batch was read (System.nanoTime), or -1 for an empty batch. */
    private long oldestReadNanos = -1;

    private final Shared shared;
    private final StageCpu stages;
    private final List<Buffered> batch = new ArrayList<>();
    private ProcessorContext<byte[], byte[]> context;
    private KeyValueStore<String, CardHistory> cards;
    private KeyValueStore<byte[], byte[]> pending;
    private WindowStore<String, byte[]> scoredIds;
    private KeyValueStore<byte[], byte[]> budgetStore;
    private ReviewBudget budget;
    /** The first offset of the range the pending store names, or -1 when it names none. */
    private long rangeFirst = -1;
    /** Keys of whole transactions kept by an earlier version, deleted once they are scored. */
    private final List<byte[]> legacyKeys = new ArrayList<>();
    private long read;
    private long batches;

    public ScoringProcessor(Shared shared) {
        this.shared = shared;
        this.stages = shared.metrics().stages();
    }

    @Override
    public void init(ProcessorContext<byte[], byte[]> context) {
        this.context = context;
        this.cards = context.getStateStore(CARD_STORE);
        this.pending = context.getStateStore(PENDING_STORE);
        this.scoredIds = context.getStateStore(SCORED_IDS_STORE);
        this.budgetStore = context.getStateStore(BUDGET_STORE);
        batch.clear();
        legacyKeys.clear();
        rangeFirst = -1;
        long[] range = null;
        List<Buffered> legacy = new ArrayList<>();
        try (KeyValueIterator<byte[], byte[]> it = pending.all()) {
            while (it.hasNext()) {
                KeyValue<byte[], byte[]> entry = it.next();
                if (Arrays.equals(entry.key, UNSCORED)) {
                    ByteBuffer b = ByteBuffer.wrap(entry.value);
                    range = new long[] {b.getLong(), b.getLong()};
                } else { // a whole transaction, as an earlier version kept it
                    PendingRecord r = PendingRecord.decode(entry.value);
                    legacy.add(new Buffered(r.offset(), r.arrivalMillis(), r.key(), r.value()));
                    legacyKeys.add(entry.key);
                }
            }
        }
        batch.addAll(legacy);
        int partitions = shared.input().partitions(shared.topics().transactions());
        budget = shared.scorer().restoreBudget(partitions, budgetStore.get(BUDGET));
        log.info("task {}: {}, 1/{} of the analysts' budget (the input has {} partitions)", context.taskId(), budget,
                partitions, partitions);
        if (range != null) {
            for (ConsumerRecord<byte[], byte[]> r : shared.input().read(shared.topics().transactions(),
                    context.taskId().partition(), range[0], range[1])) {
                batch.add(new Buffered(r.offset(), r.timestamp(), r.key(), r.value()));
            }
            rangeFirst = range[0]; // the range stays in the store until these are scored
        }
        oldestReadNanos = batch.isEmpty() ? -1 : System.nanoTime();
        if (!batch.isEmpty()) {
            log.info("task {}: {} transactions read before a restart and not yet scored are scored first",
                    context.taskId(), batch.size());
        }
        // the punctuation only ends a batch whose oldest transaction has waited the whole linger: flushing whatever is
        // there at every punctuation makes batches of one or two under load (a flush outlasts the linger, so the
        // punctuation is due at every loop and Kafka Streams then processes one record per task per loop)
        long lingerNanos = shared.linger().toNanos();
        context.schedule(Duration.ofMillis(Math.max(1, shared.linger().toMillis() / 2)), PunctuationType.WALL_CLOCK_TIME,
                timestamp -> {
                    if (oldestReadNanos >= 0 && System.nanoTime() - oldestReadNanos >= lingerNanos) {
                        flush();
                    }
                });
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        boolean timed = ++read % StageCpu.BUFFER_SAMPLE == 0;
        long started = timed ? stages.now() : 0;
        long offset = context.recordMetadata().map(RecordMetadata::offset).orElse(-1L);
        if (batch.isEmpty()) {
            oldestReadNanos = System.nanoTime();
        }
        if (rangeFirst < 0) {
            rangeFirst = offset;
        }
        batch.add(new Buffered(offset, record.timestamp(), record.key(), record.value()));
        // the store's cache keeps only the last range until the commit: one changelog record per task and commit
        pending.put(UNSCORED, ByteBuffer.allocate(2 * Long.BYTES).putLong(rangeFirst).putLong(offset).array());
        if (timed) {
            stages.add(Stage.BUFFER, (stages.now() - started) * StageCpu.BUFFER_SAMPLE);
        }
        if (batch.size() >= shared.maxBatch()) {
            flush();
        }
    }

    /** Scores the batch, if there is one, stage by stage (each stage's CPU time is counted, see {@link StageCpu}). */
    void flush() {
        if (batch.isEmpty()) {
            return;
        }
        StageCpu.Lap lap = stages.lap(++batches % StageCpu.BATCH_SAMPLE == 0 ? StageCpu.BATCH_SAMPLE : 0);
        Instant now = now();
        List<Buffered> valid = new ArrayList<>(batch.size());
        List<Payment> payments = new ArrayList<>(batch.size());
        for (Buffered b : batch) {
            try {
                payments.add(shared.validator().validate(b.key(), b.value(), now));
                valid.add(b);
            } catch (Rejected r) {
                deadLetter(b.offset(), b.key(), b.value(), r);
            }
        }
        dropDuplicates(valid, payments, now);
        lap.end(Stage.DECODE);

        Map<String, CardHistory> touched = new LinkedHashMap<>();
        for (Payment p : payments) {
            if (!touched.containsKey(p.cardId())) {
                touched.put(p.cardId(), cardState(p.cardId()));
            }
        }
        lap.end(Stage.CARD_STATE);

        List<Outcome> outcomes = null;
        try {
            // in arrival order: each payment sees its card as it was before it
            List<Item> items = new ArrayList<>(payments.size());
            for (int i = 0; i < payments.size(); i++) {
                Payment p = payments.get(i);
                CardHistory state = touched.get(p.cardId());
                items.add(new Item(p, shared.encoder().cardFeatures(p, state), valid.get(i).arrivalMillis()));
                state.update(p);
            }
            lap.end(Stage.FEATURES);
            outcomes = shared.scorer().score(items, budget, lap);
            if (budget.dueForSave()) {
                budgetStore.put(BUDGET, budget.toBytes()); // with the batch's outputs, in the same transaction
            }
        } catch (RuntimeException e) { // a model, engine or feature failure: the payments go to the DLQ, never lost
            log.error("scoring a batch of {} failed; its transactions go to the dead-letter topic", valid.size(), e);
            for (Buffered b : valid) {
                deadLetter(b.offset(), b.key(), b.value(), new Rejected(Rejected.Stage.SCORE, "scoring failed: " + e, e));
            }
            touched.clear(); // the cards' histories stay as they were: these payments are not scored
        }
        if (outcomes != null) {
            for (Outcome o : outcomes) {
                byte[] key = o.score().getCardId().getBytes(StandardCharsets.UTF_8);
                long ts = o.score().getScoredTime().toEpochMilli();
                context.forward(new Record<>(key, shared.scores().encode(shared.topics().scores(), o.score()), ts),
                        SCORES_SINK);
                scoredIds.put(o.score().getTransactionId(), firstScore(o.score()), ts);
                if (o.alert() != null) {
                    context.forward(new Record<>(key, shared.alerts().encode(shared.topics().alerts(), o.alert()), ts),
                            ALERTS_SINK);
                }
            }
        }
        lap.end(Stage.ENCODE_PRODUCE);

        touched.forEach(cards::put); // the card's history is what happened, scored or not
        lap.end(Stage.CARD_STATE);

        if (rangeFirst >= 0) {
            pending.delete(UNSCORED);
            rangeFirst = -1;
        }
        legacyKeys.forEach(pending::delete);
        legacyKeys.clear();
        batch.clear();
        oldestReadNanos = -1;
        shared.metrics().progress();
        lap.end(Stage.BUFFER);
    }

    /**
     * Takes out of {@code valid} and {@code payments} every transaction whose id was scored within the duplicate window
     * or comes earlier in this batch: each goes to the dead-letter topic (stage {@code duplicate}) naming the first
     * score, and gets no second score, alert or card update.
     */
    private void dropDuplicates(List<Buffered> valid, List<Payment> payments, Instant now) {
        long from = now.minus(shared.validator().limits().duplicateWindow()).toEpochMilli();
        Map<String, Long> inBatch = new java.util.HashMap<>();
        int kept = 0;
        for (int i = 0; i < payments.size(); i++) {
            Payment p = payments.get(i);
            Buffered b = valid.get(i);
            String first = null;
            Long earlier = inBatch.putIfAbsent(p.transactionId(), b.offset());
            if (earlier != null) {
                first = "at offset " + earlier + ", earlier in the same batch";
            } else {
                try (WindowStoreIterator<byte[]> seen = scoredIds.fetch(p.transactionId(), from, now.toEpochMilli())) {
                    if (seen.hasNext()) {
                        first = new String(seen.next().value, StandardCharsets.UTF_8);
                        inBatch.remove(p.transactionId()); // the first is the stored one; this copy is not scored
                    }
                }
            }
            if (first != null) {
                deadLetter(b.offset(), b.key(), b.value(), new Rejected(Rejected.Stage.DUPLICATE, "transaction "
                        + p.transactionId() + " was already scored (" + first + "); this copy gets no second score "
                        + "or alert"));
                continue;
            }
            valid.set(kept, b);
            payments.set(kept, p);
            kept++;
        }
        valid.subList(kept, valid.size()).clear();
        payments.subList(kept, payments.size()).clear();
    }

    /** What a duplicate's dead letter says of the first score. */
    private static byte[] firstScore(FraudScore score) {
        return ("first scored at " + score.getScoredTime() + ": score " + String.format(java.util.Locale.ROOT, "%.4f",
                score.getScore()) + ", decision " + score.getDecision() + ", adapter " + score.getAdapterVersion())
                .getBytes(StandardCharsets.UTF_8);
    }

    /**
     * The card's history as stored, or an empty one if there is none or it cannot be read (a corrupt entry must not
     * stop the card's payments for good: it is replaced when this batch writes the card back).
     */
    private CardHistory cardState(String cardId) {
        try {
            CardHistory state = cards.get(cardId);
            return state != null ? state : shared.encoder().emptyHistory();
        } catch (RuntimeException e) {
            shared.metrics().degraded("card_state_unreadable");
            log.error("task {}: the stored history of a card cannot be read ({}); the card starts afresh",
                    context.taskId(), DeadLetters.cutText(String.valueOf(e), 300));
            return shared.encoder().emptyHistory();
        }
    }

    private void deadLetter(long offset, byte[] rawKey, byte[] rawValue, Rejected r) {
        // with card tokens on, the copy kept carries the card's token, never its id
        TransactionValidator.Redacted kept = shared.validator().redact(rawKey, rawValue);
        byte[] key = kept.key();
        // cut to fit a Kafka record: a dead letter the producer refuses would fail the task on every retry
        String message = kept.note() == null ? r.getMessage() : r.getMessage() + "; " + kept.note();
        DeadLetter letter = DeadLetters.of(
                new DeadLetters.Source(shared.topics().transactions(), context.taskId().partition(), offset), key,
                kept.value(), r.stage().code(), r.errorClass(), message, now(), shared.applicationId());
        context.forward(new Record<>(DeadLetters.recordKey(key),
                shared.deadLetters().encode(shared.topics().dlq(), letter), now().toEpochMilli()), DLQ_SINK);
        shared.metrics().deadLetter(r.stage().code());
        log.warn("transaction at {}-{} offset {} to the dead-letter topic ({}): {}", shared.topics().transactions(),
                context.taskId().partition(), offset, r.stage().code(),
                DeadLetters.cutText(String.valueOf(r.getMessage()), 300));
    }

    private Instant now() {
        return Instant.ofEpochMilli(shared.clock().getAsLong());
    }
}
