package dev.vigil.streams;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.schemas.avro.FraudScore;
import dev.vigil.schemas.avro.Transaction;
import dev.vigil.schemas.csv.CsvTransaction;
import dev.vigil.schemas.registry.SchemaRegistryClient;
import dev.vigil.schemas.serde.AvroSerde;
import dev.vigil.simulator.generate.PaymentSimulator;
import dev.vigil.simulator.generate.SimulationConfig;
import dev.vigil.simulator.replay.TransactionReplayer;
import dev.vigil.stack.LocalStack;
import dev.vigil.stack.TopicSpec;
import dev.vigil.streams.scoring.ScoringTopology;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** A test's own set of pipeline topics on the shared local stack, and helpers to write and read them. */
public final class PipelineTopics {

    public final LocalStack stack;
    public final ScoringTopology.Topics topics;
    public final String adapters;
    public final String labels;
    public final SchemaRegistryClient registry;
    public final AvroSerde<Transaction> transactions;

    public PipelineTopics(LocalStack stack, int partitions) {
        this.stack = stack;
        String prefix = "it-" + UUID.randomUUID().toString().substring(0, 8) + ".";
        this.topics = new ScoringTopology.Topics(prefix + "transactions", prefix + "scores", prefix + "alerts",
                prefix + "dlq");
        this.adapters = prefix + "adapters";
        this.labels = prefix + "labels";
        stack.createTopics(List.of(TopicSpec.of(topics.transactions(), partitions), TopicSpec.of(topics.scores(), partitions),
                TopicSpec.of(topics.alerts(), 1), TopicSpec.of(topics.dlq(), 1), TopicSpec.compacted(adapters, 1),
                TopicSpec.of(labels, 1)));
        this.registry = new SchemaRegistryClient(stack.schemaRegistryUrl());
        this.transactions = new AvroSerde<>(Transaction.class, registry, true);
    }

    /** The app's extras on this test's own topics. */
    public dev.vigil.streams.ScoringApp.Extras extras() {
        return dev.vigil.streams.ScoringApp.Extras.defaults().withTopics(adapters, labels);
    }

    /** Simulated payments (a real simulator run), in event-time order, at most {@code limit}. */
    public static List<Transaction> simulated(int days, int cards, int merchants, long seed, int limit) {
        return new PaymentSimulator(SimulationConfig.of(days, cards, merchants, seed)).transactions()
                .limit(limit).map(TransactionReplayer::toTransaction).toList();
    }

    public KafkaProducer<byte[], byte[]> producer() {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        return new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
    }

    /**
     * A thread (not started) that sends the transactions in order, {@code burst} at a time with a pause of
     * {@code pauseMillis} after each burst, so that a stream arrives over seconds.
     */
    public Thread feeder(List<Transaction> transactions, int burst, long pauseMillis) {
        return new Thread(() -> {
            try (KafkaProducer<byte[], byte[]> producer = producer()) {
                for (int i = 0; i < transactions.size(); i++) {
                    producer.send(record(transactions.get(i)));
                    if (i % burst == burst - 1) {
                        producer.flush();
                        Thread.sleep(pauseMillis);
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "it-feeder");
    }

    public ProducerRecord<byte[], byte[]> record(Transaction t) {
        return new ProducerRecord<>(topics.transactions(), t.getCardId().getBytes(StandardCharsets.UTF_8),
                transactions.encode(topics.transactions(), t));
    }

    public ProducerRecord<byte[], byte[]> raw(String key, byte[] value) {
        return new ProducerRecord<>(topics.transactions(), key == null ? null : key.getBytes(StandardCharsets.UTF_8),
                value);
    }

    /**
     * Reads {@code topic} from the beginning with read_committed until {@code until} says the records suffice or
     * {@code timeout} passes; returns what it read.
     */
    public <T> List<T> readCommitted(String topic, Function<byte[], T> decode,
                                     java.util.function.Predicate<List<T>> until, Duration timeout) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "it-reader-" + UUID.randomUUID());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        List<T> read = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!until.test(read) && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    read.add(decode.apply(r.value()));
                }
            }
        }
        return read;
    }

    /**
     * Every expected transaction has exactly one score and no other transaction has one; {@code context} goes into
     * the failure messages (how long it ran, where the logs are).
     */
    public static void assertScoredExactlyOnce(List<FraudScore> scored, Set<String> expected, String context) {
        Map<String, Integer> counts = counts(scored, FraudScore::getTransactionId);
        Set<String> missing = new TreeSet<>(expected);
        missing.removeAll(counts.keySet());
        assertThat(missing).as("transactions without a score (%s)", context).isEmpty();
        Set<String> unexpected = new TreeSet<>(counts.keySet());
        unexpected.removeAll(expected);
        assertThat(unexpected).as("scores of transactions never sent (%s)", context).isEmpty();
        assertThat(counts.entrySet().stream().filter(e -> e.getValue() != 1).map(Map.Entry::getKey).toList())
                .as("transactions scored more than once (%s)", context).isEmpty();
    }

    /** How many times each key occurs. */
    public static <T> Map<String, Integer> counts(List<T> items, Function<T, String> key) {
        Map<String, Integer> counts = new HashMap<>();
        for (T item : items) {
            counts.merge(key.apply(item), 1, Integer::sum);
        }
        return counts;
    }
}
