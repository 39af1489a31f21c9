package dev.vigil.streams.scoring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.model.ModelDirectory;
import dev.vigil.model.features.CardHistory;
import dev.vigil.model.features.FeatureEncoder;
import dev.vigil.model.scoring.OnnxScorer;
import dev.vigil.model.scoring.ScorerOptions;
import dev.vigil.schemas.avro.DeadLetter;
import dev.vigil.schemas.avro.FraudAlert;
import dev.vigil.schemas.avro.FraudScore;
import dev.vigil.schemas.avro.Transaction;
import dev.vigil.schemas.serde.AvroSerde;
import dev.vigil.stack.LocalStack;
import dev.vigil.stack.Service;
import dev.vigil.streams.PipelineTopics;
import dev.vigil.streams.adapters.AdapterSlot;
import dev.vigil.model.adapter.LiveAdapter;
import dev.vigil.streams.metrics.PipelineMetrics;
import dev.vigil.streams.state.CardHistorySerde;
import dev.vigil.testkit.SeededModel;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.WindowStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * After a crash, the transactions a task had read but not scored (their offsets committed with the range that names
 * them in the {@code pending} store) are read again from the input topic and scored first; entries an earlier version
 * kept (whole transactions) are scored too. The processor runs on a mock context here so that its stores can be
 * given the state a crash leaves; the input topic, the registry and the model are real.
 */
class UnscoredAfterRestartIT {

    @TempDir
    Path state;

    @Test
    void aRestoredRangeIsReadBackFromTheInputTopicAndScoredFirstWithTheLegacyEntries() throws Exception {
        LocalStack stack = LocalStack.sharedForTests(Service.KAFKA, Service.SCHEMA_REGISTRY);
        PipelineTopics t = new PipelineTopics(stack, 1);
        List<Transaction> all = PipelineTopics.simulated(2, 100, 50, 3, 12);
        long[] offsets = new long[all.size()];
        try (KafkaProducer<byte[], byte[]> producer = t.producer()) {
            for (int i = 0; i < all.size(); i++) {
                RecordMetadata m = producer.send(t.record(all.get(i))).get(30, TimeUnit.SECONDS);
                offsets[i] = m.offset();
            }
        }

        MockProcessorContext<byte[], byte[]> context = new MockProcessorContext<>(new Properties(),
                new TaskId(0, 0), state.toFile());
        KeyValueStore<String, CardHistory> cards = Stores.keyValueStoreBuilder(
                Stores.inMemoryKeyValueStore(ScoringProcessor.CARD_STORE), Serdes.String(), new CardHistorySerde())
                .withLoggingDisabled().build();
        KeyValueStore<byte[], byte[]> pending = Stores.keyValueStoreBuilder(
                Stores.inMemoryKeyValueStore(ScoringProcessor.PENDING_STORE), Serdes.ByteArray(), Serdes.ByteArray())
                .withLoggingDisabled().build();
        WindowStore<String, byte[]> scoredIds = Stores.windowStoreBuilder(Stores.persistentWindowStore(
                        ScoringProcessor.SCORED_IDS_STORE, Duration.ofHours(24), Duration.ofMillis(1), false),
                Serdes.String(), Serdes.ByteArray()).withLoggingDisabled().build();
        scoredIds.init(context.getStateStoreContext(), scoredIds);
        context.addStateStore(scoredIds);
        cards.init(context.getStateStoreContext(), cards);
        pending.init(context.getStateStoreContext(), pending);
        context.addStateStore(cards);
        context.addStateStore(pending);
        KeyValueStore<byte[], byte[]> budget = Stores.keyValueStoreBuilder(
                Stores.inMemoryKeyValueStore(ScoringProcessor.BUDGET_STORE), Serdes.ByteArray(), Serdes.ByteArray())
                .withLoggingDisabled().build();
        budget.init(context.getStateStoreContext(), budget);
        context.addStateStore(budget);
        // what a crash leaves: the range of transactions 4..11 (read, offsets committed, not scored) and two whole
        // transactions an earlier version kept
        pending.put(new byte[] {'u'}, ByteBuffer.allocate(16).putLong(offsets[4]).putLong(offsets[11]).array());
        for (int i : new int[] {0, 1}) {
            pending.put(PendingRecord.offsetKey(offsets[i]), new PendingRecord(offsets[i], 1L,
                    all.get(i).getCardId().getBytes(), t.transactions.encode(t.topics.transactions(), all.get(i)))
                    .encode());
        }

        PipelineMetrics metrics = PipelineMetrics.prometheus();
        ModelDirectory model = new ModelDirectory(SeededModel.directory());
        FeatureEncoder encoder = new FeatureEncoder(model.featureSpec());
        AvroSerde<FraudScore> scores = new AvroSerde<>(FraudScore.class, t.registry);
        try (OnnxScorer scorer = OnnxScorer.load(model.int8(), ScorerOptions.cpu(1), model.adapter())) {
            BatchScorer batchScorer = new BatchScorer(encoder, scorer,
                    new AdapterSlot(new LiveAdapter("1", 1, model.adapter())), null, BatchScorer.Options.defaults(),
                    "seeded", metrics, System::currentTimeMillis);
            ScoringProcessor.Shared shared = new ScoringProcessor.Shared(
                    new TransactionValidator(new AvroSerde<>(Transaction.class, t.registry), t.topics.transactions(),
                            TransactionValidator.Limits.defaults()),
                    batchScorer, encoder, scores, new AvroSerde<>(FraudAlert.class, t.registry),
                    new AvroSerde<>(DeadLetter.class, t.registry), t.topics, 64, Duration.ofMillis(5), "it", metrics,
                    System::currentTimeMillis,
                    InputReader.kafka(Map.of("bootstrap.servers", stack.bootstrapServers()), Duration.ofSeconds(30)));
            ScoringProcessor processor = new ScoringProcessor(shared);
            processor.init(context);
            Thread.sleep(10); // past the linger
            context.scheduledPunctuators().get(0).getPunctuator().punctuate(System.currentTimeMillis());
        }

        Set<String> scored = new HashSet<>();
        context.forwarded(ScoringProcessor.SCORES_SINK).forEach(f -> scored.add(
                scores.decode(t.topics.scores(), (byte[]) f.record().value()).getTransactionId()));
        Set<String> expected = new HashSet<>();
        for (int i : new int[] {0, 1, 4, 5, 6, 7, 8, 9, 10, 11}) {
            expected.add(all.get(i).getTransactionId());
        }
        assertThat(scored).isEqualTo(expected); // 2 and 3 were scored before the crash: not again
        assertThat(context.forwarded(ScoringProcessor.SCORES_SINK)).hasSize(expected.size());
        assertThat(pending.approximateNumEntries()).as("the range and the legacy entries are gone once scored")
                .isZero();
        assertThat(cards.approximateNumEntries()).isPositive();
    }
}
