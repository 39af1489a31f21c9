package dev.vigil.bench.pipeline;

import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.Topology;

/**
 * The baseline the scoring topology is measured against: the same records read and written again, bytes in and the
 * same bytes out, with the Kafka Streams settings the scoring app runs with ({@code ScoringApp.streamsProperties}:
 * exactly_once_v2, its commit interval, stream threads, poll time, producer linger and compression, timeouts). What
 * it costs is what Kafka Streams with exactly-once costs on this machine; whatever the scorer costs beyond it is
 * scoring.
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
}
