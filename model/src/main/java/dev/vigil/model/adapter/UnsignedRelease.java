package dev.vigil.model.adapter;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.model.ModelDirectory;
import dev.vigil.schemas.avro.AdapterRelease;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.security.PrivateKey;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * An adapter with its release identity, ready to be signed and published on {@code fraud.adapters}: what the
 * trainer, the feedback loop and tests build before {@link #signWith}.
 *
 * @param adapter       the tensors, rank and alpha
 * @param version       the release version, e.g. {@code 2}
 * @param parentVersion the version it was tuned from, or null for a first adapter
 * @param sequence      position on the topic for this base model; a verifier accepts only a higher one than live
 * @param baseModelHash SHA-256 of the int8 serving graph the adapter was trained against
 * @param createdTime   when it was made (kept to the millisecond, as the record carries it)
 * @param metrics       holdout metrics of the promotion gate (kept as an unmodifiable copy sorted by name; null = none)
 * @param note          free text, or null
 */
public record UnsignedRelease(Adapter adapter, String version, String parentVersion, long sequence,
        String baseModelHash, Instant createdTime, Map<String, Double> metrics, String note) {

    public UnsignedRelease {
        Objects.requireNonNull(adapter, "adapter");
        requireText(version, "version");
        requireText(baseModelHash, "base model hash");
        Objects.requireNonNull(createdTime, "createdTime");
        if (sequence < 0) {
            throw new IllegalArgumentException("release sequence must not be negative, got " + sequence);
        }
        if (parentVersion != null && parentVersion.isBlank()) {
            parentVersion = null;
        }
        createdTime = createdTime.truncatedTo(ChronoUnit.MILLIS);
        metrics = Collections.unmodifiableSortedMap(metrics == null ? new TreeMap<>() : new TreeMap<>(metrics));
    }

    /** A release of {@code adapter} made now, without metrics or note. */
    public static UnsignedRelease of(Adapter adapter, String version, String parentVersion, long sequence,
            String baseModelHash) {
        return new UnsignedRelease(adapter, version, parentVersion, sequence, baseModelHash, Instant.now(), Map.of(),
                null);
    }

    public UnsignedRelease withMetrics(Map<String, Double> newMetrics) {
        return new UnsignedRelease(adapter, version, parentVersion, sequence, baseModelHash, createdTime,
                newMetrics, note);
    }

    public UnsignedRelease withNote(String newNote) {
        return new UnsignedRelease(adapter, version, parentVersion, sequence, baseModelHash, createdTime, metrics,
                newNote);
    }

    public UnsignedRelease withCreatedTime(Instant time) {
        return new UnsignedRelease(adapter, version, parentVersion, sequence, baseModelHash, time, metrics, note);
    }

    /**
     * The first adapter of a trained model directory ({@code adapter.bin}) with the release metadata the trainer
     * recorded in {@code adapter.json}. Fails if the recorded SHA-256 is not the adapter's or the recorded base-model
     * hash is not the directory's.
     */
    public static UnsignedRelease fromModelDirectory(ModelDirectory directory) throws IOException {
        Adapter adapter = directory.adapter();
        JsonNode meta = ModelDirectory.JSON.readTree(directory.file(ModelDirectory.ADAPTER_META).toFile());
        String where = directory.file(ModelDirectory.ADAPTER_META).toString();
        String recordedSha = meta.path("sha256").asText(null);
        if (recordedSha != null && !recordedSha.equals(adapter.sha256())) {
            throw new IOException(where + " records adapter SHA-256 " + recordedSha + " but "
                    + ModelDirectory.ADAPTER + " has " + adapter.sha256());
        }
        String baseHash = directory.baseModelHash();
        String recordedBase = meta.path("base_model_hash").asText(null);
        if (recordedBase != null && !recordedBase.equals(baseHash)) {
            throw new IOException(where + " records base model " + recordedBase + " but "
                    + ModelDirectory.BASE_HASH + " says " + baseHash);
        }
        String version = meta.path("version").asText(null);
        if (version == null || version.isBlank()) {
            throw new IOException(where + " has no version");
        }
        if (!meta.path("sequence").canConvertToLong()) {
            throw new IOException(where + " has no numeric sequence");
        }
        Instant created;
        try {
            created = meta.hasNonNull("created_time") ? Instant.parse(meta.get("created_time").asText()) : Instant.now();
        } catch (DateTimeParseException e) {
            throw new IOException(where + " has an unreadable created_time: " + e.getMessage(), e);
        }
        SortedMap<String, Double> metrics = new TreeMap<>();
        for (Map.Entry<String, JsonNode> metric : meta.path("metrics").properties()) {
            if (metric.getValue().isNumber()) {
                metrics.put(metric.getKey(), metric.getValue().asDouble());
            }
        }
        return new UnsignedRelease(adapter, version, meta.path("parent_version").asText(null),
                meta.get("sequence").asLong(), baseHash, created, metrics, meta.path("note").asText(null));
    }

    /**
     * The Avro record, every field set but the signer: {@code signer_key_id} is empty and {@code signature} is an
     * empty byte string until {@link ReleaseSigning#sign} fills them.
     */
    public AdapterRelease.Builder toAvro() {
        return AdapterRelease.newBuilder()
                .setVersion(version)
                .setParentVersion(parentVersion)
                .setSequence(sequence)
                .setBaseModelHash(baseModelHash)
                .setCreatedTime(createdTime)
                .setRank(adapter.rank())
                .setAlpha(adapter.alpha())
                .setTensors(adapter.toReleaseTensors())
                .setMetrics(new TreeMap<>(metrics))
                .setNote(note)
                .setSignerKeyId("")
                .setSignature(ByteBuffer.wrap(new byte[0]));
    }

    /** The signed release, ready to publish keyed by {@link #baseModelHash}. */
    public AdapterRelease signWith(PrivateKey key, String keyId) {
        return ReleaseSigning.sign(toAvro(), key, keyId);
    }

    private static void requireText(String value, String what) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("a release needs a " + what);
        }
    }
}
