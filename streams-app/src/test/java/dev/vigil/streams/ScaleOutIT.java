package dev.vigil.streams;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.schemas.avro.FraudScore;
import dev.vigil.schemas.avro.Transaction;
import dev.vigil.schemas.serde.AvroSerde;
import dev.vigil.stack.LocalStack;
import dev.vigil.stack.Service;
import dev.vigil.streams.metrics.PipelineMetrics;
import dev.vigil.testkit.SeededModel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A second scorer joins while the first holds read, committed and not yet scored transactions in its batches (a long
 * linger): the partition that moves is handed over cleanly, its new owner reads the range the pending store names and
 * scores it, and every transaction is scored exactly once.
 */
class ScaleOutIT {

    static final Duration WAIT = Duration.ofSeconds(120);

    @TempDir
    Path state;

    @Test
    void aPartitionMovedWithItsBatchUnscoredIsScoredOnceByItsNewOwner() throws Exception {
        LocalStack stack = LocalStack.sharedForTests(Service.KAFKA, Service.SCHEMA_REGISTRY, Service.OPENSEARCH);
        PipelineTopics t = new PipelineTopics(stack, 2);
        List<Transaction> valid = PipelineTopics.simulated(2, 200, 50, 11, 400);
        send(t, valid);
        String applicationId = "it-scale-" + UUID.randomUUID();
        ScoringApp.Config base = ScoringApp.Config.defaults(stack.bootstrapServers(), stack.schemaRegistryUrl(),
                        stack.openSearchUrl(), SeededModel.directory(), state.resolve("first"))
                .withApplicationId(applicationId)
                .withTopics(t.topics)
                .withExtras(t.extras())
                .withCaseIndex("it-cases-" + UUID.randomUUID())
                .withStreamThreads(1);
        // the first scorer holds everything it reads for 30 s: its offsets are committed, its batches unscored
        ScoringApp.Config first = base.withBatching(10_000, Duration.ofSeconds(30));
        ScoringApp.Config second = new ScoringApp.Config(base.bootstrapServers(), base.registryUrl(),
                base.openSearchUrl(), base.caseIndex(), base.modelDir(), base.graph(), base.scorer(), applicationId,
                state.resolve("second"), base.topics(), base.maxBatch(), base.linger(), base.commitInterval(), 1,
                base.context(), base.scoring(), base.replicationFactor(), base.extras(), base.limits(),
                base.cardTokens());
        Set<String> expected = valid.stream().map(Transaction::getTransactionId).collect(Collectors.toSet());
        List<FraudScore> scored;
        long started = System.nanoTime();
        try (ScoringApp a = ScoringApp.create(first, PipelineMetrics.prometheus())) {
            a.start(WAIT);
            awaitCommittedToEnd(stack, applicationId, t.topics.transactions(), 2);
            assertThat(t.readCommitted(t.topics.scores(), b -> 1, read -> false, Duration.ofSeconds(1)))
                    .as("nothing scored yet: the batches wait for their linger").isEmpty();
            try (ScoringApp b = ScoringApp.create(second, PipelineMetrics.prometheus())) {
                b.start(WAIT);
                scored = readScores(t, expected);
            }
        }
        PipelineTopics.assertScoredExactlyOnce(scored, expected,
                "after " + Duration.ofNanos(System.nanoTime() - started).toSeconds() + " s");
    }

    @Test
    void aPartitionMovedToANewThreadOfTheSameScorerIsScoredOnce() throws Exception {
        LocalStack stack = LocalStack.sharedForTests(Service.KAFKA, Service.SCHEMA_REGISTRY, Service.OPENSEARCH);
        PipelineTopics t = new PipelineTopics(stack, 2);
        List<Transaction> valid = PipelineTopics.simulated(2, 200, 50, 11, 400);
        send(t, valid);
        String applicationId = "it-threads-" + UUID.randomUUID();
        ScoringApp.Config config = ScoringApp.Config.defaults(stack.bootstrapServers(), stack.schemaRegistryUrl(),
                        stack.openSearchUrl(), SeededModel.directory(), state)
                .withApplicationId(applicationId)
                .withTopics(t.topics)
                .withExtras(t.extras())
                .withCaseIndex("it-cases-" + UUID.randomUUID())
                .withStreamThreads(1)
                .withBatching(10_000, Duration.ofSeconds(15));
        Set<String> expected = valid.stream().map(Transaction::getTransactionId).collect(Collectors.toSet());
        List<FraudScore> scored;
        long started = System.nanoTime();
        try (ScoringApp app = ScoringApp.create(config, PipelineMetrics.prometheus())) {
            app.start(WAIT);
            awaitCommittedToEnd(stack, applicationId, t.topics.transactions(), 2);
            assertThat(app.streams().addStreamThread()).isPresent();
            scored = readScores(t, expected);
        }
        PipelineTopics.assertScoredExactlyOnce(scored, expected,
                "after " + Duration.ofNanos(System.nanoTime() - started).toSeconds() + " s");
    }

    private static void send(PipelineTopics t, List<Transaction> transactions) {
        try (KafkaProducer<byte[], byte[]> producer = t.producer()) {
            transactions.forEach(tx -> producer.send(t.record(tx)));
            producer.flush();
        }
    }

    /** The scores until every expected transaction has one, then a little longer: a second score would show. */
    private static List<FraudScore> readScores(PipelineTopics t, Set<String> expected) {
        AvroSerde<FraudScore> scores = new AvroSerde<>(FraudScore.class, t.registry);
        t.readCommitted(t.topics.scores(), bytes -> scores.decode(t.topics.scores(), bytes),
                read -> read.stream().map(FraudScore::getTransactionId).collect(Collectors.toSet())
                        .containsAll(expected), WAIT);
        return t.readCommitted(t.topics.scores(), bytes -> scores.decode(t.topics.scores(), bytes),
                read -> read.size() > expected.size(), Duration.ofSeconds(3));
    }

    /** Waits until the scorer's committed offsets reach the end of every input partition. */
    private static void awaitCommittedToEnd(LocalStack stack, String group, String topic, int partitions)
            throws Exception {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
        try (Admin admin = Admin.create(p)) {
            Map<TopicPartition, OffsetSpec> latest = new java.util.HashMap<>();
            for (int i = 0; i < partitions; i++) {
                latest.put(new TopicPartition(topic, i), OffsetSpec.latest());
            }
            Map<TopicPartition, Long> ends = admin.listOffsets(latest).all().get().entrySet().stream()
                    .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (System.nanoTime() < deadline) {
                Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                        .partitionsToOffsetAndMetadata().get();
                if (ends.entrySet().stream().allMatch(e -> committed.get(e.getKey()) != null
                        && committed.get(e.getKey()).offset() >= e.getValue())) {
                    return;
                }
                Thread.sleep(100);
            }
            throw new AssertionError("the first scorer did not commit its input offsets within " + WAIT);
        }
    }
}
