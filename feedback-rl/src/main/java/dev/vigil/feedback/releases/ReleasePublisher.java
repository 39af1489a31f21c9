package dev.vigil.feedback.releases;

import dev.vigil.model.adapter.ReleaseRecords;
import dev.vigil.schemas.avro.AdapterRelease;
import dev.vigil.schemas.serde.AvroSerde;
import java.security.PrivateKey;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Publishes adapter releases on {@code fraud.adapters}, sealed and keyed by base-model hash and sequence
 * ({@link ReleaseRecords}), with a transactional producer:
 * the release and the label offsets it consumed commit in one transaction, so a crash either loses both (the
 * update is redone from the same labels on restart) or keeps both (the labels are not consumed again). A fixed
 * transactional id per base model fences a second, older instance ({@code initTransactions}).
 */
public final class ReleasePublisher implements AutoCloseable {

    private final KafkaProducer<byte[], byte[]> producer;
    private final String topic;
    private final AvroSerde<AdapterRelease> serde;
    private final PrivateKey signingKey;
    private final String keyId;

    /** Releases are sealed ({@link ReleaseRecords}) with {@code signingKey}, whose id is {@code keyId}. */
    public ReleasePublisher(String bootstrapServers, String topic, String transactionalId,
            AvroSerde<AdapterRelease> serde, PrivateKey signingKey, String keyId) {
        this.topic = topic;
        this.serde = serde;
        this.signingKey = signingKey;
        this.keyId = keyId;
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 8 * 1024 * 1024);
        p.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, (int) Duration.ofMinutes(1).toMillis());
        this.producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
        producer.initTransactions();
    }

    /** The release (null: none, offsets only) and the consumed label offsets, atomically. */
    public void commit(AdapterRelease release, Map<TopicPartition, OffsetAndMetadata> offsets,
            ConsumerGroupMetadata group) {
        producer.beginTransaction();
        try {
            if (release != null) {
                producer.send(ReleaseRecords.record(topic, release, serde.encode(topic, release), signingKey, keyId));
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
