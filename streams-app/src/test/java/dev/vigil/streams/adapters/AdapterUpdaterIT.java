package dev.vigil.streams.adapters;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.model.adapter.Adapter;
import dev.vigil.model.adapter.AdapterVerifier;
import dev.vigil.model.adapter.LiveAdapter;
import dev.vigil.model.adapter.ReleaseRecords;
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
    private static final KeyPair STRANGER = SigningKeys.generate();
    /**
     * 94 bytes that an unguarded decoder reads as an AdapterRelease with 2 billion tensors (the registry's magic
     * byte and a schema id, short strings, then an array block count of 2^31 - 1).
     */
    private static final byte[] LENGTH_BOMB = lengthBomb();

    @TempDir
    static Path graphDir;

    private static LocalStack stack;
    private static TinyServingGraph graph;
    private static AvroSerde<AdapterRelease> writerSerde;
    private static AvroSerde<AdapterRelease> readerSerde;

    private String topic;
    private KafkaProducer<byte[], byte[]> producer;
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
                new ByteArraySerializer(), new ByteArraySerializer());
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
        publish(one);
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
        publish(badSignature);
        publish("e".repeat(64) + "/2", otherBaseKeyed, TRUSTED);
        publish(graph.baseModelHash, wrongBase, TRUSTED);
        publish(withNan);
        // none of these is decoded: no seal, another signer's seal, a seal over other bytes
        publishRaw(graph.baseModelHash, LENGTH_BOMB);
        publish(graph.baseModelHash + "/2", signed("2", 2), STRANGER);
        byte[] value = writerSerde.encode(topic, signed("2", 2));
        ProducerRecord<byte[], byte[]> sealed = ReleaseRecords.record(topic, signed("2", 2), value,
                TRUSTED.getPrivate(), TRUSTED_ID);
        value[value.length - 1] ^= 1;
        send(new ProducerRecord<>(topic, null, sealed.key(), value, sealed.headers()));
        // sealed by the trusted key, but not an AdapterRelease: a schema id never registered, then not Avro at all
        publishSealed(graph.baseModelHash, new byte[] {0, 0x7f, -1, -1, -1, 1, 2, 3});
        publishSealed(graph.baseModelHash, "not avro".getBytes(StandardCharsets.UTF_8));
        awaitTrue("6 releases and 2 unreadable records rejected", () -> updater.rejectedCount() == 8,
                () -> state(updater, slot, listener));

        assertThat(listener.rejections()).containsExactly("2:bad_signature", "2:wrong_base_model", "2:non_finite",
                "unknown:unsigned", "unknown:unknown_key", "unknown:bad_signature", "unknown:unreadable",
                "unknown:unreadable");
        assertThat(updater.ignoredCount()).as("the release keyed by another base model").isEqualTo(1);
        assertThat(updater.lastRejection()).hasValueSatisfying(r -> assertThat(r.reason()).isEqualTo("unreadable"));
        assertThat(slot.get().version()).as("the last good adapter stays live").isEqualTo("1");
        assertThat(updater.isRunning()).isTrue();

        AdapterRelease two = signed("2", 2);
        publish(two);
        awaitTrue("release 2 is live", () -> slot.get().version().equals("2"));
        assertThat(slot.get().adapter()).isEqualTo(Adapter.fromRelease(two));
        assertThat(listener.applied()).containsExactly("1", "2");
        assertThat(updater.appliedCount()).isEqualTo(2);

        publish(signed("1", 1)); // a replay of an older release
        awaitTrue("the replay is rejected", () -> updater.rejectedCount() == 9);
        assertThat(listener.rejections()).last().isEqualTo("1:stale_sequence");
        assertThat(slot.get().version()).isEqualTo("2");
    }

    @Test
    void aRestartedUpdaterReadsTheTopicFromTheBeginningAndCatchesUpToTheLatestRelease() throws Exception {
        publish(signed("1", 1));
        publish(signed("2", 2));
        publish(signed("3", 3));
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
    void eachReleaseHasItsOwnKeySoCompactionKeepsThemAll() throws Exception {
        publish(signed("1", 1));
        publish(signed("2", 2));
        assertThat(ReleaseRecords.key(graph.baseModelHash, 2)).isEqualTo(graph.baseModelHash + "/2");
        assertThat(ReleaseRecords.baseOf(ReleaseRecords.key(graph.baseModelHash, 2))).isEqualTo(graph.baseModelHash);
        try (var consumer = new org.apache.kafka.clients.consumer.KafkaConsumer<String, byte[]>(Map.of(
                "bootstrap.servers", stack.bootstrapServers(), "auto.offset.reset", "earliest"),
                new org.apache.kafka.common.serialization.StringDeserializer(),
                new org.apache.kafka.common.serialization.ByteArrayDeserializer())) {
            var partition = new org.apache.kafka.common.TopicPartition(topic, 0);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            List<String> keys = new java.util.ArrayList<>();
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (keys.size() < 2 && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> keys.add(r.key()));
            }
            assertThat(keys).containsExactly(graph.baseModelHash + "/1", graph.baseModelHash + "/2");
        }
    }

    @Test
    void aRestartBeginsFromTheSavedLiveReleaseSoAnOlderOneReplayedOnATopicThatLostTheNewerIsStale(
            @TempDir Path stateDir) throws Exception {
        LiveReleaseFile file = new LiveReleaseFile(stateDir, graph.baseModelHash);
        AdapterSlot slot = new AdapterSlot(new LiveAdapter("1", 1, Adapter.fromRelease(signed("1", 1))));
        AdapterUpdater first = startUpdater(slot, new RecordingListener(), file);
        publish(signed("2", 2));
        publish(signed("3", 3));
        awaitTrue("release 3 is live", () -> slot.get().version().equals("3"));
        first.close();
        assertThat(file.load()).hasValueSatisfying(r -> assertThat(r.getSequence()).isEqualTo(3));

        // the topic as an attacker leaves it: release 3 gone (erased under its key), release 2 published again
        freshCompactedTopic();
        publish(signed("2", 2));
        AdapterSlot restarted = new AdapterSlot(new LiveAdapter("1", 1, Adapter.fromRelease(signed("1", 1))));
        AdapterVerifier verifier = new AdapterVerifier(List.of(TRUSTED.getPublic()), graph.baseModelHash,
                graph.signature, restarted::get);
        assertThat(file.restore(verifier, restarted)).isPresent();
        assertThat(restarted.get().version()).isEqualTo("3");
        RecordingListener listener = new RecordingListener();
        AdapterUpdater second = startUpdater(restarted, listener, file);

        assertThat(second.awaitCaughtUp(WAIT)).isTrue();
        assertThat(restarted.get().version()).isEqualTo("3");
        assertThat(listener.rejections()).containsExactly("2:stale_sequence");

        // a file altered on disk is not trusted: the release's own signature no longer verifies
        AdapterRelease saved = file.load().orElseThrow();
        new LiveReleaseFile(stateDir, graph.baseModelHash).save(AdapterRelease.newBuilder(saved).setSequence(9).build());
        AdapterSlot third = new AdapterSlot(new LiveAdapter("1", 1, Adapter.fromRelease(signed("1", 1))));
        assertThat(file.restore(new AdapterVerifier(List.of(TRUSTED.getPublic()), graph.baseModelHash,
                graph.signature, third::get), third)).isEmpty();
        assertThat(third.get().version()).isEqualTo("1");
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
        return startUpdater(slot, listener, null);
    }

    private AdapterUpdater startUpdater(AdapterSlot slot, AdapterUpdater.Listener listener, LiveReleaseFile file) {
        AdapterVerifier verifier = new AdapterVerifier(List.of(TRUSTED.getPublic()), graph.baseModelHash,
                graph.signature, slot::get);
        AdapterUpdater updater = new AdapterUpdater(Map.of("bootstrap.servers", stack.bootstrapServers()), topic,
                readerSerde.deserializer(), verifier, slot, listener, file);
        toClose.add(updater);
        return updater.start();
    }

    private AdapterRelease signed(String version, long sequence) {
        return graph.release(version, sequence).signWith(TRUSTED.getPrivate(), TRUSTED_ID);
    }

    /** Publishes a release as the loop does: keyed by base model and sequence, sealed by the trusted key. */
    private void publish(AdapterRelease release) throws Exception {
        send(ReleaseRecords.record(topic, release, writerSerde.encode(topic, release), TRUSTED.getPrivate(),
                TRUSTED_ID));
    }

    private void publish(String key, AdapterRelease release, KeyPair signer) throws Exception {
        publishSealed(key, writerSerde.encode(topic, release), signer);
    }

    private void publishSealed(String key, byte[] value) throws Exception {
        publishSealed(key, value, TRUSTED);
    }

    private void publishSealed(String key, byte[] value, KeyPair signer) throws Exception {
        byte[] keyBytes = key.getBytes(StandardCharsets.UTF_8);
        send(new ProducerRecord<>(topic, null, keyBytes, value, ReleaseRecords.seal(keyBytes, value,
                signer.getPrivate(), SigningKeys.keyId(signer.getPublic()))));
    }

    private void publishRaw(String key, byte[] value) throws Exception {
        send(new ProducerRecord<>(topic, key.getBytes(StandardCharsets.UTF_8), value));
    }

    private void send(ProducerRecord<byte[], byte[]> record) throws Exception {
        producer.send(record).get(20, TimeUnit.SECONDS);
    }

    /**
     * The registry header of schema id 1, then an AdapterRelease body cut short where its tensors array begins:
     * version "2", no parent, sequence 2, a 64-character base hash, created 0, rank 4, alpha 8, and a block count of
     * 2^31 - 1 tensors. 94 bytes in all.
     */
    private static byte[] lengthBomb() {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        out.writeBytes(new byte[] {0, 0, 0, 0, 1});
        out.writeBytes(new byte[] {2, '2'}); // version "2"
        out.write(0); // parent_version: null
        out.write(4); // sequence 2
        out.write(128); // base_model_hash: 64 characters
        out.write(1);
        out.writeBytes("a".repeat(64).getBytes(StandardCharsets.US_ASCII));
        out.write(0); // created_time 0
        out.write(8); // rank 4
        out.writeBytes(new byte[] {0, 0, 0, 0x41}); // alpha 8.0f
        out.writeBytes(new byte[] {(byte) 0xfe, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x0f}); // 2^31 - 1 tensors
        byte[] bomb = out.toByteArray();
        assertThat(bomb).hasSize(86);
        return java.util.Arrays.copyOf(bomb, 94);
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
