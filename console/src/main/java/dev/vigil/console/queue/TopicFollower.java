package dev.vigil.console.queue;

import dev.vigil.schemas.KafkaClients;
import dev.vigil.console.model.GateVerdicts;
import dev.vigil.schemas.Topics;
import dev.vigil.schemas.avro.FraudAlert;
import dev.vigil.schemas.avro.FraudLabel;
import dev.vigil.schemas.avro.FraudScore;
import dev.vigil.schemas.avro.GateOutcome;
import dev.vigil.schemas.registry.SchemaRegistryClient;
import dev.vigil.schemas.serde.AvroSerde;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads {@code fraud.alerts}, {@code fraud.scores} and {@code fraud.labels} into a {@link ReviewQueue}, and
 * {@code fraud.gate} into the {@link GateVerdicts}, on its own thread: every partition assigned (no consumer group,
 * nothing committed: each console reads for itself), read_committed, from the first record written since the start of
 * yesterday (UTC, by record timestamp: the queue keeps today and the day before; the gate's verdicts from the
 * beginning, one per feedback cycle), then follows. An unreadable record is logged and skipped.
 */
public final class TopicFollower implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(TopicFollower.class);
    private static final List<String> TOPICS = List.of(Topics.ALERTS, Topics.SCORES, Topics.LABELS, Topics.GATE);

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final ReviewQueue queue;
    private final GateVerdicts verdicts;
    private final AvroSerde<FraudAlert> alerts;
    private final AvroSerde<FraudScore> scores;
    private final AvroSerde<FraudLabel> labels;
    private final AvroSerde<GateOutcome> gate;
    private final Thread thread;
    private volatile boolean running = true;
    private boolean started;
    private volatile long read;

    public TopicFollower(String bootstrapServers, SchemaRegistryClient registry, ReviewQueue queue,
            GateVerdicts verdicts, Clock clock) {
        this.queue = queue;
        this.verdicts = verdicts;
        this.gate = new AvroSerde<>(GateOutcome.class, registry, false);
        this.alerts = new AvroSerde<>(FraudAlert.class, registry, false);
        this.scores = new AvroSerde<>(FraudScore.class, registry, false);
        this.labels = new AvroSerde<>(FraudLabel.class, registry, false);
        Properties p = new Properties();
        p.putAll(KafkaClients.config(bootstrapServers));
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, "vigil-console");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2000);
        this.consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> partitions = new ArrayList<>();
        for (String topic : TOPICS) {
            consumer.partitionsFor(topic, Duration.ofSeconds(30))
                    .forEach(info -> partitions.add(new TopicPartition(topic, info.partition())));
        }
        if (partitions.isEmpty()) {
            consumer.close();
            throw new IllegalStateException("none of " + TOPICS + " exists (create them with ./vigil up or ./vigil topics)");
        }
        consumer.assign(partitions);
        long since = since(clock).toEpochMilli();
        Map<TopicPartition, Long> times = new HashMap<>();
        partitions.forEach(tp -> times.put(tp, tp.topic().equals(Topics.GATE) ? 0L : since));
        Map<TopicPartition, OffsetAndTimestamp> offsets = consumer.offsetsForTimes(times, Duration.ofSeconds(30));
        List<TopicPartition> none = new ArrayList<>();
        for (TopicPartition tp : partitions) {
            OffsetAndTimestamp at = offsets.get(tp);
            if (at == null) {
                none.add(tp);
            } else {
                consumer.seek(tp, at.offset());
            }
        }
        consumer.seekToEnd(none);
        this.thread = new Thread(this::run, "console-topics");
        this.thread.setDaemon(true);
    }

    public TopicFollower start() {
        started = true;
        thread.start();
        return this;
    }

    /** Records read so far. */
    public long read() {
        return read;
    }

    private void run() {
        try {
            while (running) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    accept(r);
                }
            }
        } catch (WakeupException e) {
            // closing
        } catch (RuntimeException e) {
            log.error("the console stopped reading the topics", e);
        } finally {
            consumer.close(Duration.ofSeconds(2));
        }
    }

    private void accept(ConsumerRecord<byte[], byte[]> r) {
        if (r.value() == null) {
            return;
        }
        try {
            switch (r.topic()) {
                case Topics.ALERTS -> queue.onAlert(alerts.decode(r.topic(), r.value()));
                case Topics.SCORES -> queue.onScore(scores.decode(r.topic(), r.value()));
                case Topics.LABELS -> queue.onLabel(labels.decode(r.topic(), r.value()));
                case Topics.GATE -> verdicts.onVerdict(gate.decode(r.topic(), r.value()));
                default -> { }
            }
            read++;
        } catch (SerializationException | IllegalArgumentException | NullPointerException e) {
            log.warn("record on {} at {}-{} skipped: {}", r.topic(), r.partition(), r.offset(), e.getMessage());
        }
    }

    @Override
    public void close() {
        running = false;
        if (!started) {
            consumer.close(Duration.ofSeconds(2));
            return;
        }
        consumer.wakeup();
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Where reading starts: the start of yesterday, UTC. */
    static Instant since(Clock clock) {
        return LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC).minusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
    }
}
