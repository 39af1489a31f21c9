package dev.vigil.console.labels;

import dev.vigil.schemas.KafkaClients;
import dev.vigil.schemas.Topics;
import dev.vigil.schemas.avro.FraudLabel;
import dev.vigil.schemas.registry.SchemaRegistryClient;
import dev.vigil.schemas.serde.AvroSerde;
import java.io.IOException;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Labels onto {@code fraud.labels}: keyed by the card id, the value a {@code FraudLabel} in the registry's wire format,
 * an idempotent producer with acks=all (a retried send is written once), each send waited for (at most
 * {@link #SEND_TIMEOUT}; metadata for at most 5 s) so the analyst is told only what the broker has. Thread-safe.
 */
public final class KafkaLabelPublisher implements LabelPublisher {

    static final Duration SEND_TIMEOUT = Duration.ofSeconds(15);

    private final KafkaProducer<String, byte[]> producer;
    private final AvroSerde<FraudLabel> serde;
    private final String topic;

    public KafkaLabelPublisher(String bootstrapServers, SchemaRegistryClient registry) {
        this(bootstrapServers, new AvroSerde<>(FraudLabel.class, registry, true), Topics.LABELS);
    }

    public KafkaLabelPublisher(String bootstrapServers, AvroSerde<FraudLabel> serde, String topic) {
        this.serde = serde;
        this.topic = topic;
        Properties p = new Properties();
        p.putAll(KafkaClients.config(bootstrapServers));
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "vigil-console-labels");
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) SEND_TIMEOUT.toMillis());
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        p.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        // with the broker gone, send() must not wait a minute for metadata while every analyst's label queues behind
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 5_000);
        this.producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
    }

    @Override
    public void publish(FraudLabel label) throws IOException {
        byte[] value = serde.encode(topic, label);
        try {
            producer.send(new ProducerRecord<>(topic, label.getCardId(), value))
                    .get(SEND_TIMEOUT.toMillis() + 1000, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while publishing the label", e);
        } catch (ExecutionException e) {
            throw new IOException("the label was not published: " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IOException("the label was not acknowledged within " + SEND_TIMEOUT.toSeconds() + " s", e);
        }
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
