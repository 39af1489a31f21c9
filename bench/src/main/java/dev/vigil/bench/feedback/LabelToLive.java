package dev.vigil.bench.feedback;

import dev.vigil.feedback.FeedbackConfig;
import dev.vigil.feedback.FeedbackLoop;
import dev.vigil.model.ModelDirectory;
import dev.vigil.model.adapter.SigningKeys;
import dev.vigil.schemas.Topics;
import dev.vigil.schemas.avro.FraudLabel;
import dev.vigil.schemas.avro.FraudScore;
import dev.vigil.schemas.avro.LabelSource;
import dev.vigil.schemas.avro.Transaction;
import dev.vigil.schemas.csv.CsvTransaction;
import dev.vigil.schemas.registry.SchemaRegistryClient;
import dev.vigil.schemas.serde.AvroSerde;
import dev.vigil.simulator.replay.TransactionReplayer;
import dev.vigil.stack.LocalStack;
import dev.vigil.stack.Service;
import dev.vigil.stack.StackOptions;
import dev.vigil.stack.TopicSpec;
import dev.vigil.stack.files.FileTree;
import dev.vigil.streams.ScoringApp;
import dev.vigil.streams.metrics.PipelineMetrics;
import dev.vigil.streams.scoring.DecisionPolicy;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The online half of {@code ./vigil bench feedback}: from a burst of labels to the new adapter live in the real
 * scorer. An embedded broker and schema registry (no OpenSearch: the scorer runs without retrieval), the real
 * {@link ScoringApp} trusting a freshly generated key, the real {@link FeedbackLoop} signing with it and running a
 * cycle after exactly the burst's number of labels. Payments go through the scorer so that {@code fraud.scores} holds
 * the decisions; once the loop has read them, the burst is published (an analyst label for every alerted or reviewed
 * transaction, a chargeback for every passed fraud) and the clock runs from the last label acknowledged by the broker
 * to {@code app.adapters().get().version()} changing, or to the gate refusing the candidate (reported as such).
 */
final class LabelToLive {

    /**
     * What one measurement saw.
     *
     * @param seconds from the last label acknowledged to the outcome; NaN if neither came within the timeout
     * @param outcome "live" (the scorer swapped), "refused" / "skipped" (the loop's cycle decided so), or "timeout"
     */
    record Result(double seconds, String outcome, int payments, long scored, int labels, int frauds,
            String versionBefore, String versionAfter, String loopOutcome) {}

    private static final Duration WAIT_SCORES = Duration.ofSeconds(120);
    private static final Duration WAIT_LOOP_READY = Duration.ofSeconds(120);

    private LabelToLive() {}

    static Result measure(ModelDirectory model, List<CsvTransaction> payments, Duration timeout, PrintWriter out)
            throws Exception {
        Path work = Files.createTempDirectory("vigil-bench-feedback-");
        out.println("label-to-live: starting an embedded broker and schema registry in " + work + " ...");
        out.flush();
        try (LocalStack stack = LocalStack.start(StackOptions.in(work.resolve("stack")).withWipe(true)
                .withServices(Service.KAFKA, Service.SCHEMA_REGISTRY))) {
            stack.createTopics(Topics.ALL.stream().map(t -> new TopicSpec(t.name(), t.partitions(), t.compacted()))
                    .toList());
            SchemaRegistryClient registry = new SchemaRegistryClient(stack.schemaRegistryUrl());
            Topics.registerValueSchemas(registry);
            KeyPair keys = SigningKeys.generate();
            Path publicKey = work.resolve("adapters.pub");
            SigningKeys.writePublicKey(publicKey, keys.getPublic());

            ScoringApp app = ScoringApp.create(ScoringApp.Config.defaults(stack.bootstrapServers(),
                            stack.schemaRegistryUrl(), null, model.root(), work.resolve("streams-state"))
                    .withExtras(ScoringApp.Extras.defaults().withTrustedKeys(List.of(publicKey))
                            .withCaseIndexer(false)), PipelineMetrics.prometheus());
            try {
                app.start(Duration.ofMinutes(2));
                return measure(stack, registry, app, model, keys, payments, timeout, out);
            } finally {
                app.close();
            }
        } finally {
            FileTree.delete(work);
        }
    }

    private static Result measure(LocalStack stack, SchemaRegistryClient registry, ScoringApp app,
            ModelDirectory model, KeyPair keys, List<CsvTransaction> payments, Duration timeout, PrintWriter out)
            throws Exception {
        AvroSerde<Transaction> transactionSerde = new AvroSerde<>(Transaction.class, registry, false);
        AvroSerde<FraudScore> scoreSerde = new AvroSerde<>(FraudScore.class, registry, false);
        AvroSerde<FraudLabel> labelSerde = new AvroSerde<>(FraudLabel.class, registry, false);
        long t = System.nanoTime();
        try (KafkaProducer<byte[], byte[]> producer = producer(stack)) {
            for (CsvTransaction row : payments) {
                producer.send(new ProducerRecord<>(Topics.TRANSACTIONS, bytes(row.cardId()),
                        transactionSerde.encode(Topics.TRANSACTIONS, TransactionReplayer.toTransaction(row))));
            }
        }
        Map<String, FraudScore> scores = readScores(stack, scoreSerde, payments.size());
        out.printf(Locale.ROOT, "label-to-live: scorer (adapter %s) scored %,d of %,d payments in %.1f s%n",
                app.adapters().get().version(), scores.size(), payments.size(), (System.nanoTime() - t) / 1e9);
        out.flush();

        // the burst: what the analysts and the issuers would say about these decisions
        List<FraudLabel> burst = new ArrayList<>();
        int frauds = 0;
        for (CsvTransaction row : payments) {
            FraudScore score = scores.get(row.transactionId());
            if (score == null) {
                continue;
            }
            boolean sent = !DecisionPolicy.PASS.equals(score.getDecision());
            if (sent || row.isFraud()) {
                LabelSource source = sent ? LabelSource.ANALYST : LabelSource.CHARGEBACK;
                burst.add(FraudLabel.newBuilder().setTransactionId(row.transactionId()).setCardId(row.cardId())
                        .setIsFraud(row.isFraud()).setSource(source)
                        .setLabeledBy(sent ? "analyst-1" : "issuer")
                        .setLabeledTime(row.eventTime().plus(Duration.ofHours(1))).build());
                frauds += row.isFraud() ? 1 : 0;
            }
        }
        burst.sort(Comparator.comparing(FraudLabel::getLabeledTime));
        if (burst.isEmpty()) {
            return new Result(Double.NaN, "no labels", payments.size(), scores.size(), 0, 0,
                    app.adapters().get().version(), app.adapters().get().version(), "none");
        }

        // the path from labels to a live adapter, with the gate's evidence requirement off and its minimums at 20
        // labels and 2 frauds: one day's burst is too small a holdout to show a candidate better in 90% of resamples
        // (or to reach the default 200 labels and 30 frauds), and a refusal would time nothing
        FeedbackConfig defaults = FeedbackConfig.defaults(stack.bootstrapServers(), stack.schemaRegistryUrl(), model,
                keys.getPrivate(), keys.getPublic());
        FeedbackConfig config = defaults.withCadence(burst.size(), Duration.ofHours(1))
                .withLearning(defaults.minTrain(), defaults.reward(), defaults.weights(), defaults.update(),
                        defaults.gate().withEvidence(0).withMinimums(20, 2));
        FeedbackLoop loop = new FeedbackLoop(config);
        Throwable[] failure = new Throwable[1];
        Thread thread = new Thread(() -> {
            try {
                loop.run();
            } catch (Throwable e) {
                failure[0] = e;
            }
        }, "bench-feedback-loop");
        thread.setDaemon(true);
        thread.start();
        try {
            long ready = System.nanoTime() + WAIT_LOOP_READY.toNanos();
            while (loop.stats().decisionsRead() < scores.size() && thread.isAlive() && System.nanoTime() < ready) {
                Thread.sleep(50);
            }
            Thread.sleep(1000); // past its start-up: the labels consumer is polling
            String before = app.adapters().get().version();
            out.printf(Locale.ROOT, "label-to-live: feedback loop read %,d decisions; publishing a burst of %,d labels "
                    + "(%,d frauds), a cycle every %,d labels%n", loop.stats().decisionsRead(), burst.size(), frauds,
                    burst.size());
            out.flush();

            try (KafkaProducer<byte[], byte[]> producer = producer(stack)) {
                for (FraudLabel label : burst) {
                    producer.send(new ProducerRecord<>(Topics.LABELS, bytes(label.getCardId()),
                            labelSerde.encode(Topics.LABELS, label)));
                }
                producer.flush();
            }
            long sent = System.nanoTime();
            long deadline = sent + timeout.toNanos();
            String outcome = "timeout";
            while (System.nanoTime() < deadline && thread.isAlive()) {
                if (!app.adapters().get().version().equals(before)) {
                    outcome = "live";
                    break;
                }
                FeedbackLoop.Stats s = loop.stats();
                if (s.refused() > 0 || s.skipped() > 0) {
                    outcome = s.refused() > 0 ? "refused" : "skipped";
                    break;
                }
                Thread.sleep(10);
            }
            double seconds = outcome.equals("timeout") ? Double.NaN : (System.nanoTime() - sent) / 1e9;
            if (failure[0] != null) {
                outcome = "loop failed: " + failure[0];
            }
            return new Result(seconds, outcome, payments.size(), scores.size(), burst.size(), frauds, before,
                    app.adapters().get().version(), loop.stats().lastOutcome());
        } finally {
            loop.stop();
            thread.join(30_000);
        }
    }

    /** The scores of the payments sent, by transaction id (read_committed, until all are there or the wait ends). */
    private static Map<String, FraudScore> readScores(LocalStack stack, AvroSerde<FraudScore> serde, int expected) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "bench-feedback-scores-" + UUID.randomUUID());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        Map<String, FraudScore> scores = new HashMap<>();
        long deadline = System.nanoTime() + WAIT_SCORES.toNanos();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(Topics.SCORES));
            while (scores.size() < expected && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    FraudScore s = serde.decode(Topics.SCORES, r.value());
                    scores.put(s.getTransactionId(), s);
                }
            }
        }
        return scores;
    }

    private static KafkaProducer<byte[], byte[]> producer(LocalStack stack) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        return new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
