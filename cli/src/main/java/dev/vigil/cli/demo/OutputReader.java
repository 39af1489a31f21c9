package dev.vigil.cli.demo;

import dev.vigil.schemas.KafkaClients;
import dev.vigil.schemas.BatchedFetch;
import dev.vigil.evaluation.TestWindow;
import dev.vigil.schemas.Topics;
import dev.vigil.schemas.avro.FraudAlert;
import dev.vigil.schemas.avro.FraudLabel;
import dev.vigil.schemas.avro.FraudScore;
import dev.vigil.schemas.registry.SchemaRegistryClient;
import dev.vigil.schemas.serde.AvroSerde;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads what the pipeline writes, as a downstream consumer would (read_committed, from the beginning, no group):
 * {@code fraud.scores}, {@code fraud.alerts}, {@code fraud.labels} and {@code fraud.dlq}, into the {@link DayTally},
 * the {@link LatencyWindow} and, for the live days, the {@link LiveScoreLog}. Runs on its own thread until
 * {@link #stop()}.
 */
final class OutputReader implements Runnable {

    private static final Logger log = LoggerFactory.getLogger(OutputReader.class);
    private static final List<String> TOPICS = List.of(Topics.SCORES, Topics.ALERTS, Topics.LABELS, Topics.DLQ);

    private final String bootstrapServers;
    private final AvroSerde<FraudScore> scores;
    private final AvroSerde<FraudAlert> alerts;
    private final AvroSerde<FraudLabel> labels;
    private final Instant liveStart;
    private final SimulatedTruth truth;
    private final DayTally tally;
    private final LatencyWindow latency;
    private final LiveScoreLog live;
    private volatile boolean running = true;
    private volatile long unreadable;

    OutputReader(String bootstrapServers, SchemaRegistryClient registry, Instant liveStart, SimulatedTruth truth,
                 DayTally tally, LatencyWindow latency, LiveScoreLog live) {
        this.bootstrapServers = bootstrapServers;
        this.scores = new AvroSerde<>(FraudScore.class, registry);
        this.alerts = new AvroSerde<>(FraudAlert.class, registry);
        this.labels = new AvroSerde<>(FraudLabel.class, registry);
        this.liveStart = liveStart;
        this.truth = truth;
        this.tally = tally;
        this.latency = latency;
        this.live = live;
    }

    @Override
    public void run() {
        Properties p = new Properties();
        p.putAll(KafkaClients.config(bootstrapServers));
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2000);
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, "vigil-demo-dashboard");
        BatchedFetch.apply(p);
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (String topic : TOPICS) {
                consumer.partitionsFor(topic, Duration.ofSeconds(30))
                        .forEach(i -> partitions.add(new TopicPartition(topic, i.partition())));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            while (running) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    try {
                        handle(r);
                    } catch (RuntimeException e) {
                        unreadable++;
                        log.warn("unreadable record at {}-{}@{}: {}", r.topic(), r.partition(), r.offset(),
                                e.toString());
                    }
                }
            }
        } catch (RuntimeException e) {
            if (running) {
                log.error("the dashboard's reader stopped", e);
            }
        }
    }

    private void handle(ConsumerRecord<byte[], byte[]> r) {
        switch (r.topic()) {
            case Topics.SCORES -> {
                FraudScore s = scores.decode(r.topic(), r.value());
                boolean fraud = truth.isFraud(s.getTransactionId());
                boolean isLive = !s.getEventTime().isBefore(liveStart);
                tally.scored(TestWindow.dayOf(s.getEventTime()), s.getEventTime().toEpochMilli(), s.getCardId(),
                        s.getScore(), fraud, s.getContextDegraded(), s.getAdapterVersion());
                latency.add(Math.max(0, s.getScoredTime().toEpochMilli() - s.getArrivalTime().toEpochMilli()),
                        isLive);
                if (isLive) {
                    live.add(s, fraud);
                }
            }
            case Topics.ALERTS -> { // alerts proper; reviews and explorations go to the analysts only
                dev.vigil.schemas.avro.FraudAlert a = alerts.decode(r.topic(), r.value());
                if (dev.vigil.streams.scoring.DecisionPolicy.ALERT.equals(a.getDecision())) {
                    tally.alert(TestWindow.dayOf(a.getEventTime()));
                }
            }
            case Topics.LABELS -> {
                FraudLabel l = labels.decode(r.topic(), r.value());
                tally.label(TestWindow.dayOf(l.getLabeledTime()), l.getIsFraud());
            }
            case Topics.DLQ -> tally.deadLetter();
            default -> { }
        }
    }

    /** Asks the thread to end after its current poll. */
    void stop() {
        running = false;
    }

    long unreadable() {
        return unreadable;
    }

    /** The current simulated day (the latest scored event time's UTC day), null before the first score. */
    LocalDate today() {
        long t = tally.latestEventMillis();
        return t == 0 ? null : TestWindow.dayOf(Instant.ofEpochMilli(t));
    }
}
