package dev.vigil.streams.scoring;

import dev.vigil.streams.state.CardHistorySerde;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.Stores;
import java.time.Duration;

/**
 * The scoring topology, top to bottom:
 * <pre>
 *   payments.transactions (bytes: key = card id, value = Avro Transaction)
 *     -> score   [ScoringProcessor; stores: card-history (RocksDB, changelog), pending (in memory, changelog),
 *                 scored-ids (RocksDB window store, changelog)]
 *          validate -> dead letter (fraud.dlq) with the reason, or
 *          batch -> card features (card-history) -> context (OpenSearch, cache, timeout) -> inference (ONNX Runtime,
 *          live adapter) -> decision and reasons
 *     -> fraud.scores   every scored transaction (keyed by card id)
 *     -> fraud.alerts   alerts and exploration reviews
 *     -> fraud.dlq      what could not be scored
 * </pre>
 * Values are serialized in the processor (the Avro serde with the schema registry), so that a value that cannot be
 * read is a dead letter, not a stream failure; the sinks write bytes.
 */
public final class ScoringTopology {

    /** The topic names (the standard ones from {@link dev.vigil.schemas.Topics}, or a test's own). */
    public record Topics(String transactions, String scores, String alerts, String dlq) {
        public static Topics standard() {
            return new Topics(dev.vigil.schemas.Topics.TRANSACTIONS, dev.vigil.schemas.Topics.SCORES,
                    dev.vigil.schemas.Topics.ALERTS, dev.vigil.schemas.Topics.DLQ);
        }
    }

    public static final String SOURCE = "transactions";
    public static final String SCORE = "score";

    private ScoringTopology() {}

    public static Topology build(ScoringProcessor.Shared shared) {
        Topics topics = shared.topics();
        Topology topology = new Topology();
        topology.addSource(SOURCE, new ByteArrayDeserializer(), new ByteArrayDeserializer(), topics.transactions());
        topology.addProcessor(SCORE, () -> new ScoringProcessor(shared), SOURCE);
        topology.addStateStore(Stores.keyValueStoreBuilder(
                        Stores.persistentKeyValueStore(ScoringProcessor.CARD_STORE), Serdes.String(), new CardHistorySerde())
                .withCachingEnabled(), SCORE);
        topology.addStateStore(Stores.keyValueStoreBuilder(
                        Stores.inMemoryKeyValueStore(ScoringProcessor.PENDING_STORE), Serdes.ByteArray(), Serdes.ByteArray())
                .withCachingEnabled(), SCORE);
        // the task's review budget (ReviewBudget): one small record, saved every few thousand payments
        topology.addStateStore(Stores.keyValueStoreBuilder(
                        Stores.inMemoryKeyValueStore(ScoringProcessor.BUDGET_STORE), Serdes.ByteArray(), Serdes.ByteArray())
                .withCachingEnabled(), SCORE);
        // the transaction ids scored within the duplicate window (wall-clock timestamps; old segments dropped whole)
        topology.addStateStore(Stores.windowStoreBuilder(
                Stores.persistentWindowStore(ScoringProcessor.SCORED_IDS_STORE,
                        shared.validator().limits().duplicateWindow(), Duration.ofMillis(1), false),
                Serdes.String(), Serdes.ByteArray()), SCORE);
        topology.addSink(ScoringProcessor.SCORES_SINK, topics.scores(), new ByteArraySerializer(),
                new ByteArraySerializer(), SCORE);
        topology.addSink(ScoringProcessor.ALERTS_SINK, topics.alerts(), new ByteArraySerializer(),
                new ByteArraySerializer(), SCORE);
        topology.addSink(ScoringProcessor.DLQ_SINK, topics.dlq(), new ByteArraySerializer(), new ByteArraySerializer(),
                SCORE);
        return topology;
    }
}
