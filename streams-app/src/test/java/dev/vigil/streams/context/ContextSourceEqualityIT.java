package dev.vigil.streams.context;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.model.context.Case;
import dev.vigil.model.context.CaseLabel;
import dev.vigil.model.context.ContextSource.ContextQuery;
import dev.vigil.model.context.ContextSource.RetrievedContext;
import dev.vigil.model.context.HistoryContextSource;
import dev.vigil.model.context.MerchantContext;
import dev.vigil.model.context.SimilarCases;
import dev.vigil.model.features.FeatureSpec;
import dev.vigil.schemas.avro.FraudLabel;
import dev.vigil.schemas.avro.FraudScore;
import dev.vigil.schemas.registry.SchemaRegistryClient;
import dev.vigil.schemas.serde.AvroSerde;
import dev.vigil.stack.LocalStack;
import dev.vigil.stack.Service;
import dev.vigil.stack.TopicSpec;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The trainer's context source, the OpenSearch one and the scorer's local context (loaded from the index, or following
 * the topics), given the same history, answer every (payment, instant) query the same: merchant context equal,
 * similar cases equal (same neighbours, same order, same similarity).
 */
class ContextSourceEqualityIT {

    static final FeatureSpec SPEC = FeatureSpec.standard();
    static final int K = SPEC.similarK();

    static LocalStack stack;
    static OpenSearchHttp http;
    static CaseIndex index;
    static LabeledHistory history;
    static HistoryContextSource trainer;
    static List<ContextQuery> queries;

    @BeforeAll
    static void loadTheSameHistoryIntoBoth() {
        stack = LocalStack.sharedForTests(Service.KAFKA, Service.SCHEMA_REGISTRY, Service.OPENSEARCH);
        http = new OpenSearchHttp(stack.openSearchUrl());
        index = new CaseIndex(http, "it-cases-" + UUID.randomUUID(), SPEC);
        assertThat(index.createIfAbsent(CaseIndex.Settings.singleNode()).join()).isTrue();
        history = new LabeledHistory(Long.getLong("vigil.it.seed", 42), 400, 40, 6, 20); // -Dvigil.it.seed=N: another history

        trainer = new HistoryContextSource(SPEC.caseVectorDimension());
        history.cases.forEach(trainer::recordTransaction);
        history.labels.forEach(trainer::recordLabel);

        // OpenSearch gets them in another order: some labels before their cases, the rest after, in two bulks each
        int half = history.labels.size() / 2;
        assertThat(index.applyLabels(history.labels.subList(0, half)).join().failures()).isEmpty();
        assertThat(index.upsert(history.cases.subList(0, 200)).join().failures()).isEmpty();
        assertThat(index.upsert(history.cases.subList(200, history.cases.size())).join().failures()).isEmpty();
        assertThat(index.applyLabels(history.labels.subList(half, history.labels.size())).join().failures()).isEmpty();
        index.refresh().join();

        queries = new ArrayList<>();
        Random rng = new Random(Long.getLong("vigil.it.seed", 42) + 7);
        for (Case c : history.cases) {
            Instant t = c.eventTime();
            queries.add(new ContextQuery(c.merchantId(), c.vector(), t, K));
            if (rng.nextInt(4) == 0) { // on window boundaries of an earlier payment
                queries.add(new ContextQuery(c.merchantId(), c.vector(), t.plus(Duration.ofDays(1)), K));
                queries.add(new ContextQuery(c.merchantId(), c.vector(), t.plus(Duration.ofDays(7)), K));
            }
        }
        for (CaseLabel l : history.labels) { // at a label's time, and one millisecond before it
            Case c = history.cases.get(rng.nextInt(history.cases.size()));
            queries.add(new ContextQuery(c.merchantId(), c.vector(), l.labelTime(), K));
            queries.add(new ContextQuery(c.merchantId(), c.vector(), l.labelTime().minusMillis(1), K));
        }
        queries.add(new ContextQuery("merchant-nobody", history.cases.get(0).vector(), LabeledHistory.START, K));
        queries.add(new ContextQuery("merchant-1", new float[SPEC.caseVectorDimension()],
                LabeledHistory.START.plus(Duration.ofDays(25)), K));
    }

    @AfterAll
    static void dropTheIndex() {
        if (index != null) {
            index.delete().join();
        }
    }

    @Test
    void theIndexHoldsEveryCaseAndTheHistoryIsNotTrivial() {
        assertThat(index.count().join()).isEqualTo(history.cases.size());
        assertThat(trainer.fraudCases()).isGreaterThan(60);
        long withFraud = queries.stream().filter(q -> trainer.merchant(q.merchantId(), q.asOf()).fraud7d() > 0).count();
        long withNeighbours = queries.stream().filter(q -> trainer.similar(q.caseVector(), q.asOf(), K).found() == K).count();
        assertThat(withFraud).isGreaterThan(queries.size() / 2);
        assertThat(withNeighbours).isGreaterThan(queries.size() / 2);
        System.out.printf("%d cases, %d labels, %d fraud cases now, %d queries%n", history.cases.size(),
                history.labels.size(), trainer.fraudCases(), queries.size());
    }

    @Test
    void merchantContextIsTheSameAsTheTrainers() {
        OpenSearchContextSource openSearch = new OpenSearchContextSource(http, index);
        for (ContextQuery q : queries) {
            MerchantContext expected = trainer.merchant(q.merchantId(), q.asOf());
            assertThat(openSearch.merchant(q.merchantId(), q.asOf())).as("%s at %s", q.merchantId(), q.asOf())
                    .isEqualTo(expected);
        }
    }

    @Test
    void exactSimilarCasesAreTheSameAsTheTrainers() {
        assertSameSimilarCases(new OpenSearchContextSource(http, index, OpenSearchContextSource.SimilarSearch.EXACT,
                OpenSearchContextSource.DEFAULT_CANDIDATE_MARGIN));
    }

    @Test
    void hnswSimilarCasesAreTheSameAsTheTrainersOnAHistoryThisSize() {
        assertSameSimilarCases(new OpenSearchContextSource(http, index, OpenSearchContextSource.SimilarSearch.HNSW,
                OpenSearchContextSource.DEFAULT_CANDIDATE_MARGIN));
    }

    @Test
    void oneMsearchForManyPaymentsAnswersAsTheSingleQueriesDo() {
        OpenSearchContextSource openSearch = new OpenSearchContextSource(http, index);
        for (int from = 0; from < queries.size(); from += 64) {
            List<ContextQuery> batch = queries.subList(from, Math.min(queries.size(), from + 64));
            List<RetrievedContext> answers = openSearch.retrieve(batch);
            assertThat(answers).hasSize(batch.size());
            for (int i = 0; i < batch.size(); i++) {
                ContextQuery q = batch.get(i);
                assertThat(answers.get(i)).isEqualTo(new RetrievedContext(trainer.merchant(q.merchantId(), q.asOf()),
                        trainer.similar(q.caseVector(), q.asOf(), q.k())));
            }
        }
    }

    @Test
    void theScorersLocalContextLoadedFromTheIndexAnswersAsTheTrainerDoes() throws Exception {
        // topics with nothing on them: everything comes from the cases index
        String prefix = "it-ctx-" + UUID.randomUUID().toString().substring(0, 8) + ".";
        stack.createTopics(List.of(TopicSpec.of(prefix + "scores", 2), TopicSpec.of(prefix + "labels", 1)));
        LocalContext local = new LocalContext(SPEC.caseVectorDimension(), LocalContext.DEFAULT_RETENTION);
        try (ContextFollower follower = follower(prefix, local, index)) {
            assertThat(follower.awaitLoaded(Duration.ofSeconds(60))).as("loaded: %s", follower.lastError()).isTrue();
            assertThat(follower.loadedFromIndex()).isEqualTo(history.cases.size());
            assertSameAnswersAsTheTrainer(local);
        }
    }

    @Test
    void theScorersLocalContextFollowingTheTopicsAnswersAsTheTrainerDoes() throws Exception {
        // no index: the cases and labels arrive as the scorer and the analysts publish them, labels partly first
        String prefix = "it-ctx-" + UUID.randomUUID().toString().substring(0, 8) + ".";
        stack.createTopics(List.of(TopicSpec.of(prefix + "scores", 3), TopicSpec.of(prefix + "labels", 2)));
        SchemaRegistryClient registry = new SchemaRegistryClient(stack.schemaRegistryUrl());
        AvroSerde<FraudScore> scores = new AvroSerde<>(FraudScore.class, registry, true);
        AvroSerde<FraudLabel> labels = new AvroSerde<>(FraudLabel.class, registry, true);
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p, new ByteArraySerializer(),
                new ByteArraySerializer())) {
            int half = history.labels.size() / 2;
            history.labels.subList(0, half).forEach(l -> producer.send(label(prefix, labels, l)));
            history.cases.forEach(c -> producer.send(new ProducerRecord<>(prefix + "scores",
                    c.cardId().getBytes(StandardCharsets.UTF_8), scores.encode(prefix + "scores", scoreOf(c)))));
            history.labels.subList(half, history.labels.size()).forEach(l -> producer.send(label(prefix, labels, l)));
            producer.flush();
        }
        LocalContext local = new LocalContext(SPEC.caseVectorDimension(), LocalContext.DEFAULT_RETENTION);
        try (ContextFollower follower = follower(prefix, local, null)) {
            assertThat(follower.awaitLoaded(Duration.ofSeconds(60))).as("loaded: %s", follower.lastError()).isTrue();
            assertThat(follower.read()).isEqualTo(history.cases.size() + history.labels.size());
            assertThat(follower.skipped()).isZero();
            assertSameAnswersAsTheTrainer(local);
            assertThat(local.ageMillis(System.currentTimeMillis())).isLessThan(5_000);
        }
    }

    private static ContextFollower follower(String prefix, LocalContext local, CaseIndex from) {
        SchemaRegistryClient registry = new SchemaRegistryClient(stack.schemaRegistryUrl());
        return new ContextFollower(new ContextFollower.Config(Map.of("bootstrap.servers", stack.bootstrapServers()),
                prefix + "scores", prefix + "labels", null, from, http, Duration.ofSeconds(30)), local,
                new AvroSerde<>(FraudScore.class, registry, false), new AvroSerde<>(FraudLabel.class, registry, false))
                .start();
    }

    private static void assertSameAnswersAsTheTrainer(LocalContext local) {
        assertThat(local.size()).isEqualTo(history.cases.size());
        assertThat(local.fraudCases()).isEqualTo(trainer.fraudCases());
        for (ContextQuery q : queries) {
            assertThat(local.merchant(q.merchantId(), q.asOf())).as("%s at %s", q.merchantId(), q.asOf())
                    .isEqualTo(trainer.merchant(q.merchantId(), q.asOf()));
            assertThat(local.similar(q.caseVector(), q.asOf(), K)).as("similar cases at %s", q.asOf())
                    .isEqualTo(trainer.similar(q.caseVector(), q.asOf(), K));
        }
        List<RetrievedContext> batch = local.retrieve(queries.subList(0, 64));
        for (int i = 0; i < 64; i++) {
            ContextQuery q = queries.get(i);
            assertThat(batch.get(i)).isEqualTo(new RetrievedContext(trainer.merchant(q.merchantId(), q.asOf()),
                    trainer.similar(q.caseVector(), q.asOf(), K)));
        }
    }

    /** A score as the scorer writes it, for the case (what matters here: ids, merchant, event time, vector). */
    private static FraudScore scoreOf(Case c) {
        List<Float> vector = new ArrayList<>();
        for (float v : c.vector()) {
            vector.add(v);
        }
        return FraudScore.newBuilder().setTransactionId(c.transactionId()).setCardId(c.cardId())
                .setMerchantId(c.merchantId()).setEventTime(c.eventTime()).setAmountMinor(c.amountMinor())
                .setCurrency(c.currency()).setScore(0.01).setAlerted(false).setDecision("pass").setModelVersion("m")
                .setAdapterVersion("1").setArrivalTime(c.eventTime()).setScoredTime(c.eventTime())
                .setInferenceMicros(1).setRetrievalMicros(1).setReviewProbability(0).setInputsFingerprint("f")
                .setCaseVector(vector).build();
    }

    private static ProducerRecord<byte[], byte[]> label(String prefix, AvroSerde<FraudLabel> serde, CaseLabel l) {
        FraudLabel label = FraudLabel.newBuilder().setTransactionId(l.transactionId()).setCardId("card")
                .setIsFraud(l.isFraud()).setSource(l.source()).setLabeledBy("it").setLabeledTime(l.labelTime())
                .build();
        return new ProducerRecord<>(prefix + "labels", "card".getBytes(StandardCharsets.UTF_8),
                serde.encode(prefix + "labels", label));
    }

    private static void assertSameSimilarCases(OpenSearchContextSource openSearch) {
        for (ContextQuery q : queries) {
            SimilarCases expected = trainer.similar(q.caseVector(), q.asOf(), K);
            SimilarCases actual = openSearch.similar(q.caseVector(), q.asOf(), K);
            // the similarities are recomputed from the stored vectors, so they are equal, not just close
            assertThat(actual).as("similar cases at %s", q.asOf()).isEqualTo(expected);
        }
        // and OpenSearch's own scores, converted back to cosines, agree with them to float precision
        assertThat(openSearch.largestScoreDeviation()).isPositive().isLessThan(1e-5);
        System.out.printf("%s: largest |cos from score - cos| = %.2e%n", openSearch.search(),
                openSearch.largestScoreDeviation());
    }
}
