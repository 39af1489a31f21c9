package dev.vigil.feedback.decisions;

import dev.vigil.schemas.KafkaClients;
import dev.vigil.schemas.BatchedFetch;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * A read_committed consumer assigned every partition of one topic, for the loop's logs that are rebuilt at every
 * start from the tail of their topic: the decision log from {@code fraud.scores}, the label window from
 * {@code fraud.labels}. It never commits by itself: the labels' offsets are committed in the release transaction.
 */
public final class TopicTail implements AutoCloseable {

    /** How long a poll waits while a log is rebuilt (and for labels, at every turn of the loop). */
    public static final Duration POLL = Duration.ofMillis(200);

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final List<TopicPartition> partitions;

    /** @param group the consumer group whose committed offsets {@link #committed} reads, or null for none */
    public TopicTail(String bootstrapServers, String topic, String group) {
        Properties p = new Properties();
        p.putAll(KafkaClients.config(bootstrapServers));
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2000);
        if (group != null) {
            p.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        }
        BatchedFetch.apply(p);
        this.consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        this.partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                .map(i -> new TopicPartition(topic, i.partition())).toList();
        if (partitions.isEmpty()) {
            consumer.close();
            throw new IllegalStateException("topic " + topic + " does not exist");
        }
        consumer.assign(partitions);
    }

    public List<TopicPartition> partitions() {
        return partitions;
    }

    /** The group's committed offsets (a partition without one is absent or null). */
    public Map<TopicPartition, OffsetAndMetadata> committed() {
        return consumer.committed(new HashSet<>(partitions));
    }

    /**
     * Positions each partition at most {@code keep} records before its end: more could not survive the bound of what
     * they are read into, so a restart reads what it keeps, not the topic's whole retention. Returns the end offsets.
     */
    public Map<TopicPartition, Long> seekToLast(int keep) {
        Map<TopicPartition, Long> begin = consumer.beginningOffsets(partitions);
        Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
        for (TopicPartition tp : partitions) {
            consumer.seek(tp, Math.max(begin.getOrDefault(tp, 0L), end.getOrDefault(tp, 0L) - keep));
        }
        return end;
    }

    /** Whether every partition has been read up to {@code end}. */
    public boolean reached(Map<TopicPartition, Long> end) {
        for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
            if (consumer.position(e.getKey()) < e.getValue()) {
                return false;
            }
        }
        return true;
    }

    public ConsumerRecords<byte[], byte[]> poll(Duration timeout) {
        return consumer.poll(timeout);
    }

    /** The next offset to read per assigned partition: what a commit now would record as consumed. */
    public Map<TopicPartition, OffsetAndMetadata> positions() {
        Map<TopicPartition, OffsetAndMetadata> offsets = new LinkedHashMap<>();
        for (TopicPartition tp : consumer.assignment()) {
            offsets.put(tp, new OffsetAndMetadata(consumer.position(tp)));
        }
        return offsets;
    }

    @Override
    public void close() {
        consumer.close();
    }
}
