package dev.vigil.streams.scoring;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads input records back by offset: after a crash, the transactions a task had read (their offsets committed) but
 * not yet scored are read again from the input topic, where they still are, and scored first.
 */
@FunctionalInterface
public interface InputReader {

    /** The records of {@code topic}-{@code partition} with offsets in [first, last] (read_committed), in order. */
    List<ConsumerRecord<byte[], byte[]>> read(String topic, int partition, long first, long last);

    /** How many partitions {@code topic} has (each task reviews its share of the budget); 1 if not known. */
    default int partitions(String topic) {
        return 1;
    }

    /** Reads with a short-lived consumer of its own (no group), within {@code timeout}, or throws. */
    static InputReader kafka(Map<String, Object> clientConfig, Duration timeout) {
        return new InputReader() {
            @Override
            public List<ConsumerRecord<byte[], byte[]>> read(String topic, int partition, long first, long last) {
                return readRange(clientConfig, timeout, topic, partition, first, last);
            }

            @Override
            public int partitions(String topic) {
                Map<String, Object> props = new HashMap<>(clientConfig);
                props.put(ConsumerConfig.CLIENT_ID_CONFIG, "vigil-partitions-" + topic);
                props.remove(ConsumerConfig.GROUP_ID_CONFIG);
                try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(),
                        new ByteArrayDeserializer())) {
                    List<org.apache.kafka.common.PartitionInfo> info = consumer.partitionsFor(topic, timeout);
                    return info == null || info.isEmpty() ? 1 : info.size();
                } catch (RuntimeException e) { // the task reviews the whole budget rather than stopping
                    org.slf4j.LoggerFactory.getLogger(InputReader.class).warn("cannot read the partitions of {} ({}); "
                            + "this task takes the whole review budget", topic, e.toString());
                    return 1;
                }
            }
        };
    }

    private static List<ConsumerRecord<byte[], byte[]>> readRange(Map<String, Object> clientConfig, Duration timeout,
            String topic, int partition, long first, long last) {
        Map<String, Object> props = new HashMap<>(clientConfig);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "vigil-unscored-reader-" + topic + "-" + partition);
        props.remove(ConsumerConfig.GROUP_ID_CONFIG);
        List<ConsumerRecord<byte[], byte[]>> read = new ArrayList<>();
        TopicPartition tp = new TopicPartition(topic, partition);
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.assign(List.of(tp));
            consumer.seek(tp, first);
            long deadline = System.nanoTime() + timeout.toNanos();
            while (consumer.position(tp, timeout) <= last) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("could not read " + tp + " offsets " + first + ".." + last
                            + " within " + timeout + " (at " + consumer.position(tp) + ")");
                }
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200)).records(tp)) {
                    if (r.offset() <= last) {
                        read.add(r);
                    }
                }
            }
        }
        return read;
    }
}
