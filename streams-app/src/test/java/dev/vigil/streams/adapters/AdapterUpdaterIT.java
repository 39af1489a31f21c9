package dev.vigil.streams.adapters;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.model.adapter.Adapter;
import dev.vigil.model.adapter.ReleaseSigning;
import dev.vigil.model.adapter.SigningKeys;
import dev.vigil.model.scoring.OnnxScorer;
import dev.vigil.schemas.avro.AdapterRelease;
import dev.vigil.schemas.registry.SchemaRegistryClient;
import dev.vigil.schemas.serde.AvroSerde;
import dev.vigil.stack.LocalStack;
import dev.vigil.stack.Service;
import dev.vigil.stack.TopicSpec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Adapter hot-swap on the real broker and registry: good releases swap the slot, bad ones are rejected with their
 * reason while the last good adapter stays live, and a restarted updater catches up from the compacted topic.
 */
class AdapterUpdaterIT {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final KeyPair TRUSTED = SigningKeys.generate();
    private static final String TRUSTED_ID = SigningKeys.keyId(TRUSTED.getPublic());

    @TempDir
    static Path graphDir;

    private static LocalStack stack;
    private static TinyServingGraph graph;
    private static AvroSerde<AdapterRelease> writerSerde;
    private static AvroSerde<AdapterRelease> readerSerde;

    private String topic;
    private KafkaProducer<String, byte[]> producer;
    private final List<AutoCloseable> toClose = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void startStackAndExportTheGraph() {
        stack = LocalStack.sharedForTests(Service.KAFKA, Service.SCHEMA_REGISTRY);
        SchemaRegistryClient registry = new SchemaRegistryClient(stack.schemaRegistryUrl());
        writerSerde = new AvroSerde<>(AdapterRelease.class, registry);
        readerSerde = new AvroSerde<>(AdapterRelease.class, registry, false);
        graph = TinyServingGraph.exportTo(graphDir);
    }

    @BeforeEach
    void freshCompactedTopic() {
        topic = "adapters-it-" + UUID.randomUUID().toString().substring(0, 8);
        stack.createTopics(List.of(TopicSpec.compacted(topic, 1)));
        producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers(),
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 20_000,
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000),
                new StringSerializer(), new ByteArraySerializer());
        toClose.add(producer);
    }

    @AfterEach
    void closeEverything() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
    }

    @Test
    void goodReleasesSwapTheSlotAndBadOnesAreRejectedWhileTheLastGoodStaysLive() throws Exception {
        AdapterSlot slot = new AdapterSlot(new LiveAdapter("0", 0, OnnxScorer.zeroAdapter(graph.signature)));
        RecordingListener listener = new RecordingListener();
        AdapterUpdater updater = startUpdater(slot, listener);
        assertThat(updater.awaitCaughtUp(WAIT)).as("caught up with the empty topic").isTrue();

        AdapterRelease one = signed("1", 1);
        publish(graph.baseModelHash, one);
        awaitTrue("release 1 is live", () -> slot.get().version().equals("1"));
        assertThat(slot.get().sequence()).isEqualTo(1);
        assertThat(slot.get().adapter()).isEqualTo(Adapter.fromRelease(one));

        AdapterRelease badSignature = AdapterRelease.newBuilder(signed("2", 2)).setNote("edited in transit").build();
        AdapterRelease otherBaseKeyed = signed("2", 2);
        AdapterRelease wrongBase = ReleaseSigning.sign(graph.release("2", 2).toAvro().setBaseModelHash("f".repeat(64)),
                TRUSTED.getPrivate(), TRUSTED_ID);
        AdapterRelease.Builder nan = graph.release("2", 2).toAvro();
        AdapterRelease withNan = ReleaseSigning.sign(nan.setTensors(TinyServingGraph.withValue(nan, 2, 0, Float.NaN)),
                TRUSTED.getPrivate(), TRUSTED_ID);
        publish(graph.baseModelHash, badSignature);
        publish("e".repeat(64), otherBaseKeyed);
        publish(graph.baseModelHash, wrongBase);
        publish(graph.baseModelHash, withNan);
        publishRaw(graph.baseModelHash, new byte[] {0, 0x7f, -1, -1, -1, 1, 2, 3}); // a schema id never registered
        publishRaw(graph.baseModelHash, "not avro".getBytes(StandardCharsets.UTF_8));
        awaitTrue("3 releases and 2 unreadable records rejected", () -> updater.rejectedCount() == 5,
                () -> state(updater, slot, listener));

        assertThat(listener.rejections()).containsExactly("2:bad_signature", "2:wrong_base_model", "2:non_finite",
                "unknown:unreadable", "unknown:unreadable");
        assertThat(updater.ignoredCount()).as("the release keyed by another base model").isEqualTo(1);
        assertThat(updater.lastRejection()).hasValueSatisfying(r -> assertThat(r.reason()).isEqualTo("unreadable"));
        assertThat(slot.get().version()).as("the last good adapter stays live").isEqualTo("1");
        assertThat(updater.isRunning()).isTrue();

        AdapterRelease two = signed("2", 2);
        publish(graph.baseModelHash, two);
        awaitTrue("release 2 is live", () -> slot.get().version().equals("2"));
        assertThat(slot.get().adapter()).isEqualTo(Adapter.fromRelease(two));
        assertThat(listener.applied()).containsExactly("1", "2");
        assertThat(updater.appliedCount()).isEqualTo(2);

        publish(graph.baseModelHash, signed("1", 1)); // a replay of an older release
        awaitTrue("the replay is rejected", () -> updater.rejectedCount() == 6);
        assertThat(listener.rejections()).last().isEqualTo("1:stale_sequence");
        assertThat(slot.get().version()).isEqualTo("2");
    }

    @Test
    void aRestartedUpdaterReadsTheTopicFromTheBeginningAndCatchesUpToTheLatestRelease() throws Exception {
        publish(graph.baseModelHash, signed("1", 1));
        publish(graph.baseModelHash, signed("2", 2));
        publish(graph.baseModelHash, signed("3", 3));
        // what a restarted service holds: the first adapter from its model directory
        AdapterSlot slot = new AdapterSlot(new LiveAdapter("1", 1, Adapter.fromRelease(signed("1", 1))));
        RecordingListener listener = new RecordingListener();

        AdapterUpdater updater = startUpdater(slot, listener);

        assertThat(updater.awaitCaughtUp(WAIT)).isTrue();
        assertThat(slot.get().version()).isEqualTo("3");
        assertThat(listener.applied()).containsExactly("2", "3");
        assertThat(updater.ignoredCount()).as("release 1 is already live").isEqualTo(1);
        assertThat(updater.rejectedCount()).isZero();
    }

    @Test
    void closeStopsTheThreadWithinItsTimeoutEvenWhileWaitingForAMissingTopic() throws Exception {
        AdapterSlot slot = new AdapterSlot(new LiveAdapter("0", 0, OnnxScorer.zeroAdapter(graph.signature)));
        AdapterVerifier verifier = new AdapterVerifier(List.of(TRUSTED.getPublic()), graph.baseModelHash,
                graph.signature, slot::get);
        AdapterUpdater updater = new AdapterUpdater(Map.of("bootstrap.servers", stack.bootstrapServers()),
                "adapters-it-missing-" + UUID.randomUUID(), readerSerde.deserializer(), verifier, slot,
                AdapterUpdater.Listener.NONE).start();
        toClose.add(updater);
        awaitTrue("the thread runs", updater::isRunning);
        assertThat(updater.awaitCaughtUp(Duration.ofSeconds(2))).isFalse();

        long start = System.nanoTime();
        updater.close();

        assertThat(updater.isRunning()).isFalse();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(AdapterUpdater.CLOSE_TIMEOUT);
        assertThat(slot.get().version()).isEqualTo("0");
    }

    private static String state(AdapterUpdater updater, AdapterSlot slot, RecordingListener listener) {
        return "(applied " + listener.applied() + ", rejected " + listener.rejections() + ", ignored "
                + updater.ignoredCount() + ", last rejection " + updater.lastRejection() + ", live "
                + slot.get().version() + ", running " + updater.isRunning() + ")";
    }

    private AdapterUpdater startUpdater(AdapterSlot slot, AdapterUpdater.Listener listener) {
        AdapterVerifier verifier = new AdapterVerifier(List.of(TRUSTED.getPublic()), graph.baseModelHash,
                graph.signature, slot::get);
        AdapterUpdater updater = new AdapterUpdater(Map.of("bootstrap.servers", stack.bootstrapServers()), topic,
                readerSerde.deserializer(), verifier, slot, listener);
        toClose.add(updater);
        return updater.start();
    }

    private AdapterRelease signed(String version, long sequence) {
        return graph.release(version, sequence).signWith(TRUSTED.getPrivate(), TRUSTED_ID);
    }

    private void publish(String key, AdapterRelease release) throws Exception {
        publishRaw(key, writerSerde.encode(topic, release));
    }

    private void publishRaw(String key, byte[] value) throws Exception {
        producer.send(new ProducerRecord<>(topic, key, value)).get(20, TimeUnit.SECONDS);
    }

    private static void awaitTrue(String what, BooleanSupplier condition) throws InterruptedException {
        awaitTrue(what, condition, () -> "");
    }

    private static void awaitTrue(String what, BooleanSupplier condition, Supplier<String> state)
            throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + WAIT + ": " + what + " " + state.get());
            }
            Thread.sleep(20);
        }
    }

    /** Records what the updater reports, as "version:reason" for rejections. */
    private static final class RecordingListener implements AdapterUpdater.Listener {
        private final List<String> applied = new CopyOnWriteArrayList<>();
        private final List<String> rejections = new CopyOnWriteArrayList<>();

        @Override
        public void applied(LiveAdapter adapter) {
            applied.add(adapter.version());
        }

        @Override
        public void rejected(String version, String reason) {
            rejections.add(version + ":" + reason);
        }

        List<String> applied() {
            return List.copyOf(applied);
        }

        List<String> rejections() {
            return List.copyOf(rejections);
        }
    }
}
