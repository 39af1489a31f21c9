package dev.vigil.console;

import dev.vigil.schemas.Topics;
import dev.vigil.schemas.avro.FraudAlert;
import dev.vigil.schemas.avro.FraudLabel;
import dev.vigil.schemas.avro.GateOutcome;
import dev.vigil.schemas.avro.Transaction;
import dev.vigil.schemas.registry.SchemaRegistryClient;
import dev.vigil.schemas.serde.AvroSerde;
import dev.vigil.stack.LocalStack;
import dev.vigil.stack.Service;
import dev.vigil.stack.TopicSpec;
import dev.vigil.stack.files.FileTree;
import dev.vigil.streams.ScoringApp;
import dev.vigil.streams.metrics.PipelineMetrics;
import dev.vigil.streams.scoring.BatchScorer;
import dev.vigil.streams.scoring.DecisionPolicy;
import dev.vigil.streams.scoring.ScoringTopology;
import dev.vigil.testkit.SeededModel;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The real pipeline for the console's tests: the shared local stack (broker, registry, OpenSearch on loopback), Vigil's
 * topics with their value schemas registered (as {@code ./vigil topics} does), and the real scorer ({@link ScoringApp}
 * on the seeded, untrained model of testkit, with its local context and its case indexer writing this run's own
 * {@code cases} index). The decision policy alerts on every score above zero, so that an untrained model alerts and
 * every payment goes to the review queue; the scores still rank it.
 *
 * <p>The console reads and writes the standard topics ({@code fraud.scores}, {@code fraud.alerts}, {@code fraud.labels},
 * {@code fraud.adapters}), so the scorer writes there too; its input and dead-letter topics are this run's own. A test
 * on the shared stack may find other tests' records on the standard topics: it looks only at its own ids (every
 * transaction and card id carries the run's id).
 */
final class AlertingPipeline implements AutoCloseable {

    static {
        // what the model module's tests run with (streams-app's pom): DJL offline, one libtorch thread
        System.setProperty("ai.djl.offline", "true");
        System.setProperty("ai.djl.pytorch.num_threads", "1");
        System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
    }

    static final Duration START_WAIT = Duration.ofSeconds(180);
    /** Every payment alerts, whatever the untrained model's scores are; none is left to exploration. */
    static final DecisionPolicy ALERT_EVERYTHING = DecisionPolicy.alertsOnly(1e-9);

    final LocalStack stack;
    /** This run's id: in every transaction id and card id it sends. */
    final String run;
    final ScoringTopology.Topics topics;
    final String caseIndex;
    final SchemaRegistryClient registry;
    private final AvroSerde<Transaction> transactions;
    private final Path state;
    private final ScoringApp scorer;
    private boolean scorerStopped;

    private AlertingPipeline(LocalStack stack, String run, ScoringTopology.Topics topics, String caseIndex, Path state,
                             ScoringApp scorer) {
        this.stack = stack;
        this.run = run;
        this.topics = topics;
        this.caseIndex = caseIndex;
        this.state = state;
        this.scorer = scorer;
        this.registry = new SchemaRegistryClient(stack.schemaRegistryUrl());
        this.transactions = new AvroSerde<>(Transaction.class, registry, true);
    }

    /** Starts the stack (shared per test JVM), creates the topics, registers the schemas and starts the scorer. */
    static AlertingPipeline start() throws IOException, InterruptedException {
        LocalStack stack = LocalStack.sharedForTests(Service.KAFKA, Service.SCHEMA_REGISTRY, Service.OPENSEARCH);
        String run = newRunId();
        String prefix = "console-it-" + run + ".";
        ScoringTopology.Topics topics = new ScoringTopology.Topics(prefix + "transactions", Topics.SCORES,
                Topics.ALERTS, prefix + "dlq");
        List<TopicSpec> specs = new ArrayList<>();
        for (Topics.Spec t : Topics.ALL) {
            specs.add(t.compacted() ? TopicSpec.compacted(t.name(), t.partitions()) : TopicSpec.of(t.name(), t.partitions()));
        }
        specs.add(TopicSpec.of(topics.transactions(), 2));
        specs.add(TopicSpec.of(topics.dlq(), 1));
        stack.createTopics(specs); // the standard ones may exist already (another test on the shared stack)
        SchemaRegistryClient registry = new SchemaRegistryClient(stack.schemaRegistryUrl());
        Topics.registerValueSchemas(registry);
        registry.register(AvroSerde.subject(topics.transactions()), Transaction.getClassSchema());

        Path state = Files.createTempDirectory("vigil-console-it-scorer-");
        String caseIndex = "console-it-cases-" + run;
        ScoringApp.Config config = ScoringApp.Config.defaults(stack.bootstrapServers(), stack.schemaRegistryUrl(),
                        stack.openSearchUrl(), SeededModel.directory(), state)
                .withApplicationId("console-it-scorer-" + run)
                .withTopics(topics)
                .withExtras(ScoringApp.Extras.defaults().withTopics(Topics.ADAPTERS, Topics.LABELS)
                        .withCaseIndexer(true))
                .withCaseIndex(caseIndex)
                .withScoring(new BatchScorer.Options(ALERT_EVERYTHING, 0.0, 3, true));
        ScoringApp app = ScoringApp.create(config, PipelineMetrics.prometheus());
        try {
            app.start(START_WAIT);
        } catch (IOException | InterruptedException | RuntimeException e) {
            app.close();
            deleteQuietly(state);
            throw e;
        }
        return new AlertingPipeline(stack, run, topics, caseIndex, state, app);
    }

    /** A short id that makes this run's transaction and card ids its own. */
    static String newRunId() {
        return UUID.randomUUID().toString().substring(0, 8);
    }

    /**
     * {@code perCard} payments on each of {@code cards} cards (at most 9,000), at {@code merchants} merchants, in the
     * minute before now (all on today's UTC day, the console's "today"), in event-time order. Card ids end in 4
     * distinct digits, so that each masked card ({@code ****-1234}) is distinct.
     */
    List<Transaction> payments(int cards, int perCard, int merchants) {
        if (cards > 9_000) {
            throw new IllegalArgumentException("at most 9,000 cards: their last 4 digits must differ");
        }
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        Instant dayStart = now.truncatedTo(ChronoUnit.DAYS);
        int count = cards * perCard;
        Instant first = now.minusSeconds(60).isBefore(dayStart) ? dayStart : now.minusSeconds(60);
        long stepMillis = Math.max(1, Duration.between(first, now).toMillis() / Math.max(1, count));
        String[] categories = {"grocery", "fuel", "electronics", "travel", "restaurant"};
        List<Transaction> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int card = i % cards;
            int merchant = (i * 7 + card) % merchants;
            long amount = 500 + (i * 7919L % 40_000) + (card % 5 == 0 ? 150_000 : 0); // a few cards spend big
            out.add(Transaction.newBuilder()
                    .setTransactionId("tx-" + run + "-" + String.format("%05d", i))
                    .setEventTime(first.plusMillis(i * stepMillis))
                    .setCardId(String.format("card-%s-%04d", run, 1000 + card))
                    .setMerchantId(String.format("m-%s-%03d", run, merchant))
                    .setAmountMinor(amount)
                    .setCurrency("EUR")
                    .setMerchantCategory(categories[merchant % categories.length])
                    .setCountry(card % 7 == 0 ? "BR" : "FR")
                    .setChannel(i % 3 == 0 ? "online" : "card_present")
                    .setDeviceId(i % 3 == 0 ? "dev-" + card : null)
                    .setLat(null)
                    .setLon(null)
                    .build());
        }
        return out;
    }

    /** Sends the payments onto the transactions topic, keyed by card id, and waits until the broker has them. */
    void send(List<Transaction> payments) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p, new ByteArraySerializer(),
                new ByteArraySerializer())) {
            for (Transaction t : payments) {
                producer.send(new ProducerRecord<>(topics.transactions(),
                        t.getCardId().getBytes(StandardCharsets.UTF_8), transactions.encode(topics.transactions(), t)));
            }
            producer.flush();
        }
    }

    /** Publishes a gate verdict on {@code fraud.gate}, as the feedback loop's cycle does (its transaction aside). */
    void publishVerdict(GateOutcome verdict) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        AvroSerde<GateOutcome> serde = new AvroSerde<>(GateOutcome.class, registry, true);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p, new ByteArraySerializer(),
                new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(Topics.GATE, verdict.getBaseModelHash().getBytes(StandardCharsets.UTF_8),
                    serde.encode(Topics.GATE, verdict)));
            producer.flush();
        }
    }

    /** The alerts the scorer has committed, read until {@code enough} says so or {@code timeout} passes. */
    List<FraudAlert> awaitAlerts(Predicate<List<FraudAlert>> enough, Duration timeout) {
        AvroSerde<FraudAlert> alerts = new AvroSerde<>(FraudAlert.class, registry);
        return readCommitted(Topics.ALERTS, r -> alerts.decode(Topics.ALERTS, r.value()), enough, timeout);
    }

    /** A label as it is on the topic: its key and its value. */
    record KeyedLabel(String key, FraudLabel label) {}

    /**
     * Everything on {@code fraud.labels}, from the beginning to its end, read once {@code first} holds for what was
     * read (or {@code timeout} has passed): so that a label published beside the expected one shows too.
     */
    List<KeyedLabel> labels(Predicate<List<KeyedLabel>> first, Duration timeout) {
        AvroSerde<FraudLabel> labels = new AvroSerde<>(FraudLabel.class, registry);
        return readCommitted(Topics.LABELS, r -> new KeyedLabel(r.key() == null ? null
                : new String(r.key(), StandardCharsets.UTF_8), labels.decode(Topics.LABELS, r.value())), first, timeout);
    }

    /**
     * Reads {@code topic} from the beginning with read_committed until {@code until} holds (or {@code timeout}
     * passes), then on to the end offsets of that moment.
     */
    <T> List<T> readCommitted(String topic, Function<ConsumerRecord<byte[], byte[]>, T> decode,
                              Predicate<List<T>> until, Duration timeout) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "console-it-reader-" + UUID.randomUUID());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        List<T> read = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!until.test(read) && System.nanoTime() < deadline) {
                poll(consumer, decode, read);
            }
            // then to the end: the last stable offsets, as read_committed sees them
            long drainDeadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (consumer.assignment().isEmpty() && System.nanoTime() < drainDeadline) {
                poll(consumer, decode, read);
            }
            Map<TopicPartition, Long> end = consumer.endOffsets(consumer.assignment());
            while (!end.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue())
                    && System.nanoTime() < drainDeadline) {
                poll(consumer, decode, read);
            }
        }
        return read;
    }

    private static <T> void poll(KafkaConsumer<byte[], byte[]> consumer,
                                 Function<ConsumerRecord<byte[], byte[]>, T> decode, List<T> read) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
            read.add(decode.apply(r));
        }
    }

    /** Deletes a temporary directory; a failure is reported, not thrown, so that it hides no test failure. */
    static void deleteQuietly(Path dir) {
        try {
            FileTree.delete(dir);
        } catch (IOException e) {
            System.err.println("cannot delete " + dir + ": " + e);
        }
    }

    /** Stops the scorer (and its case indexer) now; the stack stays up. */
    synchronized void stopScorer() {
        if (!scorerStopped) {
            scorerStopped = true;
            scorer.close();
        }
    }

    @Override
    public void close() {
        stopScorer();
        deleteQuietly(state);
    }
}
