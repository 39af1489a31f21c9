package dev.vigil.streams.scoring;

import dev.vigil.model.features.CardHistory;
import dev.vigil.model.features.FeatureEncoder;
import dev.vigil.model.features.Payment;
import dev.vigil.schemas.avro.DeadLetter;
import dev.vigil.schemas.avro.FraudAlert;
import dev.vigil.schemas.avro.FraudScore;
import dev.vigil.schemas.serde.AvroSerde;
import dev.vigil.streams.metrics.PipelineMetrics;
import dev.vigil.streams.scoring.BatchScorer.Item;
import dev.vigil.streams.scoring.BatchScorer.Outcome;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The scoring step of the topology, one instance per input partition (task):
 * <ol>
 *   <li>each record is validated at once; what cannot be scored goes to the dead-letter sink with the reason;</li>
 *   <li>a valid one is kept in the changelogged {@code pending} store and in a batch in memory;</li>
 *   <li>the batch is scored when it is full or when the linger punctuation fires (wall clock): card features from the
 *       {@code card-history} store in arrival order (each payment sees its card as it was before it), then context,
 *       inference, decisions ({@link BatchScorer}); the card states are written back, the scores and alerts
 *       forwarded, the pending entries deleted.</li>
 * </ol>
 * Exactly once: the input offsets, the card states, the pending store and the outputs are all in one Kafka
 * transaction per commit. A transaction whose offset was committed before its batch was scored is still in the
 * restored {@code pending} store after a crash, and is scored first on restart ({@link #init}).
 */
public final class ScoringProcessor implements Processor<byte[], byte[], byte[], byte[]> {

    private static final Logger log = LoggerFactory.getLogger(ScoringProcessor.class);

    public static final String CARD_STORE = "card-history";
    public static final String PENDING_STORE = "pending";
    public static final String SCORES_SINK = "scores";
    public static final String ALERTS_SINK = "alerts";
    public static final String DLQ_SINK = "dead-letters";

    /** What every task shares: the scorer, serdes, names and batching. */
    public record Shared(TransactionValidator validator, BatchScorer scorer, FeatureEncoder encoder,
                         AvroSerde<FraudScore> scores, AvroSerde<FraudAlert> alerts, AvroSerde<DeadLetter> deadLetters,
                         ScoringTopology.Topics topics, int maxBatch, Duration linger, String applicationId,
                         PipelineMetrics metrics, LongSupplier clock) {}

    private record Buffered(long offset, long arrivalMillis, byte[] key, Payment payment) {}

    /** When the oldest transaction of the batch was read (System.nanoTime), or -1 for an empty batch. */
    private long oldestReadNanos = -1;

    private final Shared shared;
    private final List<Buffered> batch = new ArrayList<>();
    private ProcessorContext<byte[], byte[]> context;
    private KeyValueStore<String, CardHistory> cards;
    private KeyValueStore<byte[], byte[]> pending;

    public ScoringProcessor(Shared shared) {
        this.shared = shared;
    }

    @Override
    public void init(ProcessorContext<byte[], byte[]> context) {
        this.context = context;
        this.cards = context.getStateStore(CARD_STORE);
        this.pending = context.getStateStore(PENDING_STORE);
        int restored = 0;
        try (KeyValueIterator<byte[], byte[]> it = pending.all()) {
            while (it.hasNext()) {
                KeyValue<byte[], byte[]> entry = it.next();
                PendingRecord record = PendingRecord.decode(entry.value);
                try {
                    Payment p = shared.validator().validate(record.key(), record.value(), now());
                    batch.add(new Buffered(record.offset(), record.arrivalMillis(), record.key(), p));
                } catch (Rejected r) { // it was valid when read: e.g. the registry lost its schema since
                    deadLetter(record.offset(), record.key(), record.value(), r);
                    pending.delete(entry.key);
                }
                restored++;
            }
        }
        if (!batch.isEmpty()) {
            oldestReadNanos = System.nanoTime();
        }
        if (restored > 0) {
            log.info("task {}: {} transactions read before a restart and not yet scored are scored first",
                    context.taskId(), restored);
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
        long offset = context.recordMetadata().map(RecordMetadata::offset).orElse(-1L);
        Payment payment;
        try {
            payment = shared.validator().validate(record.key(), record.value(), now());
        } catch (Rejected r) {
            deadLetter(offset, record.key(), record.value(), r);
            return;
        }
        pending.put(PendingRecord.offsetKey(offset),
                new PendingRecord(offset, record.timestamp(), record.key(), record.value()).encode());
        if (batch.isEmpty()) {
            oldestReadNanos = System.nanoTime();
        }
        batch.add(new Buffered(offset, record.timestamp(), record.key(), payment));
        if (batch.size() >= shared.maxBatch()) {
            flush();
        }
    }

    /** Scores the batch, if there is one. */
    void flush() {
        if (batch.isEmpty()) {
            return;
        }
        Map<String, CardHistory> touched = new LinkedHashMap<>();
        List<Item> items = new ArrayList<>(batch.size());
        for (Buffered b : batch) {
            Payment p = b.payment();
            CardHistory state = touched.get(p.cardId());
            if (state == null) {
                state = cards.get(p.cardId());
                if (state == null) {
                    state = shared.encoder().emptyHistory();
                }
                touched.put(p.cardId(), state);
            }
            items.add(new Item(p, shared.encoder().cardFeatures(p, state), b.arrivalMillis()));
            state.update(p);
        }
        List<Outcome> outcomes = null;
        try {
            outcomes = shared.scorer().score(items);
        } catch (RuntimeException e) { // a model or engine failure: the payments are kept on the DLQ, never lost
            log.error("scoring a batch of {} failed; its transactions go to the dead-letter topic", batch.size(), e);
            for (Buffered b : batch) {
                Rejected r = new Rejected(Rejected.Stage.SCORE, "scoring failed: " + e, e);
                deadLetter(b.offset(), b.key(), originalValue(b.offset()), r);
            }
        }
        touched.forEach(cards::put); // the card's history is what happened, scored or not
        if (outcomes != null) {
            for (Outcome o : outcomes) {
                byte[] key = o.score().getCardId().getBytes(StandardCharsets.UTF_8);
                long ts = o.score().getScoredTime().toEpochMilli();
                context.forward(new Record<>(key, shared.scores().encode(shared.topics().scores(), o.score()), ts),
                        SCORES_SINK);
                if (o.alert() != null) {
                    context.forward(new Record<>(key, shared.alerts().encode(shared.topics().alerts(), o.alert()), ts),
                            ALERTS_SINK);
                }
            }
        }
        for (Buffered b : batch) {
            pending.delete(PendingRecord.offsetKey(b.offset()));
        }
        batch.clear();
        oldestReadNanos = -1;
    }

    private byte[] originalValue(long offset) {
        byte[] stored = pending.get(PendingRecord.offsetKey(offset));
        return stored == null ? null : PendingRecord.decode(stored).value();
    }

    private void deadLetter(long offset, byte[] key, byte[] value, Rejected r) {
        DeadLetter letter = DeadLetter.newBuilder()
                .setSourceTopic(shared.topics().transactions())
                .setSourcePartition(context.taskId().partition())
                .setSourceOffset(offset)
                .setOriginalKey(key == null ? null : ByteBuffer.wrap(key))
                .setOriginalValue(value == null ? null : ByteBuffer.wrap(value))
                .setStage(r.stage().code())
                .setErrorClass(r.errorClass())
                .setErrorMessage(String.valueOf(r.getMessage()))
                .setFailedTime(now())
                .setApplicationId(shared.applicationId())
                .build();
        context.forward(new Record<>(key, shared.deadLetters().encode(shared.topics().dlq(), letter),
                now().toEpochMilli()), DLQ_SINK);
        shared.metrics().deadLetter(r.stage().code());
        log.warn("transaction at {}-{} offset {} to the dead-letter topic ({}): {}", shared.topics().transactions(),
                context.taskId().partition(), offset, r.stage().code(), r.getMessage());
    }

    private Instant now() {
        return Instant.ofEpochMilli(shared.clock().getAsLong());
    }
}
