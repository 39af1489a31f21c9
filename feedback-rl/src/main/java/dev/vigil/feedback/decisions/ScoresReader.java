package dev.vigil.feedback.decisions;

import dev.vigil.schemas.avro.FraudScore;
import dev.vigil.schemas.serde.AvroSerde;
import java.time.Duration;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SerializationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the scorer's decisions from {@code fraud.scores} and hands each to {@code sink} (the decision log and the
 * join). No consumer group: every start re-reads the topic's last {@code keep} records per partition, read_committed,
 * so an aborted scorer transaction never becomes a decision. An unreadable record is counted and logged, never fatal.
 */
public final class ScoresReader implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ScoresReader.class);

    private final String bootstrapServers;
    private final String topic;
    private final int keep;
    private final AvroSerde<FraudScore> serde;
    private final Consumer<LoggedDecision> sink;
    private TopicTail tail;
    private long read;
    private long unreadable;

    public ScoresReader(String bootstrapServers, String topic, int keep, AvroSerde<FraudScore> serde,
            Consumer<LoggedDecision> sink) {
        this.bootstrapServers = bootstrapServers;
        this.topic = topic;
        this.keep = keep;
        this.serde = serde;
        this.sink = sink;
    }

    /** Opens the consumer and reads the topic's tail up to its end at this moment (or until stopped). */
    public void start(BooleanSupplier running) {
        tail = new TopicTail(bootstrapServers, topic, null);
        Map<TopicPartition, Long> end = tail.seekToLast(keep);
        while (running.getAsBoolean() && !tail.reached(end)) {
            poll(TopicTail.POLL);
        }
    }

    public void poll(Duration timeout) {
        for (ConsumerRecord<byte[], byte[]> r : tail.poll(timeout)) {
            LoggedDecision decision;
            try {
                decision = LoggedDecision.from(serde.decode(r.topic(), r.value()));
            } catch (SerializationException | IllegalArgumentException | NullPointerException e) {
                unreadable++;
                log.warn("unreadable score at {}-{}@{}: {}", r.topic(), r.partition(), r.offset(), e.getMessage());
                continue;
            }
            read++;
            sink.accept(decision);
        }
    }

    /** Decisions read, over every start of this reader. */
    public long read() {
        return read;
    }

    /** Score records that could not be decoded. */
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
