package dev.vigil.streams.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.processor.UsePartitionTimeOnInvalidTimestamp;

/**
 * The baseline the scoring topology is measured against: the same records read and written again, bytes in and the
 * same bytes out, with the Kafka Streams settings the scoring app runs with (exactly_once_v2, its commit interval,
 * stream threads, poll time, producer linger and compression). What it costs is what Kafka Streams with exactly-once
 * costs on this machine; whatever the scorer costs beyond it is scoring.
 */
final class PassthroughTopology {

    static final String SOURCE = "transactions";
    static final String SINK = "copies";

    private PassthroughTopology() {}

    static Topology build(String input, String output) {
        Topology topology = new Topology();
        topology.addSource(SOURCE, new ByteArrayDeserializer(), new ByteArrayDeserializer(), input);
        topology.addSink(SINK, output, new ByteArraySerializer(), new ByteArraySerializer(), SOURCE);
        return topology;
    }

    /** The scoring app's Streams settings (ScoringApp.properties), for this application id and state directory. */
    static Properties properties(String applicationId, String bootstrapServers, Path stateDir, Duration commitInterval,
                                 int streamThreads, Duration linger) {
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, (int) commitInterval.toMillis());
        p.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, streamThreads);
        p.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toAbsolutePath().toString());
        p.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, 1);
        p.put(StreamsConfig.POLL_MS_CONFIG, Math.max(1, (int) linger.toMillis()));
        p.put(StreamsConfig.DEFAULT_TIMESTAMP_EXTRACTOR_CLASS_CONFIG, UsePartitionTimeOnInvalidTimestamp.class);
        p.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
        p.put(StreamsConfig.producerPrefix(ProducerConfig.LINGER_MS_CONFIG), 5);
        p.put(StreamsConfig.producerPrefix(ProducerConfig.COMPRESSION_TYPE_CONFIG), "lz4");
        return p;
    }
}
