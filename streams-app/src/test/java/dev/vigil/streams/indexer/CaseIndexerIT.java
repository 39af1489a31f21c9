package dev.vigil.streams.indexer;

import static dev.vigil.streams.indexer.IndexerRecords.label;
import static dev.vigil.streams.indexer.IndexerRecords.score;
import static dev.vigil.streams.indexer.IndexerRecords.vector;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.model.context.SimilarCase;
import dev.vigil.model.features.FeatureSpec;
import dev.vigil.schemas.avro.DeadLetter;
import dev.vigil.schemas.avro.FraudLabel;
import dev.vigil.schemas.avro.FraudScore;
import dev.vigil.schemas.avro.LabelSource;
import dev.vigil.schemas.registry.SchemaRegistryClient;
import dev.vigil.schemas.serde.AvroSerde;
import dev.vigil.stack.LocalStack;
import dev.vigil.stack.Service;
import dev.vigil.stack.TopicSpec;
import dev.vigil.streams.context.CaseIndex;
import dev.vigil.streams.context.OpenSearchContextSource;
import dev.vigil.streams.context.OpenSearchHttp;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The case indexer on the real broker, registry and OpenSearch node: scores and labels in, one document per
 * transaction out, labels applied whatever their order, the records it cannot index on the dead-letter topic, offsets
 * committed only after OpenSearch acknowledged, and a restart that replays nothing. Each test has its own topics,
 * consumer group and index, so it shares the stack with the other integration tests.
 */
class CaseIndexerIT {

    static final FeatureSpec SPEC = FeatureSpec.standard();
    static final int DIM = SPEC.caseVectorDimension();
    static final int K = SPEC.similarK();
    static final Instant T = Instant.parse("2026-03-20T12:00:00Z");
    static final Duration WAIT = Duration.ofSeconds(60);

    static LocalStack stack;
    static AvroSerde<FraudScore> scoreSerde;
    static AvroSerde<FraudLabel> labelSerde;
    static AvroSerde<DeadLetter> deadLetterSerde;

    String scoresTopic;
    String labelsTopic;
    String dlqTopic;
    String group;
    OpenSearchHttp http;
    CaseIndex index;
    Admin admin;
    KafkaProducer<String, byte[]> producer;
    final List<AutoCloseable> toClose = new ArrayList<>();

    @BeforeAll
    static void startTheStack() {
        stack = LocalStack.sharedForTests(Service.KAFKA, Service.SCHEMA_REGISTRY, Service.OPENSEARCH);
        SchemaRegistryClient registry = new SchemaRegistryClient(stack.schemaRegistryUrl());
        scoreSerde = new AvroSerde<>(FraudScore.class, registry);
        labelSerde = new AvroSerde<>(FraudLabel.class, registry);
        deadLetterSerde = new AvroSerde<>(DeadLetter.class, registry);
    }

    @BeforeEach
    void freshTopicsGroupAndIndex() {
        String prefix = "indexer-it-" + UUID.randomUUID().toString().substring(0, 8);
        scoresTopic = prefix + ".scores";
        labelsTopic = prefix + ".labels";
        dlqTopic = prefix + ".dlq";
        group = prefix + "-indexer";
        stack.createTopics(List.of(TopicSpec.of(scoresTopic, 2), TopicSpec.of(labelsTopic, 1), TopicSpec.of(dlqTopic, 1)));
        http = new OpenSearchHttp(stack.openSearchUrl());
        index = new CaseIndex(http, prefix, SPEC);
        admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()));
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
    }

    @AfterEach
    void cleanUp() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
        producer.close(Duration.ofSeconds(5));
        admin.close(Duration.ofSeconds(5));
        index.delete().exceptionally(e -> null).join();
    }

    // ---- the tests ----

    @Test
    void indexesEachTransactionOnceAppliesLabelsInAnyOrderAndDeadLettersWhatItCannotIndex() throws Exception {
        CaseIndexer indexer = started(config());

        // a chargeback arrives before its score
        Instant earlyLabelTime = T.minus(Duration.ofDays(1));
        sendLabel(label("tx-early", true, earlyLabelTime, LabelSource.CHARGEBACK));
        await("the early label is committed", () -> indexer.counters().labelsApplied() == 1);

        float[] earlyVector = vector(DIM, 99);
        sendScore(score("tx-early", "m-1", T.minus(Duration.ofDays(3)), earlyVector));
        for (int i = 0; i < 10; i++) {
            sendScore(score("tx-" + i, "m-1", T.minus(Duration.ofDays(2)).plusSeconds(60L * i), vector(DIM, i)));
        }
        sendScore(score("tx-2", "m-1", T.minus(Duration.ofDays(2)).plusSeconds(120), vector(DIM, 2))); // replayed
        sendScore(score("tx-old", "m-2", T.minus(Duration.ofDays(2)), new float[0])); // a v1 writer: no case vector
        byte[] garbage = "definitely not avro".getBytes(StandardCharsets.UTF_8);
        producer.send(new ProducerRecord<>(scoresTopic, "card-x", garbage)).get();
        sendScore(score("tx-wrong", "m-1", T.minus(Duration.ofDays(2)), vector(DIM + 4, 1)));
        sendScore(score("tx-huge", "x".repeat(40_000), T.minus(Duration.ofDays(2)), vector(DIM, 7))); // mapping refuses it
        sendLabel(label("tx-1", false, T.minus(Duration.ofHours(20)), LabelSource.ANALYST));
        sendLabel(label("tx-3", true, T.minus(Duration.ofHours(12)), LabelSource.ANALYST));
        sendLabel(label("tx-3", false, T.minus(Duration.ofHours(30)), LabelSource.ANALYST)); // older: must not win
        awaitCommittedToTheEnd();
        index.refresh().join();

        // one document per transaction: 10 + tx-early + tx-old; the three refused ones are not there
        assertThat(index.count().join()).isEqualTo(12);
        assertThat(hits("transaction_id", "tx-2")).isEqualTo(1);
        JsonNode early = document("tx-early");
        assertThat(early.path("label").asText()).isEqualTo("fraud");
        assertThat(early.path("label_time").asLong()).isEqualTo(earlyLabelTime.toEpochMilli());
        assertThat(early.path("merchant_id").asText()).isEqualTo("m-1"); // the case filled in the label-only document
        assertThat(document("tx-1").path("label").asText()).isEqualTo("genuine");
        assertThat(document("tx-3").path("label").asText()).isEqualTo("fraud");
        JsonNode old = document("tx-old");
        assertThat(old.path("merchant_id").asText()).isEqualTo("m-2");
        assertThat(old.has("case_vector")).isFalse();
        assertThat(document("tx-wrong").isMissingNode()).isTrue();

        // the fraud case is a similar case from its label time on, not before
        OpenSearchContextSource source = new OpenSearchContextSource(http, index);
        assertThat(source.similar(earlyVector, earlyLabelTime, K).neighbours()).extracting(SimilarCase::transactionId)
                .contains("tx-early");
        assertThat(source.similar(earlyVector, earlyLabelTime.minusMillis(1), K).neighbours())
                .extracting(SimilarCase::transactionId).doesNotContain("tx-early");
        assertThat(source.merchant("m-1", T).fraud7d()).isEqualTo(2); // tx-early and tx-3

        List<DeadLetter> letters = deadLetters(3);
        assertThat(letters).allSatisfy(l -> {
            assertThat(l.getStage()).isEqualTo(CaseIndexer.STAGE);
            assertThat(l.getSourceTopic()).isEqualTo(scoresTopic);
            assertThat(l.getApplicationId()).isEqualTo(group);
        });
        Map<String, DeadLetter> byReason = new HashMap<>();
        for (DeadLetter l : letters) {
            String msg = l.getErrorMessage();
            byReason.put(msg.contains("magic byte") ? "garbage" : msg.contains("another feature spec") ? "wrong"
                    : msg.contains("immense term") ? "huge" : msg, l);
        }
        assertThat(byReason).containsOnlyKeys("garbage", "wrong", "huge");
        assertThat(bytes(byReason.get("garbage").getOriginalValue())).isEqualTo(garbage);
        assertThat(byReason.get("huge").getErrorClass()).startsWith("opensearch.");
        assertThat(indexer.counters().deadLettered()).isEqualTo(3);
        assertThat(indexer.counters().recordsRead()).isEqualTo(20);

        // a new instance of the group reads only what came after the last commit
        indexer.close();
        assertThat(indexer.isRunning()).isFalse();
        sendScore(score("tx-4", "m-1", T.minus(Duration.ofDays(2)).plusSeconds(240), vector(DIM, 4))); // replayed
        sendLabel(label("tx-5", true, T.minus(Duration.ofHours(2)), LabelSource.CHARGEBACK));
        CaseIndexer restarted = started(config());
        awaitCommittedToTheEnd();
        index.refresh().join();
        assertThat(restarted.counters().recordsRead()).isEqualTo(2);
        assertThat(restarted.counters().deadLettered()).isZero();
        assertThat(index.count().join()).isEqualTo(12);
        assertThat(document("tx-5").path("label").asText()).isEqualTo("fraud");
        assertThat(endOffset(new TopicPartition(dlqTopic, 0))).isEqualTo(3);
    }

    @Test
    void whileOpenSearchFailsOrIsSlowNothingIsCommittedAndTheIndexerCatchesUpWhenItIsBack() throws Exception {
        index.createIfAbsent(CaseIndex.Settings.singleNode()).join();
        for (int i = 0; i < 20; i++) {
            sendScore(score("tx-" + i, "m-1", T.plusSeconds(i), vector(DIM, i)));
        }
        for (int i = 0; i < 3; i++) {
            sendLabel(label("tx-" + i, true, T.plus(Duration.ofDays(1)), LabelSource.CHARGEBACK));
        }
        FlakyOpenSearch flaky = new FlakyOpenSearch(stack.openSearchUrl(), Duration.ofMillis(2_500));
        toClose.add(flaky);
        CaseIndexerConfig viaProxy = new CaseIndexerConfig(stack.bootstrapServers(), stack.schemaRegistryUrl(),
                flaky.url(), index.name(), group, scoresTopic, labelsTopic, dlqTopic, 500, Duration.ofMillis(200),
                Duration.ofSeconds(1), Duration.ofMillis(50), Duration.ofMillis(400), Duration.ofSeconds(5), SPEC,
                CaseIndex.Settings.singleNode());

        // bulk requests fail: the indexer retries, commits nothing, and still stops promptly
        flaky.mode(FlakyOpenSearch.Mode.FAIL_BULK);
        CaseIndexer first = started(viaProxy);
        await("three retries", () -> first.counters().retries() >= 3);
        assertThat(first.counters().lastError()).get().extracting(CaseIndexerCounters.LastError::message)
                .asString().contains("503");
        assertThat(committed()).isEmpty();
        long before = System.nanoTime();
        first.close();
        assertThat(Duration.ofNanos(System.nanoTime() - before)).isLessThan(viaProxy.closeTimeout());
        assertThat(first.isRunning()).isFalse();
        assertThat(committed()).isEmpty();

        // bulk requests answer after the request timeout: the same
        flaky.mode(FlakyOpenSearch.Mode.SLOW_BULK);
        CaseIndexer second = started(viaProxy);
        await("two retries after timeouts", () -> second.counters().retries() >= 2
                && second.counters().lastError().map(e -> e.message().contains("no answer within")).orElse(false));
        assertThat(committed()).isEmpty();

        // OpenSearch is back: everything is indexed once and committed
        flaky.mode(FlakyOpenSearch.Mode.UP);
        awaitCommittedToTheEnd();
        index.refresh().join();
        assertThat(index.count().join()).isEqualTo(20);
        assertThat(hits("label", "fraud")).isEqualTo(3);
        assertThat(second.counters().recordsRead()).isEqualTo(23);
        assertThat(second.counters().deadLettered()).isZero();
        assertThat(second.isRunning()).isTrue();
    }

    // ---- helpers ----

    CaseIndexerConfig config() {
        return CaseIndexerConfig.defaults(stack.bootstrapServers(), stack.schemaRegistryUrl(), stack.openSearchUrl())
                .withIndexName(index.name())
                .withGroupId(group)
                .withTopics(scoresTopic, labelsTopic, dlqTopic)
                .withTimeouts(Duration.ofMillis(200), Duration.ofSeconds(10), Duration.ofSeconds(10));
    }

    CaseIndexer started(CaseIndexerConfig config) {
        CaseIndexer indexer = new CaseIndexer(config);
        toClose.add(indexer);
        indexer.start();
        return indexer;
    }

    void sendScore(FraudScore score) throws Exception {
        producer.send(new ProducerRecord<>(scoresTopic, score.getCardId(), scoreSerde.encode(scoresTopic, score))).get();
    }

    void sendLabel(FraudLabel label) throws Exception {
        producer.send(new ProducerRecord<>(labelsTopic, label.getCardId(), labelSerde.encode(labelsTopic, label))).get();
    }

    static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("timed out after " + WAIT.toSeconds() + " s waiting for " + what);
            }
            Thread.sleep(100);
        }
    }

    /** Waits until the group has committed every record of both input topics. */
    void awaitCommittedToTheEnd() throws Exception {
        Map<TopicPartition, Long> ends = new HashMap<>();
        for (TopicPartition tp : List.of(new TopicPartition(scoresTopic, 0), new TopicPartition(scoresTopic, 1),
                new TopicPartition(labelsTopic, 0))) {
            long end = endOffset(tp);
            if (end > 0) {
                ends.put(tp, end);
            }
        }
        await("offsets " + ends + " committed by " + group, () -> committed().equals(ends));
    }

    Map<TopicPartition, Long> committed() {
        try {
            Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
            Map<TopicPartition, Long> result = new HashMap<>();
            offsets.forEach((tp, o) -> {
                if (o != null) {
                    result.put(tp, o.offset());
                }
            });
            return result;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    long endOffset(TopicPartition tp) throws Exception {
        return admin.listOffsets(Map.of(tp, OffsetSpec.latest())).partitionResult(tp).get(10, TimeUnit.SECONDS).offset();
    }

    /** The dead-letter topic from its beginning: exactly {@code expected} records. */
    List<DeadLetter> deadLetters(int expected) throws Exception {
        TopicPartition tp = new TopicPartition(dlqTopic, 0);
        assertThat(endOffset(tp)).isEqualTo(expected);
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        List<DeadLetter> letters = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (letters.size() < expected && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    letters.add(deadLetterSerde.decode(dlqTopic, r.value()));
                }
            }
        }
        assertThat(letters).hasSize(expected);
        return letters;
    }

    JsonNode document(String id) {
        return http.send("GET", index.name() + "/_doc/" + id, null).handle((doc, error) -> error == null
                ? doc.path("_source") : com.fasterxml.jackson.databind.node.MissingNode.getInstance()).join();
    }

    long hits(String field, String value) {
        String query = "{\"query\": {\"term\": {\"" + field + "\": \"" + value + "\"}}}";
        return http.send("POST", index.name() + "/_count", query).join().path("count").asLong();
    }

    static byte[] bytes(ByteBuffer buffer) {
        ByteBuffer b = buffer.duplicate();
        byte[] out = new byte[b.remaining()];
        b.get(out);
        return out;
    }
}
