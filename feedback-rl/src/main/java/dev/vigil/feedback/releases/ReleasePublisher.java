package dev.vigil.feedback.releases;

import dev.vigil.schemas.KafkaClients;
import dev.vigil.model.adapter.ReleaseRecords;
import dev.vigil.schemas.avro.AdapterRelease;
import dev.vigil.schemas.avro.GateOutcome;
import dev.vigil.schemas.serde.AvroSerde;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes adapter releases on {@code fraud.adapters}, sealed and keyed by base-model hash and sequence
 * ({@link ReleaseRecords}), and the gate's verdict on {@code fraud.gate}, with a transactional producer:
 * the verdict, the release (if promoted) and the label offsets the cycle consumed commit in one transaction, so a
 * crash either loses all (the update is redone from the same labels on restart) or keeps all (the labels are not
 * consumed again, the verdict is there once). A fixed transactional id per base model fences a second, older instance
 * ({@code initTransactions}).
 *
 * <p>A deployment made before {@code fraud.gate} existed has no such topic: the publisher then says so once and
 * publishes releases without verdicts, rather than failing every cycle (create it with {@code ./vigil topics}).
 */
public final class ReleasePublisher implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ReleasePublisher.class);

    private final KafkaProducer<byte[], byte[]> producer;
    private final String topic;
    private final AvroSerde<AdapterRelease> serde;
    private final PrivateKey signingKey;
    private final String keyId;
    /** Null when the gate topic does not exist. */
    private final String gateTopic;
    private final AvroSerde<GateOutcome> gateSerde;

    /** Releases are sealed ({@link ReleaseRecords}) with {@code signingKey}, whose id is {@code keyId}. */
    public ReleasePublisher(String bootstrapServers, String topic, String gateTopic, String transactionalId,
            AvroSerde<AdapterRelease> serde, AvroSerde<GateOutcome> gateSerde, PrivateKey signingKey, String keyId) {
        this.topic = topic;
        this.serde = serde;
        this.signingKey = signingKey;
        this.keyId = keyId;
        this.gateSerde = gateSerde;
        this.gateTopic = exists(bootstrapServers, gateTopic) ? gateTopic : null;
        if (this.gateTopic == null) {
            log.warn("topic {} does not exist: the gate's verdicts are not published, only releases (create it with "
                    + "./vigil topics)", gateTopic);
        }
        Properties p = new Properties();
        p.putAll(KafkaClients.config(bootstrapServers));
        p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 8 * 1024 * 1024);
        p.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, (int) Duration.ofMinutes(1).toMillis());
        this.producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
        producer.initTransactions();
    }

    private static boolean exists(String bootstrapServers, String topic) {
        try (Admin admin = Admin.create(KafkaClients.config(bootstrapServers))) {
            return admin.listTopics().names().get(30, TimeUnit.SECONDS).contains(topic);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaException("interrupted while listing topics", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new KafkaException("cannot list the topics at " + bootstrapServers + ": " + e, e);
        }
    }

    /**
     * The gate's verdict (null: none), the release (null: none) and the consumed label offsets, atomically.
     */
    public void commit(GateOutcome verdict, AdapterRelease release, Map<TopicPartition, OffsetAndMetadata> offsets,
            ConsumerGroupMetadata group) {
        producer.beginTransaction();
        try {
            if (release != null) {
                producer.send(ReleaseRecords.record(topic, release, serde.encode(topic, release), signingKey, keyId));
            }
            if (verdict != null && gateTopic != null) {
                producer.send(new ProducerRecord<>(gateTopic,
                        verdict.getBaseModelHash().getBytes(StandardCharsets.UTF_8), gateSerde.encode(gateTopic, verdict)));
            }
            if (!offsets.isEmpty()) {
                producer.sendOffsetsToTransaction(offsets, group);
            }
            producer.commitTransaction();
        } catch (KafkaException e) {
            try {
                producer.abortTransaction();
            } catch (KafkaException abortFailed) {
                e.addSuppressed(abortFailed);
            }
            throw e;
        }
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(10));
    }
}
