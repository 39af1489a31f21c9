package dev.vigil.simulator.replay;

import dev.vigil.schemas.KafkaClients;
import dev.vigil.schemas.avro.FraudLabel;
import dev.vigil.schemas.avro.Transaction;
import dev.vigil.schemas.serde.AvroSerde;
import java.time.Duration;
import java.time.Instant;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Publishes a replay to Kafka: transactions and labels as Avro in the Confluent wire format, keyed by card id (so a
 * card's history stays on one partition, in order). Sends are asynchronous; the first failure is kept and rethrown by
 * the next call, so a broken broker stops the replay instead of silently dropping records.
 *
 * <p>The producer is idempotent with {@code acks=all}: retries neither duplicate nor reorder a partition's records,
 * which is what lets a consumer rely on per-card event-time order.
 */
public final class KafkaReplaySink implements ReplaySink, AutoCloseable {

    private final Producer<String, byte[]> producer;
    private final boolean ownsProducer;
    private final AvroSerde<Transaction> transactionSerde;
    private final AvroSerde<FraudLabel> labelSerde;
    private final ReplayTopics topics;
    private final RecordTimestamps timestamps;
    private final AtomicReference<Exception> failure = new AtomicReference<>();
    private final AtomicLong acknowledged = new AtomicLong();
    private final Callback onAck = (metadata, exception) -> {
        if (exception == null) {
            acknowledged.incrementAndGet();
        } else {
            failure.compareAndSet(null, exception);
        }
    };

    /** A sink on a producer the caller owns (and closes). */
    public KafkaReplaySink(Producer<String, byte[]> producer, AvroSerde<Transaction> transactionSerde,
            AvroSerde<FraudLabel> labelSerde, ReplayTopics topics, RecordTimestamps timestamps) {
        this(producer, false, transactionSerde, labelSerde, topics, timestamps);
    }

    private KafkaReplaySink(Producer<String, byte[]> producer, boolean ownsProducer,
            AvroSerde<Transaction> transactionSerde, AvroSerde<FraudLabel> labelSerde, ReplayTopics topics,
            RecordTimestamps timestamps) {
        this.producer = producer;
        this.ownsProducer = ownsProducer;
        this.transactionSerde = transactionSerde;
        this.labelSerde = labelSerde;
        this.topics = topics;
        this.timestamps = timestamps;
    }

    /** A sink with its own producer ({@link #producerConfig}); {@link #close} closes it. */
    public static KafkaReplaySink create(String bootstrapServers, AvroSerde<Transaction> transactionSerde,
            AvroSerde<FraudLabel> labelSerde, ReplayTopics topics, RecordTimestamps timestamps) {
        return create(producerConfig(bootstrapServers), transactionSerde, labelSerde, topics, timestamps);
    }

    /**
     * A sink for a stream paced like live payments: as {@link #create}, but the producer waits at most 1 ms to fill
     * a batch, as a payment system in the authorization path would. With the bulk load's 20 ms, a payment's record
     * timestamp (its arrival, when latency starts) would be set up to 20 ms before it reaches Kafka.
     */
    public static KafkaReplaySink createLive(String bootstrapServers, AvroSerde<Transaction> transactionSerde,
            AvroSerde<FraudLabel> labelSerde, ReplayTopics topics, RecordTimestamps timestamps) {
        Properties config = producerConfig(bootstrapServers);
        config.put(ProducerConfig.LINGER_MS_CONFIG, 1);
        return create(config, transactionSerde, labelSerde, topics, timestamps);
    }

    private static KafkaReplaySink create(Properties config, AvroSerde<Transaction> transactionSerde,
            AvroSerde<FraudLabel> labelSerde, ReplayTopics topics, RecordTimestamps timestamps) {
        KafkaProducer<String, byte[]> producer = new KafkaProducer<>(config, new StringSerializer(),
                new ByteArraySerializer());
        return new KafkaReplaySink(producer, true, transactionSerde, labelSerde, topics, timestamps);
    }

    /**
     * Idempotent, acks=all, lz4, 20 ms linger and 128 KiB batches (throughput: a replay is a bulk load), and bounded
     * waits: {@code send} blocks at most 10 s for metadata or buffer space, and a record that cannot be delivered
     * fails after 60 s instead of retrying forever.
     */
    public static Properties producerConfig(String bootstrapServers) {
        Properties config = new Properties();
        config.putAll(KafkaClients.config(bootstrapServers));
        config.put(ProducerConfig.CLIENT_ID_CONFIG, "vigil-replay");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        config.put(ProducerConfig.LINGER_MS_CONFIG, 20);
        config.put(ProducerConfig.BATCH_SIZE_CONFIG, 128 * 1024);
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 15_000);
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 60_000);
        return config;
    }

    @Override
    public void transaction(Transaction transaction) {
        send(topics.transactions(), transaction.getCardId(), transactionSerde.encode(topics.transactions(), transaction),
                transaction.getEventTime());
    }

    @Override
    public void label(FraudLabel label) {
        send(topics.labels(), label.getCardId(), labelSerde.encode(topics.labels(), label), label.getLabeledTime());
    }

    private void send(String topic, String key, byte[] value, Instant eventTime) {
        throwIfFailed();
        Long timestamp = timestamps == RecordTimestamps.EVENT_TIME ? eventTime.toEpochMilli() : null;
        producer.send(new ProducerRecord<>(topic, null, timestamp, key, value), onAck);
    }

    @Override
    public void flush() {
        producer.flush();
        throwIfFailed();
    }

    /** Records the broker has acknowledged so far. */
    public long acknowledged() {
        return acknowledged.get();
    }

    private void throwIfFailed() {
        Exception e = failure.get();
        if (e != null) {
            throw new KafkaException("publishing the replay failed: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        if (ownsProducer) {
            producer.close(Duration.ofSeconds(10));
        }
    }
}
