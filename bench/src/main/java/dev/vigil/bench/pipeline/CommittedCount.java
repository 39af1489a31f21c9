package dev.vigil.bench.pipeline;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Counts the records of some topics that read_committed consumers can see, from the beginning, on a thread of its
 * own, and notes when the count crossed each tenth of {@code expected}: a topology's output is done when its last
 * transaction is committed, not when it is written.
 */
final class CommittedCount implements AutoCloseable {

    private final long expected;
    private final long[] tenthNanos = new long[11];
    private final CountDownLatch done = new CountDownLatch(1);
    private final Thread thread;
    private volatile long count;
    private volatile boolean stopping;

    CommittedCount(String bootstrapServers, List<String> topics, long expected) {
        this.expected = expected;
        KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.GROUP_ID_CONFIG, "vigil-bench-count-" + UUID.randomUUID(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000), new ByteArrayDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> partitions = new ArrayList<>();
        for (String topic : topics) {
            for (PartitionInfo p : consumer.partitionsFor(topic)) {
                partitions.add(new TopicPartition(topic, p.partition()));
            }
        }
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        this.thread = new Thread(() -> run(consumer), "bench-committed-count");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    private void run(KafkaConsumer<byte[], byte[]> consumer) {
        try (consumer) {
            int nextTenth = 1;
            while (!stopping && count < expected) {
                int n = consumer.poll(Duration.ofMillis(50)).count();
                if (n == 0) {
                    continue;
                }
                long now = System.nanoTime();
                count += n;
                while (nextTenth <= 10 && count * 10 >= expected * nextTenth) {
                    tenthNanos[nextTenth++] = now;
                }
            }
        } finally {
            done.countDown();
        }
    }

    /** Waits until every expected record is visible; false on timeout. */
    boolean await(Duration timeout) throws InterruptedException {
        return done.await(timeout.toMillis(), TimeUnit.MILLISECONDS) && count >= expected;
    }

    long count() {
        return count;
    }

    /** When the count reached {@code tenth}/10 of the expected records (System.nanoTime), 0 if it did not. */
    long reachedNanos(int tenth) {
        return tenthNanos[tenth];
    }

    @Override
    public void close() throws InterruptedException {
        stopping = true;
        thread.join(5_000);
    }
}
