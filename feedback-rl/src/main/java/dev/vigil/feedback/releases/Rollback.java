package dev.vigil.feedback.releases;

import dev.vigil.schemas.KafkaClients;
import dev.vigil.model.ModelDirectory;
import dev.vigil.model.adapter.Adapter;
import dev.vigil.model.adapter.ReleaseRecords;
import dev.vigil.model.adapter.SigningKeys;
import dev.vigil.model.adapter.UnsignedRelease;
import dev.vigil.schemas.avro.AdapterRelease;
import dev.vigil.schemas.serde.AvroSerde;
import java.io.IOException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * A rollback to an earlier adapter: VERSION's tensors republished on {@code fraud.adapters} with a new, higher
 * sequence and parent = the current release, signed and sealed with our key, so the scorer swaps to it like to any
 * newer release. The one implementation behind {@code ./vigil adapters rollback} and the console's rollback button.
 *
 * @param bootstrapServers Kafka
 * @param adaptersTopic    the adapters topic (fraud.adapters)
 * @param serde            AdapterRelease in the registry's wire format
 * @param trustedKeys      public keys whose releases count as verified (the signing key's own is added)
 * @param privateKey       signs the rollback release
 * @param publicKey        the signing key's public half
 * @param readTimeout      how long reading the topic to its end may take
 */
public record Rollback(String bootstrapServers, String adaptersTopic, AvroSerde<AdapterRelease> serde,
                       List<PublicKey> trustedKeys, PrivateKey privateKey, PublicKey publicKey, Duration readTimeout) {

    public Rollback {
        Objects.requireNonNull(bootstrapServers, "bootstrapServers");
        Objects.requireNonNull(adaptersTopic, "adaptersTopic");
        Objects.requireNonNull(serde, "serde");
        Objects.requireNonNull(privateKey, "privateKey");
        Objects.requireNonNull(publicKey, "publicKey");
        Objects.requireNonNull(readTimeout, "readTimeout");
        List<PublicKey> keys = new ArrayList<>(trustedKeys);
        if (!keys.contains(publicKey)) {
            keys.add(publicKey);
        }
        trustedKeys = List.copyOf(keys);
    }

    /**
     * Reads the release log, builds the rollback to {@code version} (see {@link #release}), signs, seals and publishes
     * it (idempotent producer, acks=all) and returns it.
     *
     * @param model lets VERSION be the model's first adapter when it is no longer on the compacted topic; may be null
     * @throws IllegalArgumentException when there is no trusted release of that version to roll back to
     */
    public AdapterRelease publish(String version, ModelDirectory model) throws IOException {
        String keyId = SigningKeys.keyId(publicKey);
        AdapterRelease release;
        try (ReleaseLog log = new ReleaseLog(bootstrapServers, adaptersTopic, serde, trustedKeys, true)
                .catchUp(readTimeout)) {
            release = release(log, version, model).signWith(privateKey, keyId);
        }
        Properties p = new Properties();
        p.putAll(KafkaClients.config(bootstrapServers));
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 8 * 1024 * 1024);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p, new ByteArraySerializer(),
                new ByteArraySerializer())) {
            producer.send(ReleaseRecords.record(adaptersTopic, release, serde.encode(adaptersTopic, release),
                    privateKey, keyId)).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while publishing the rollback", e);
        } catch (ExecutionException e) {
            throw new IOException("could not publish the rollback: " + e.getCause(), e.getCause());
        }
        return release;
    }

    /**
     * The unsigned rollback release: VERSION's tensors (its latest trusted release on the topic, else the model
     * directory's first adapter) with sequence = highest on the topic + 1 and parent = the current release.
     */
    public static UnsignedRelease release(ReleaseLog log, String version, ModelDirectory model) throws IOException {
        Optional<ReleaseLog.Entry> target = log.byVersion(version).values().stream()
                .filter(ReleaseLog.Entry::verified)
                .max(Comparator.comparingLong(e -> e.release().getSequence()));
        Adapter adapter;
        String base;
        Map<String, Double> metrics = Map.of();
        if (target.isPresent()) {
            adapter = Adapter.fromRelease(target.get().release());
            base = target.get().release().getBaseModelHash();
            metrics = target.get().release().getMetrics().entrySet().stream()
                    .collect(Collectors.toMap(e -> e.getKey().toString(), Map.Entry::getValue));
        } else if (model != null && model.adapterIdentity().version().equals(version)) {
            UnsignedRelease first = UnsignedRelease.fromModelDirectory(model);
            adapter = first.adapter();
            base = first.baseModelHash();
            metrics = first.metrics();
        } else {
            boolean unverified = !log.byVersion(version).isEmpty();
            throw new IllegalArgumentException("no release " + version + " to roll back to"
                    + (unverified ? ": it is on the topic but not signed by a trusted key" : " on the topic")
                    + (model == null ? " (give --model DIR if it is the model's first adapter)" : ""));
        }
        long sequence = log.maxSequence(base).orElse(0L) + 1;
        String current = log.history().stream()
                .filter(e -> e.release().getBaseModelHash().equals(base) && e.verified())
                .max(Comparator.comparingLong(e -> e.release().getSequence()))
                .map(e -> e.release().getVersion())
                .orElse(null);
        return new UnsignedRelease(adapter, version, current, sequence, base, Instant.now(), metrics,
                "rollback to " + version + (target.isPresent()
                        ? " (from sequence " + target.get().release().getSequence() + ")" : " (model's first adapter)"));
    }
}
