package dev.vigil.feedback;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.feedback.gate.GateOptions;
import dev.vigil.feedback.update.ImportanceWeights;
import dev.vigil.feedback.update.RewardModel;
import dev.vigil.feedback.update.UpdateOptions;
import dev.vigil.model.ModelDirectory;
import dev.vigil.model.adapter.SigningKeys;
import dev.vigil.model.scoring.OnnxScorer;
import dev.vigil.schemas.avro.AdapterRelease;
import dev.vigil.schemas.avro.FraudLabel;
import dev.vigil.schemas.avro.FraudScore;
import dev.vigil.schemas.avro.GateOutcome;
import dev.vigil.schemas.avro.LabelSource;
import dev.vigil.schemas.registry.SchemaRegistryClient;
import dev.vigil.schemas.serde.AvroSerde;
import dev.vigil.stack.LocalStack;
import dev.vigil.stack.Service;
import dev.vigil.stack.TopicSpec;
import dev.vigil.model.adapter.AdapterVerifier;
import dev.vigil.model.adapter.LiveAdapter;
import dev.vigil.testkit.SeededModel;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The loop on a real broker and registry: scores and labels in, one cycle, a signed release that the scorer's own
 * verifier accepts; a restart publishes nothing again; labels of unknown transactions are counted; a rollback.
 */
class FeedbackLoopIT {

    @TempDir
    Path keys;

    @Test
    void publishesOneVerifiedReleaseAndNotAgainAfterARestart() throws Exception {
        LocalStack stack = LocalStack.sharedForTests(Service.KAFKA, Service.SCHEMA_REGISTRY);
        LoopTopics topics = LoopTopics.create(stack, 2);
        String scoresTopic = topics.scores();
        String labelsTopic = topics.labels();
        String adaptersTopic = topics.adapters();
        String gateTopic = topics.gate();
        SchemaRegistryClient registry = new SchemaRegistryClient(stack.schemaRegistryUrl());
        AvroSerde<FraudScore> scoreSerde = new AvroSerde<>(FraudScore.class, registry);
        AvroSerde<FraudLabel> labelSerde = new AvroSerde<>(FraudLabel.class, registry);
        AvroSerde<AdapterRelease> releaseSerde = new AvroSerde<>(AdapterRelease.class, registry);

        ModelDirectory model = SeededModel.modelDirectory();
        String baseHash = model.baseModelHash();
        String modelId = baseHash.substring(0, 12);
        KeyPair pair = SigningKeys.generate();
        SigningKeys.writePrivateKey(keys.resolve("adapters.key"), pair.getPrivate());
        SigningKeys.writePublicKey(keys.resolve("adapters.pub"), pair.getPublic());

        // 600 decisions; labels for every reviewed one and every passed fraud; 5 labels of unknown transactions
        List<SyntheticDecisions.Example> examples = SyntheticDecisions.generate(model.networkConfig(), 600, 0.2, 5,
                modelId, Instant.parse("2026-02-01T00:00:00Z"));
        List<FraudLabel> labels = new ArrayList<>();
        for (SyntheticDecisions.Example e : examples) {
            if (e.decision().reviewed() || e.fraud()) {
                labels.add(label(e.decision().transactionId(), e.decision().cardId(), e.fraud(), e.source(),
                        e.decision().eventTime().plusSeconds(1800)));
            }
        }
        for (int i = 0; i < 5; i++) {
            labels.add(label("unknown-" + i, "card-x", true, LabelSource.CHARGEBACK,
                    Instant.parse("2026-02-01T23:00:00Z")));
        }
        try (KafkaProducer<byte[], byte[]> producer = producer(stack)) {
            for (SyntheticDecisions.Example e : examples) {
                producer.send(new ProducerRecord<>(scoresTopic, bytes(e.decision().cardId()),
                        scoreSerde.encode(scoresTopic, score(e))));
            }
            for (FraudLabel l : labels) {
                producer.send(new ProducerRecord<>(labelsTopic, bytes(l.getCardId()), labelSerde.encode(labelsTopic, l)));
            }
        }

        FeedbackConfig config = FeedbackConfig.defaults(stack.bootstrapServers(), stack.schemaRegistryUrl(), model,
                        pair.getPrivate(), pair.getPublic())
                .withTopics(scoresTopic, labelsTopic, adaptersTopic, gateTopic)
                .withCadence(labels.size(), Duration.ofHours(1))
                .withLearning(50, RewardModel.defaults(), ImportanceWeights.defaults(),
                        new UpdateOptions(3, 32, 5e-3f, 1.0, 7), GateOptions.defaults().withTolerance(0.05, 0.05)
                                .withMinimums(20, 2));

        // first run: one cycle over every label
        FeedbackLoop.Stats first = runUntil(config, s -> s.cycles() >= 1, Duration.ofMinutes(3), Duration.ZERO);
        assertThat(first.labelsUnknown()).isEqualTo(5);
        assertThat(first.labelsJoined()).isEqualTo(labels.size() - 5);
        assertThat(first.published()).as(first.lastOutcome()).isEqualTo(1);

        List<AdapterRelease> releases = readReleases(stack, adaptersTopic, releaseSerde);
        assertThat(releases).hasSize(1);
        AdapterRelease release = releases.get(0);
        System.out.println("release " + release.getVersion() + " metrics " + new java.util.TreeMap<>(release.getMetrics())
                + " note " + release.getNote());
        assertThat(release.getSequence()).isEqualTo(2);
        assertThat(release.getVersion()).isEqualTo("2");
        assertThat(release.getParentVersion()).isEqualTo("1");
        assertThat(release.getBaseModelHash()).isEqualTo(baseHash);
        assertThat(release.getSignerKeyId()).isEqualTo(SigningKeys.keyId(pair.getPublic()));
        assertThat(release.getMetrics()).containsKeys("holdout_ap", "holdout_ap_live", "holdout_cp_at_k",
                "holdout_cp_at_k_live", "train_labels");
        // the gate's verdict, in the same transaction: promoted, with the release's numbers
        AvroSerde<GateOutcome> gateSerde = new AvroSerde<>(GateOutcome.class, registry);
        List<GateOutcome> verdicts = readAll(stack, gateTopic, gateSerde);
        assertThat(verdicts).hasSize(1);
        assertThat(verdicts.get(0).getOutcome()).isEqualTo("promoted");
        assertThat(verdicts.get(0).getLiveVersion()).isEqualTo("1");
        assertThat(verdicts.get(0).getReleaseVersion()).isEqualTo("2");
        assertThat(verdicts.get(0).getBaseModelHash()).isEqualTo(baseHash);
        assertThat(verdicts.get(0).getMetrics()).isEqualTo(release.getMetrics());
        assertThat(verdicts.get(0).getReason()).contains("AP").contains("holdout labels");

        // the scorer's own verifier accepts it over the model's first adapter
        OnnxScorer.initEngine();
        LiveAdapter firstAdapter = new LiveAdapter("1", 1, model.adapter());
        AdapterVerifier verifier = AdapterVerifier.forModel(model, List.of(pair.getPublic()), () -> firstAdapter);
        LiveAdapter accepted = verifier.verify(release);
        assertThat(accepted.version()).isEqualTo("2");

        // a restart resumes from the committed offsets: nothing new to learn, nothing published again
        FeedbackLoop.Stats second = runUntil(config.withCadence(1, Duration.ofSeconds(1)),
                s -> s.labelsRead() >= labels.size(), Duration.ofMinutes(2), Duration.ofSeconds(4));
        assertThat(second.newLabels()).isZero();
        assertThat(second.cycles()).isZero();
        assertThat(readReleases(stack, adaptersTopic, releaseSerde)).hasSize(1);
        assertThat(readAll(stack, gateTopic, gateSerde)).hasSize(1);

        // adapters list and a rollback to the model's first adapter, through the command
        String[] connection = {"--bootstrap-servers", stack.bootstrapServers(), "--schema-registry",
                stack.schemaRegistryUrl(), "--adapters-topic", adaptersTopic,
                "--trusted-key", keys.resolve("adapters.pub").toString()};
        assertThat(new CommandLine(new AdaptersCommand()).execute(concat(new String[] {"list"}, connection)))
                .isZero();
        assertThat(new CommandLine(new AdaptersCommand()).execute(concat(new String[] {"rollback", "1",
                "--signing-key", keys.resolve("adapters.key").toString(), "--model", model.root().toString()},
                connection))).isZero();
        List<AdapterRelease> after = readReleases(stack, adaptersTopic, releaseSerde);
        assertThat(after).hasSize(2);
        AdapterRelease rollback = after.get(1);
        assertThat(rollback.getVersion()).isEqualTo("1");
        assertThat(rollback.getSequence()).isEqualTo(3);
        assertThat(rollback.getParentVersion()).isEqualTo("2");
        AdapterVerifier afterSwap = AdapterVerifier.forModel(model, List.of(pair.getPublic()), () -> accepted);
        assertThat(afterSwap.verify(rollback).adapter()).isEqualTo(model.adapter());
    }

    @Test
    void aRefusedCandidateIsPublishedOnTheGateTopicWithItsNumbersAndNoRelease() throws Exception {
        LocalStack stack = LocalStack.sharedForTests(Service.KAFKA, Service.SCHEMA_REGISTRY);
        LoopTopics topics = LoopTopics.create(stack, 1);
        SchemaRegistryClient registry = new SchemaRegistryClient(stack.schemaRegistryUrl());
        AvroSerde<FraudScore> scoreSerde = new AvroSerde<>(FraudScore.class, registry);
        AvroSerde<FraudLabel> labelSerde = new AvroSerde<>(FraudLabel.class, registry);
        ModelDirectory model = SeededModel.modelDirectory();
        KeyPair pair = SigningKeys.generate();
        List<SyntheticDecisions.Example> examples = SyntheticDecisions.generate(model.networkConfig(), 600, 0.2, 5,
                model.baseModelHash().substring(0, 12), Instant.parse("2026-02-01T00:00:00Z"));
        int labels;
        try (KafkaProducer<byte[], byte[]> producer = producer(stack)) {
            labels = sendDecisions(producer, topics, scoreSerde, labelSerde, examples, Duration.ofMinutes(30));
        }
        // a gate a barely trained candidate cannot pass: no worse at all, and better in 99.9% of the resamples
        FeedbackConfig config = FeedbackConfig.defaults(stack.bootstrapServers(), stack.schemaRegistryUrl(), model,
                        pair.getPrivate(), pair.getPublic())
                .withTopics(topics.scores(), topics.labels(), topics.adapters(), topics.gate())
                .withCadence(labels, Duration.ofHours(1))
                .withLearning(50, RewardModel.defaults(), ImportanceWeights.defaults(),
                        new UpdateOptions(1, 32, 1e-4f, 1.0, 7), GateOptions.defaults().withTolerance(0, 0)
                                .withEvidence(0.999).withMinimums(20, 2));
        FeedbackLoop.Stats stats = runUntil(config, s -> s.cycles() >= 1, Duration.ofMinutes(3), Duration.ZERO);
        assertThat(stats.refused()).as(stats.lastOutcome()).isEqualTo(1);

        List<GateOutcome> verdicts = readAll(stack, topics.gate(), new AvroSerde<>(GateOutcome.class, registry));
        assertThat(verdicts).hasSize(1);
        GateOutcome refused = verdicts.get(0);
        assertThat(refused.getOutcome()).isEqualTo("refused");
        assertThat(refused.getLiveVersion()).isEqualTo("1");
        assertThat(refused.getReleaseVersion()).isNull();
        assertThat(refused.getReason()).isEqualTo(stats.lastOutcome().substring("refused: ".length()));
        assertThat(refused.getMetrics()).containsKeys("holdout_ap", "holdout_ap_live", "holdout_cp_at_k",
                "holdout_cp_at_k_live", "holdout_labels", "train_labels");
        assertThat(readReleases(stack, topics.adapters(), new AvroSerde<>(AdapterRelease.class, registry))).isEmpty();
    }

    @Test
    void labelsARecordedReleaseConsumedAreNotLearnedAgainWhenTheGroupsOffsetsAreGone() throws Exception {
        LocalStack stack = LocalStack.sharedForTests(Service.KAFKA, Service.SCHEMA_REGISTRY);
        LoopTopics topics = LoopTopics.create(stack, 1);
        String scoresTopic = topics.scores();
        String labelsTopic = topics.labels();
        String adaptersTopic = topics.adapters();
        String gateTopic = topics.gate();
        SchemaRegistryClient registry = new SchemaRegistryClient(stack.schemaRegistryUrl());
        AvroSerde<FraudScore> scoreSerde = new AvroSerde<>(FraudScore.class, registry);
        AvroSerde<FraudLabel> labelSerde = new AvroSerde<>(FraudLabel.class, registry);
        AvroSerde<AdapterRelease> releaseSerde = new AvroSerde<>(AdapterRelease.class, registry);
        ModelDirectory model = SeededModel.modelDirectory();
        KeyPair pair = SigningKeys.generate();

        List<SyntheticDecisions.Example> examples = SyntheticDecisions.generate(model.networkConfig(), 300, 0.2, 9,
                model.baseModelHash().substring(0, 12), Instant.parse("2026-03-01T00:00:00Z"));
        int labelCount;
        try (KafkaProducer<byte[], byte[]> producer = producer(stack)) {
            labelCount = sendDecisions(producer, topics, scoreSerde, labelSerde, examples, Duration.ofMinutes(10));
            // a release made from every one of these labels, e.g. before the group's offsets expired
            AdapterRelease earlier = dev.vigil.model.adapter.UnsignedRelease.of(model.adapter(), "2", "1", 2,
                            model.baseModelHash())
                    .withNote("{\"made_by\":\"feedback-rl\",\"labels_topic\":\"" + labelsTopic
                            + "\",\"labels_through\":{\"0\":" + labelCount + "}}")
                    .signWith(pair.getPrivate(), SigningKeys.keyId(pair.getPublic()));
            producer.send(dev.vigil.model.adapter.ReleaseRecords.record(adaptersTopic, earlier,
                    releaseSerde.encode(adaptersTopic, earlier), pair.getPrivate(), SigningKeys.keyId(pair.getPublic())));
        }
        int labels = labelCount;
        FeedbackConfig config = FeedbackConfig.defaults(stack.bootstrapServers(), stack.schemaRegistryUrl(), model,
                        pair.getPrivate(), pair.getPublic())
                .withTopics(scoresTopic, labelsTopic, adaptersTopic, gateTopic)
                .withCadence(1, Duration.ofSeconds(1));
        FeedbackLoop.Stats stats = runUntil(config, s -> s.labelsRead() >= labels, Duration.ofMinutes(2),
                Duration.ofSeconds(3));
        assertThat(stats.newLabels()).isZero();
        assertThat(stats.cycles()).isZero();
        assertThat(readReleases(stack, adaptersTopic, releaseSerde)).hasSize(1);
    }

    /** A test's own topics for one loop, created on the shared stack. */
    record LoopTopics(String scores, String labels, String adapters, String gate) {
        static LoopTopics create(LocalStack stack, int scorePartitions) {
            String prefix = "it-" + UUID.randomUUID().toString().substring(0, 8) + ".";
            LoopTopics t = new LoopTopics(prefix + "scores", prefix + "labels", prefix + "adapters", prefix + "gate");
            stack.createTopics(List.of(TopicSpec.of(t.scores, scorePartitions), TopicSpec.of(t.labels, 1),
                    TopicSpec.compacted(t.adapters, 1), TopicSpec.of(t.gate, 1)));
            return t;
        }
    }

    /**
     * Sends each decision's score and, for each reviewed or fraudulent one, its label {@code labelDelay} after the
     * payment; returns how many labels.
     */
    static int sendDecisions(KafkaProducer<byte[], byte[]> producer, LoopTopics t, AvroSerde<FraudScore> scoreSerde,
            AvroSerde<FraudLabel> labelSerde, List<SyntheticDecisions.Example> examples, Duration labelDelay) {
        int labels = 0;
        for (SyntheticDecisions.Example e : examples) {
            producer.send(new ProducerRecord<>(t.scores(), bytes(e.decision().cardId()),
                    scoreSerde.encode(t.scores(), score(e))));
            if (e.decision().reviewed() || e.fraud()) {
                FraudLabel l = label(e.decision().transactionId(), e.decision().cardId(), e.fraud(), e.source(),
                        e.decision().eventTime().plus(labelDelay));
                producer.send(new ProducerRecord<>(t.labels(), bytes(l.getCardId()), labelSerde.encode(t.labels(), l)));
                labels++;
            }
        }
        return labels;
    }

    /** Runs a loop in a thread until {@code done} holds (then {@code linger} longer), stops it, returns its stats. */
    static FeedbackLoop.Stats runUntil(FeedbackConfig config, java.util.function.Predicate<FeedbackLoop.Stats> done,
            Duration timeout, Duration linger) throws Exception {
        FeedbackLoop loop = new FeedbackLoop(config);
        Throwable[] failure = new Throwable[1];
        Thread thread = new Thread(() -> {
            try {
                loop.run();
            } catch (Throwable t) {
                failure[0] = t;
            }
        }, "feedback-it");
        thread.start();
        long deadline = System.nanoTime() + timeout.toNanos();
        BooleanSupplier finished = () -> done.test(loop.stats()) || !thread.isAlive();
        while (!finished.getAsBoolean() && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        Thread.sleep(linger.toMillis());
        loop.stop();
        thread.join(30_000);
        if (failure[0] != null) {
            throw new AssertionError("the loop failed", failure[0]);
        }
        assertThat(done.test(loop.stats())).as("loop reached its goal: " + loop.stats()).isTrue();
        return loop.stats();
    }

    static FraudLabel label(String tx, String card, boolean fraud, LabelSource source, Instant at) {
        return FraudLabel.newBuilder().setTransactionId(tx).setCardId(card).setIsFraud(fraud).setSource(source)
                .setLabeledBy(source == LabelSource.ANALYST ? "analyst-1" : "issuer").setLabeledTime(at).build();
    }

    static FraudScore score(SyntheticDecisions.Example e) {
        var d = e.decision();
        return FraudScore.newBuilder().setTransactionId(d.transactionId()).setCardId(d.cardId())
                .setMerchantId("m-1").setEventTime(d.eventTime()).setAmountMinor(d.amountMinor())
                .setCurrency(d.currency()).setScore(d.score()).setAlerted("alert".equals(d.decision()))
                .setDecision(d.decision()).setModelVersion(d.modelVersion()).setAdapterVersion("1")
                .setArrivalTime(d.eventTime()).setScoredTime(d.eventTime()).setInferenceMicros(10)
                .setRetrievalMicros(0).setReviewProbability(d.reviewProbability()).setInputsFingerprint("x")
                .setModelInputs(ByteBuffer.wrap(d.modelInputs())).build();
    }

    static List<AdapterRelease> readReleases(LocalStack stack, String topic, AvroSerde<AdapterRelease> serde) {
        return readAll(stack, topic, serde);
    }

    static <T extends org.apache.avro.specific.SpecificRecord> List<T> readAll(LocalStack stack, String topic,
            AvroSerde<T> serde) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "it-reader-" + UUID.randomUUID());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        List<T> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    out.add(serde.decode(topic, r.value()));
                }
            }
        }
        return out;
    }

    static KafkaProducer<byte[], byte[]> producer(LocalStack stack) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        return new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static String[] concat(String[] a, String[] b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    static boolean exists(Path p) {
        return Files.exists(p);
    }
}
