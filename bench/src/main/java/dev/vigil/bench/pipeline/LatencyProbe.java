package dev.vigil.bench.pipeline;

import dev.vigil.schemas.avro.FraudScore;
import dev.vigil.schemas.serde.AvroSerde;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * A consumer of the scores topic that notes, for every score it receives, the wall clock at receipt next to the
 * score's {@code arrival_time} (the transaction's record timestamp, stamped at its send on this machine) and
 * {@code scored_time}. With {@code read_uncommitted} a score is received once it is written to the log; with
 * {@code read_committed} once the Kafka transaction that wrote it commits (up to a commit interval later).
 */
final class LatencyProbe implements AutoCloseable {

    private final String isolation;
    private final AvroSerde<FraudScore> scores;
    private final CountDownLatch positioned = new CountDownLatch(1);
    private final Thread thread;
    private volatile boolean stopping;
    private long[] arrival = new long[1 << 16];
    private long[] received = new long[1 << 16];
    private long[] scored = new long[1 << 16];
    private int size;

    LatencyProbe(String bootstrapServers, String topic, String isolation, AvroSerde<FraudScore> scores) {
        this.isolation = isolation;
        this.scores = scores;
        KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.GROUP_ID_CONFIG, "vigil-bench-latency-" + UUID.randomUUID(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false), new ByteArrayDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> partitions = new ArrayList<>();
        for (PartitionInfo p : consumer.partitionsFor(topic)) {
            partitions.add(new TopicPartition(topic, p.partition()));
        }
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position); // resolve "end" now, before the first payment is offered
        this.thread = new Thread(() -> run(consumer, topic), "bench-latency-" + isolation);
        this.thread.setDaemon(true);
        this.thread.start();
    }

    private void run(KafkaConsumer<byte[], byte[]> consumer, String topic) {
        try (consumer) {
            while (!stopping) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                    long now = System.currentTimeMillis();
                    FraudScore s = scores.decode(topic, r.value());
                    add(s.getArrivalTime().toEpochMilli(), now, s.getScoredTime().toEpochMilli());
                }
            }
        }
    }

    private synchronized void add(long arrivalMillis, long receivedMillis, long scoredMillis) {
        if (size == arrival.length) {
            arrival = Arrays.copyOf(arrival, size * 2);
            received = Arrays.copyOf(received, size * 2);
            scored = Arrays.copyOf(scored, size * 2);
        }
        arrival[size] = arrivalMillis;
        received[size] = receivedMillis;
        scored[size] = scoredMillis;
        size++;
    }

    String isolation() {
        return isolation;
    }

    /** Scores received so far whose transaction was sent at or after {@code fromMillis}. */
    synchronized int count(long fromMillis) {
        int n = 0;
        for (int i = 0; i < size; i++) {
            if (arrival[i] >= fromMillis) {
                n++;
            }
        }
        return n;
    }

    /** Waits until {@code expected} measured scores are in; false on timeout. */
    boolean await(long fromMillis, long expected, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (count(fromMillis) < expected) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            TimeUnit.MILLISECONDS.sleep(50);
        }
        return true;
    }

    /** Receipt minus arrival, in ms, of each measured score. */
    synchronized long[] endToEnd(long fromMillis) {
        return select(fromMillis, received);
    }

    /** scored_time minus arrival, in ms (inside the app: read, batch, score, hand to the producer). */
    synchronized long[] inApp(long fromMillis) {
        return select(fromMillis, scored);
    }

    private long[] select(long fromMillis, long[] end) {
        long[] out = new long[size];
        int n = 0;
        for (int i = 0; i < size; i++) {
            if (arrival[i] >= fromMillis) {
                out[n++] = end[i] - arrival[i];
            }
        }
        return Arrays.copyOf(out, n);
    }

    /** The latencies received, plus {@code floor} for each of the {@code expected} that never came. */
    static long[] censored(long[] received, long expected, long floor) {
        if (received.length >= expected) {
            return received;
        }
        long[] all = Arrays.copyOf(received, (int) expected);
        Arrays.fill(all, received.length, all.length, floor);
        return all;
    }

    @Override
    public void close() throws InterruptedException {
        stopping = true;
        thread.join(5_000);
    }
}
