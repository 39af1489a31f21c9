package dev.vigil.feedback.labels;

import dev.vigil.feedback.decisions.TopicTail;
import dev.vigil.schemas.avro.FraudLabel;
import dev.vigil.schemas.serde.AvroSerde;
import java.time.Duration;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SerializationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads analysts' labels and chargebacks from {@code fraud.labels} as the loop's consumer group and joins each
 * ({@link JoinedLabels}). Every start re-reads the topic's last {@code keep} records per partition; the labels at or
 * after where the loop last consumed (the group's committed offsets, or what the latest release records as consumed,
 * whichever is later) are new and count towards the next cycle, the earlier ones are history.
 */
public final class LabelsReader implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LabelsReader.class);

    private final String bootstrapServers;
    private final String topic;
    private final String group;
    private final int keep;
    private final AvroSerde<FraudLabel> serde;
    private final JoinedLabels joined;
    private final Map<TopicPartition, Long> consumedFrom = new HashMap<>();
    private TopicTail tail;
    private long read;
    private long unreadable;
    private long newLabels;

    public LabelsReader(String bootstrapServers, String topic, String group, int keep, AvroSerde<FraudLabel> serde,
            JoinedLabels joined) {
        this.bootstrapServers = bootstrapServers;
        this.topic = topic;
        this.group = group;
        this.keep = keep;
        this.serde = serde;
        this.joined = joined;
    }

    /**
     * Opens the consumer and reads the topic's tail up to its end at this moment (or until stopped).
     *
     * @param recorded the label offsets the latest release records as consumed (empty: none)
     */
    public void start(Map<TopicPartition, Long> recorded, BooleanSupplier running) {
        tail = new TopicTail(bootstrapServers, topic, group);
        Map<TopicPartition, OffsetAndMetadata> committed = tail.committed();
        for (TopicPartition tp : tail.partitions()) {
            OffsetAndMetadata c = committed.get(tp);
            long from = Math.max(c == null ? 0 : c.offset(), recorded.getOrDefault(tp, 0L));
            consumedFrom.put(tp, from);
        }
        Map<TopicPartition, Long> end = tail.seekToLast(keep);
        while (running.getAsBoolean() && !tail.reached(end)) {
            poll(TopicTail.POLL);
        }
    }

    public void poll(Duration timeout) {
        for (ConsumerRecord<byte[], byte[]> r : tail.poll(timeout)) {
            FraudLabel label;
            try {
                label = serde.decode(r.topic(), r.value());
            } catch (SerializationException e) {
                unreadable++;
                log.warn("unreadable label at {}-{}@{}: {}", r.topic(), r.partition(), r.offset(), e.getMessage());
                continue;
            }
            read++;
            TopicPartition tp = new TopicPartition(r.topic(), r.partition());
            if (r.offset() >= consumedFrom.getOrDefault(tp, 0L)) {
                newLabels++;
            }
            joined.onLabel(label, r.partition(), r.offset());
        }
    }

    /** Where the reader is now: the offsets a cycle starting now consumes. */
    public Map<TopicPartition, OffsetAndMetadata> positions() {
        return tail.positions();
    }

    /** A cycle committed {@code offsets}: the labels before them are history from now on. */
    public void consumed(Map<TopicPartition, OffsetAndMetadata> offsets) {
        for (Map.Entry<TopicPartition, OffsetAndMetadata> e : offsets.entrySet()) {
            consumedFrom.put(e.getKey(), e.getValue().offset());
        }
        newLabels = 0;
    }

    /** A cycle decided nothing: the cadence counts again from zero, the labels stay uncommitted in the window. */
    public void resetNew() {
        newLabels = 0;
    }

    /** New labels read since the last cycle: the cadence's count. */
    public long newLabels() {
        return newLabels;
    }

    /** Per partition, the offset from which labels are new. */
    public Map<TopicPartition, Long> consumedFrom() {
        return Collections.unmodifiableMap(consumedFrom);
    }

    public long read() {
        return read;
    }

    public long unreadable() {
        return unreadable;
    }

    @Override
    public void close() {
        TopicTail open = tail;
        tail = null;
        if (open != null) {
            open.close();
        }
    }
}
