package dev.vigil.streams;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.model.ModelDirectory;
import dev.vigil.model.adapter.Adapter;
import dev.vigil.model.adapter.ReleaseRecords;
import dev.vigil.model.adapter.SigningKeys;
import dev.vigil.model.adapter.UnsignedRelease;
import dev.vigil.model.network.FloatTensor;
import dev.vigil.schemas.avro.AdapterRelease;
import dev.vigil.schemas.avro.DeadLetter;
import dev.vigil.schemas.avro.FraudAlert;
import dev.vigil.schemas.avro.FraudScore;
import dev.vigil.schemas.avro.Transaction;
import dev.vigil.schemas.serde.AvroSerde;
import dev.vigil.stack.LocalStack;
import dev.vigil.stack.Service;
import dev.vigil.streams.metrics.PipelineMetrics;
import dev.vigil.streams.scoring.ContextRetriever;
import dev.vigil.streams.scoring.DecisionPolicy;
import dev.vigil.testkit.SeededModel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The scoring application on the real broker, registry and OpenSearch, with a real (seeded, untrained) model. */
class ScoringAppIT {

    static final Duration WAIT = Duration.ofSeconds(180);

    @TempDir
    Path state;

    @Test
    void scoresEveryValidTransactionExactlyOnceAndDeadLettersWhatItCannotScore() throws Exception {
        LocalStack stack = LocalStack.sharedForTests(Service.KAFKA, Service.SCHEMA_REGISTRY, Service.OPENSEARCH);
        PipelineTopics t = new PipelineTopics(stack, 2);
        List<Transaction> valid = PipelineTopics.simulated(2, 200, 50, 11, 600);
        Transaction sample = valid.get(0);
        Transaction unknownCurrency = Transaction.newBuilder(sample).setTransactionId("bad-currency")
                .setCurrency("XQQ").build();
        try (KafkaProducer<byte[], byte[]> producer = t.producer()) {
            for (Transaction tx : valid) {
                producer.send(t.record(tx));
            }
            producer.send(t.raw(sample.getCardId(), "not avro at all".getBytes(StandardCharsets.UTF_8)));
            producer.send(t.raw("someone-else", t.transactions.encode(t.topics.transactions(), sample)));
            producer.send(t.record(unknownCurrency));
            producer.send(t.raw(sample.getCardId(), null));
            producer.flush();
        }

        PipelineMetrics metrics = PipelineMetrics.prometheus();
        ScoringApp.Config config = ScoringApp.Config.defaults(stack.bootstrapServers(), stack.schemaRegistryUrl(),
                        stack.openSearchUrl(), SeededModel.directory(), state)
                .withApplicationId("it-scorer-" + UUID.randomUUID())
                .withTopics(t.topics)
                .withExtras(t.extras())
                .withCaseIndex("it-cases-" + UUID.randomUUID());
        AvroSerde<FraudScore> scores = new AvroSerde<>(FraudScore.class, t.registry);
        AvroSerde<FraudAlert> alerts = new AvroSerde<>(FraudAlert.class, t.registry);
        AvroSerde<DeadLetter> letters = new AvroSerde<>(DeadLetter.class, t.registry);
        Set<String> expected = valid.stream().map(Transaction::getTransactionId).collect(Collectors.toSet());
        List<FraudScore> scored;
        List<DeadLetter> dead;
        String diagnosis;
        long started = System.nanoTime();
        try (ScoringApp app = ScoringApp.create(config, metrics)) {
            app.start(WAIT);
            // until every valid transaction has a score (not until 600 records: a duplicate must show as one)
            scored = t.readCommitted(t.topics.scores(), b -> scores.decode(t.topics.scores(), b),
                    read -> read.stream().map(FraudScore::getTransactionId).collect(Collectors.toSet())
                            .containsAll(expected), WAIT);
            dead = t.readCommitted(t.topics.dlq(), b -> letters.decode(t.topics.dlq(), b), read -> read.size() >= 4, WAIT);
            // what the scorer itself counted and committed: tells a score never made from one made and not visible
            diagnosis = "the scorer counted " + (long) metrics.registry().counter("vigil.transactions.scored").count()
                    + " scored, health '" + app.health() + "', " + metrics.streamThreadFailures(Duration.ofHours(1))
                    + " thread failures; see streams-app/target/test.log";
        }
        long seconds = Duration.ofNanos(System.nanoTime() - started).toSeconds();

        // every valid transaction exactly once
        Map<String, Integer> counts = PipelineTopics.counts(scored, s -> s.getTransactionId());
        Set<String> missing = new java.util.TreeSet<>(expected);
        missing.removeAll(counts.keySet());
        assertThat(missing).as("valid transactions without a score after %d s (%d scores read; %s; dead letters: %s)",
                seconds, scored.size(), diagnosis,
                dead.stream().map(d -> d.getStage() + ": " + d.getErrorMessage()).toList()).isEmpty();
        assertThat(counts.keySet()).isEqualTo(expected);
        assertThat(counts.entrySet().stream().filter(e -> e.getValue() != 1).map(Map.Entry::getKey).toList())
                .as("transactions scored more than once").isEmpty();

        String base = new ModelDirectory(SeededModel.directory()).baseModelHash().substring(0, 12);
        int inputsBytes = 4 * (16 * 24 + 16 + 42);
        for (FraudScore s : scored) {
            assertThat(s.getScore()).isBetween(0.0, 1.0);
            assertThat(s.getModelVersion()).isEqualTo(base);
            assertThat(s.getAdapterVersion()).isEqualTo("1");
            assertThat(s.getCaseVector()).hasSize(12);
            byte[] inputs = new byte[s.getModelInputs().remaining()];
            s.getModelInputs().duplicate().get(inputs);
            assertThat(inputs).hasSize(inputsBytes);
            assertThat(s.getInputsFingerprint()).isEqualTo(
                    HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(inputs), 0, 16));
            assertThat(s.getScoredTime()).isAfterOrEqualTo(s.getArrivalTime());
            // the context is the scorer's own, loaded before the first payment: never missing, never stale here
            assertThat(s.getContextDegraded()).as("degraded: %s", s.getDegradedReasons()).isFalse();
            assertThat(s.getContextAgeMs()).isNotNull().isBetween(0L, 5_000L);
            if (DecisionPolicy.PASS.equals(s.getDecision())) {
                assertThat(s.getReviewProbability()).isZero();
            } else {
                assertThat(s.getReasons()).isNotEmpty();
            }
        }

        // the alerts topic has exactly the published decisions
        Set<String> published = scored.stream().filter(s -> !DecisionPolicy.PASS.equals(s.getDecision()))
                .map(FraudScore::getTransactionId).collect(Collectors.toSet());
        List<FraudAlert> alerted = t.readCommitted(t.topics.alerts(), b -> alerts.decode(t.topics.alerts(), b),
                read -> read.size() >= published.size(), Duration.ofSeconds(published.isEmpty() ? 2 : 60));
        assertThat(alerted.stream().map(FraudAlert::getTransactionId).collect(Collectors.toSet())).isEqualTo(published);

        // four dead letters, each with its stage and a reason that names the problem
        assertThat(dead).hasSize(4);
        Map<String, String> reasonByStage = dead.stream().collect(Collectors.toMap(
                d -> d.getStage() + ":" + d.getErrorMessage().substring(0, Math.min(12, d.getErrorMessage().length())),
                DeadLetter::getErrorMessage, (a, b) -> a + " | " + b));
        assertThat(dead).allSatisfy(d -> {
            assertThat(d.getSourceTopic()).isEqualTo(t.topics.transactions());
            assertThat(d.getSourceOffset()).isNotNegative();
        });
        assertThat(dead.stream().filter(d -> d.getStage().equals("deserialize")).map(DeadLetter::getErrorMessage))
                .anyMatch(m -> m.contains("cannot read the value"))
                .anyMatch(m -> m.contains("no value"));
        assertThat(dead.stream().filter(d -> d.getStage().equals("validate")).map(DeadLetter::getErrorMessage))
                .anyMatch(m -> m.contains("keyed by card_id"))
                .anyMatch(m -> m.contains("bad-currency") && m.contains("XQQ"));
        assertThat(reasonByStage).isNotEmpty();
        assertThat(metrics.count("vigil.dead.letters", "stage", "deserialize")).isEqualTo(2);
        assertThat(metrics.count("vigil.dead.letters", "stage", "validate")).isEqualTo(2);
        assertThat(metrics.scrape()).contains("vigil_transactions_scored_total").contains("vigil_end_to_end_latency");
    }

    @Test
    void scoresWithItsLocalContextWhenOpenSearchIsDownAndFlagsAContextThatFellBehind() throws Exception {
        LocalStack stack = LocalStack.sharedForTests(Service.KAFKA, Service.SCHEMA_REGISTRY);
        PipelineTopics t = new PipelineTopics(stack, 1);
        List<Transaction> all = PipelineTopics.simulated(3, 100, 50, 5, 240);
        List<Transaction> first = all.subList(0, 120);
        List<Transaction> second = all.subList(120, 240);
        int closedPort;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        PipelineMetrics metrics = PipelineMetrics.prometheus();
        ScoringApp.Config config = ScoringApp.Config.defaults(stack.bootstrapServers(), stack.schemaRegistryUrl(),
                        "http://127.0.0.1:" + closedPort, SeededModel.directory(), state)
                .withApplicationId("it-scorer-" + UUID.randomUUID())
                .withTopics(t.topics)
                .withExtras(t.extras())
                .withContext(ContextRetriever.Options.defaults().withMaxAge(Duration.ofSeconds(1)));
        AvroSerde<FraudScore> scores = new AvroSerde<>(FraudScore.class, t.registry);
        List<FraudScore> scored;
        try (ScoringApp app = ScoringApp.create(config, metrics);
             KafkaProducer<byte[], byte[]> producer = t.producer()) {
            app.start(WAIT);
            first.forEach(tx -> producer.send(t.record(tx)));
            producer.flush();
            scored = t.readCommitted(t.topics.scores(), b -> scores.decode(t.topics.scores(), b),
                    read -> read.size() >= first.size(), WAIT);
            // OpenSearch never answered: the context was loaded from the topics, and nothing waits for OpenSearch
            assertThat(scored).hasSize(first.size()).allSatisfy(s -> {
                assertThat(s.getContextDegraded()).as("degraded: %s", s.getDegradedReasons()).isFalse();
                assertThat(s.getContextAgeMs()).isNotNull().isLessThan(1_000L);
            });
            assertThat(app.context().size()).isGreaterThanOrEqualTo(first.size());

            app.follower().close(); // the context stops following: from now on it only grows older
            Thread.sleep(1_500);
            second.forEach(tx -> producer.send(t.record(tx)));
            producer.flush();
            scored = t.readCommitted(t.topics.scores(), b -> scores.decode(t.topics.scores(), b),
                    read -> read.size() >= all.size(), WAIT);
        }
        Set<String> secondIds = second.stream().map(Transaction::getTransactionId).collect(Collectors.toSet());
        assertThat(scored.stream().filter(s -> secondIds.contains(s.getTransactionId()))).hasSize(second.size())
                .allSatisfy(s -> {
                    assertThat(s.getContextDegraded()).isTrue();
                    assertThat(s.getDegradedReasons()).containsExactly(ContextRetriever.STALE);
                    assertThat(s.getContextAgeMs()).isGreaterThanOrEqualTo(1_500L);
                });
        assertThat(metrics.count("vigil.degraded", "reason", ContextRetriever.STALE)).isEqualTo(second.size());
        assertThat(metrics.scrape()).contains("vigil_context_age_seconds");
    }

    @Test
    void swapsToAVerifiedAdapterBetweenBatchesAndKeepsItWhenABadReleaseFollows() throws Exception {
        LocalStack stack = LocalStack.sharedForTests(Service.KAFKA, Service.SCHEMA_REGISTRY);
        PipelineTopics t = new PipelineTopics(stack, 2);
        java.security.KeyPair trusted = SigningKeys.generate();
        java.security.KeyPair stranger = SigningKeys.generate();
        Path publicKey = state.resolve("adapters.pub");
        SigningKeys.writePublicKey(publicKey, trusted.getPublic());
        List<Transaction> all = PipelineTopics.simulated(2, 200, 50, 21, 800);
        List<Transaction> first = all.subList(0, 400);
        List<Transaction> second = all.subList(400, 800);

        PipelineMetrics metrics = PipelineMetrics.prometheus();
        ScoringApp.Config config = ScoringApp.Config.defaults(stack.bootstrapServers(), stack.schemaRegistryUrl(),
                        null, SeededModel.directory(), state.resolve("streams"))
                .withApplicationId("it-scorer-" + UUID.randomUUID())
                .withTopics(t.topics)
                .withExtras(t.extras().withTrustedKeys(List.of(publicKey)));
        AvroSerde<FraudScore> scores = new AvroSerde<>(FraudScore.class, t.registry);
        AvroSerde<AdapterRelease> releases = new AvroSerde<>(AdapterRelease.class, t.registry, true);
        ModelDirectory model = new ModelDirectory(SeededModel.directory());
        String base = model.baseModelHash();
        try (ScoringApp app = ScoringApp.create(config, metrics);
             KafkaProducer<byte[], byte[]> producer = t.producer()) {
            app.start(WAIT);
            first.forEach(tx -> producer.send(t.record(tx)));
            producer.flush();
            assertThat(t.readCommitted(t.topics.scores(), b -> scores.decode(t.topics.scores(), b),
                    read -> read.size() >= first.size(), WAIT)).hasSize(first.size())
                    .allMatch(s -> s.getAdapterVersion().equals("1"));

            Adapter tuned = SeededModel.constantAdapter(model.adapter(), 0.05f);
            AdapterRelease good = UnsignedRelease.of(tuned, "2", "1", 2, base)
                    .signWith(trusted.getPrivate(), SigningKeys.keyId(trusted.getPublic()));
            AdapterRelease unknownKey = UnsignedRelease.of(SeededModel.constantAdapter(model.adapter(), 9f), "3", "2", 3, base)
                    .signWith(stranger.getPrivate(), SigningKeys.keyId(stranger.getPublic()));
            AdapterRelease tampered = AdapterRelease.newBuilder(UnsignedRelease.of(tuned, "4", "2", 4, base)
                    .signWith(trusted.getPrivate(), SigningKeys.keyId(trusted.getPublic()))).setVersion("4-tampered")
                    .build();
            // each sealed by the key that signed it: the tampered one was altered before it was sealed
            for (AdapterRelease r : List.of(good, unknownKey, tampered)) {
                java.security.KeyPair signer = r == unknownKey ? stranger : trusted;
                producer.send(ReleaseRecords.record(t.adapters, r, releases.encode(t.adapters, r),
                        signer.getPrivate(), SigningKeys.keyId(signer.getPublic())));
            }
            producer.flush();
            long deadline = System.nanoTime() + WAIT.toNanos();
            while ((app.updater().rejectedCount() < 2 || !app.adapters().get().version().equals("2"))
                    && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertThat(app.adapters().get().version()).isEqualTo("2");
            assertThat(app.updater().rejectedCount()).isEqualTo(2);
            assertThat(metrics.count("vigil.adapter.rejections", "reason", "unknown_key")).isEqualTo(1);
            assertThat(metrics.count("vigil.adapter.rejections", "reason", "bad_signature")).isEqualTo(1);
            assertThat(metrics.liveAdapter()).isEqualTo("2");
            assertThat(metrics.scrape()).contains("vigil_adapter_live{version=\"2\"} 1.0");

            second.forEach(tx -> producer.send(t.record(tx)));
            producer.flush();
            List<FraudScore> scored = t.readCommitted(t.topics.scores(), b -> scores.decode(t.topics.scores(), b),
                    read -> read.size() >= all.size(), WAIT);
            Set<String> secondIds = second.stream().map(Transaction::getTransactionId).collect(Collectors.toSet());
            assertThat(scored).hasSize(all.size());
            assertThat(scored.stream().filter(s -> secondIds.contains(s.getTransactionId())))
                    .hasSize(second.size()).allMatch(s -> s.getAdapterVersion().equals("2"));
        }
    }
}
