package dev.vigil.feedback.releases;

import dev.vigil.schemas.KafkaClients;
import dev.vigil.model.adapter.ReleaseRecords;
import dev.vigil.model.adapter.ReleaseSigning;
import dev.vigil.model.adapter.SigningKeys;
import dev.vigil.schemas.avro.AdapterRelease;
import dev.vigil.schemas.serde.AvroSerde;
import java.security.PublicKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What {@code fraud.adapters} holds, read with read_committed from the beginning and kept up to date by
 * {@link #catchUp}: the highest sequence per base model (any record: the next release must be above it) and the
 * latest release per base model whose seal ({@link ReleaseRecords}) and own signature verify under a trusted key
 * (the only one an update may start
 * from: an unsigned or foreign record on the topic must not be laundered into a release signed with our key).
 * Optionally keeps every release read, for {@code ./vigil adapters list}. Not thread-safe.
 */
public final class ReleaseLog implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ReleaseLog.class);

    /** A release with where it was read. */
    public record Entry(AdapterRelease release, String key, int partition, long offset, boolean verified) {}

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final String topic;
    private final AvroSerde<AdapterRelease> serde;
    private final Map<String, PublicKey> trusted = new HashMap<>();
    private final boolean keepHistory;
    private final List<Entry> history = new ArrayList<>();
    private final Map<String, Long> maxSequence = new HashMap<>();
    private final Map<String, Entry> latestVerified = new HashMap<>();
    private final List<TopicPartition> partitions;

    public ReleaseLog(String bootstrapServers, String topic, AvroSerde<AdapterRelease> serde,
            Collection<PublicKey> trustedKeys, boolean keepHistory) {
        this.topic = topic;
        this.serde = serde;
        this.keepHistory = keepHistory;
        trustedKeys.forEach(k -> trusted.put(SigningKeys.keyId(k), k));
        Properties p = new Properties();
        p.putAll(KafkaClients.config(bootstrapServers));
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 8 * 1024 * 1024);
        this.consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        this.partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                .map(info -> new TopicPartition(topic, info.partition())).toList();
        if (partitions.isEmpty()) {
            consumer.close();
            throw new IllegalStateException("topic " + topic + " does not exist (create it with ./vigil up or "
                    + "./vigil topics)");
        }
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
    }

    /** Reads everything committed up to now. */
    public ReleaseLog catchUp(Duration timeout) {
        Map<TopicPartition, Long> end = consumer.endOffsets(partitions, timeout);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!reached(end)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("could not read " + topic + " to its end within " + timeout);
            }
            for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                accept(r);
            }
        }
        return this;
    }

    private boolean reached(Map<TopicPartition, Long> end) {
        for (TopicPartition tp : partitions) {
            if (consumer.position(tp) < end.getOrDefault(tp, 0L)) {
                return false;
            }
        }
        return true;
    }

    private void accept(ConsumerRecord<byte[], byte[]> r) {
        if (r.value() == null) {
            return; // a tombstone
        }
        ReleaseRecords.Check seal = ReleaseRecords.check(r.key(), r.value(), r.headers(), trusted);
        if (seal.seal() == ReleaseRecords.Seal.OVERSIZED) {
            log.warn("record on {} at {}-{} not read: {}", r.topic(), r.partition(), r.offset(), seal.message());
            return;
        }
        AdapterRelease release;
        try {
            release = serde.decode(r.topic(), r.value());
        } catch (SerializationException e) {
            log.warn("unreadable record on {} at {}-{}: {}", r.topic(), r.partition(), r.offset(), e.getMessage());
            return;
        }
        String base = release.getBaseModelHash();
        PublicKey key = trusted.get(release.getSignerKeyId());
        boolean verified = seal.sealed() && key != null && ReleaseSigning.verify(release, key);
        Entry entry = new Entry(release, r.key() == null ? null : new String(r.key(),
                java.nio.charset.StandardCharsets.UTF_8), r.partition(), r.offset(), verified);
        maxSequence.merge(base, release.getSequence(), Math::max);
        if (verified) {
            Entry previous = latestVerified.get(base);
            if (previous == null || release.getSequence() > previous.release().getSequence()) {
                latestVerified.put(base, entry);
            }
        } else if (!trusted.isEmpty()) {
            log.warn("release {} (sequence {}) on {} is not signed by a trusted key ({}): not used as a parent",
                    release.getVersion(), release.getSequence(), topic, release.getSignerKeyId());
        }
        if (keepHistory) {
            history.add(entry);
        }
    }

    /** The highest sequence on the topic for this base model, any signer. */
    public Optional<Long> maxSequence(String baseModelHash) {
        return Optional.ofNullable(maxSequence.get(baseModelHash));
    }

    /** The latest release for this base model signed by a trusted key. */
    public Optional<Entry> latestVerified(String baseModelHash) {
        return Optional.ofNullable(latestVerified.get(baseModelHash));
    }

    /** Every release read, in topic order (only with keepHistory). */
    public List<Entry> history() {
        return List.copyOf(history);
    }

    /** The releases of one version, in topic order (only with keepHistory). */
    public Map<Long, Entry> byVersion(String version) {
        Map<Long, Entry> found = new LinkedHashMap<>();
        history.stream().filter(e -> e.release().getVersion().equals(version))
                .forEach(e -> found.put(e.release().getSequence(), e));
        return found;
    }

    @Override
    public void close() {
        consumer.close();
    }
}
