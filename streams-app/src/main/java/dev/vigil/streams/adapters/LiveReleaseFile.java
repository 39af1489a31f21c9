package dev.vigil.streams.adapters;

import dev.vigil.model.adapter.AdapterRejectedException;
import dev.vigil.model.adapter.AdapterVerifier;
import dev.vigil.model.adapter.LiveAdapter;
import dev.vigil.model.adapter.ReleaseRecords;
import dev.vigil.model.adapter.ReleaseSigning;
import dev.vigil.schemas.avro.AdapterRelease;
import dev.vigil.schemas.serde.AvroLimits;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Objects;
import java.util.Optional;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The scorer's own copy of the live release, {@code <state-dir>/adapters/<base-model-hash>.release}: the release as
 * signed (Avro binary under {@link AdapterRelease#getClassSchema()}, its own signature inside), written each time a
 * release goes live. At start-up {@link #restore} puts it live again through the verifier (signature, base model,
 * shapes), before the topic is read. So the highest sequence this scorer accepted survives a restart even when the
 * topic no longer holds that release (deleted, or erased by a record published under its key), and a replayed older
 * release is stale.
 */
public final class LiveReleaseFile {

    private static final Logger log = LoggerFactory.getLogger(LiveReleaseFile.class);

    private final Path file;

    public LiveReleaseFile(Path stateDir, String baseModelHash) {
        Objects.requireNonNull(stateDir, "stateDir");
        if (baseModelHash == null || !baseModelHash.matches("[0-9a-f]{8,128}")) {
            throw new IllegalArgumentException("not a base-model hash: " + baseModelHash);
        }
        this.file = stateDir.resolve("adapters").resolve(baseModelHash + ".release");
    }

    public Path path() {
        return file;
    }

    /**
     * Writes the release, replacing the previous one atomically (a crash leaves the old file or the new one). A
     * failure is logged, not thrown: the release is live either way, and the topic still holds it.
     */
    public void save(AdapterRelease release) {
        try {
            byte[] bytes = ReleaseSigning.avroBinary(release);
            Files.createDirectories(file.getParent());
            Path temp = Files.createTempFile(file.getParent(), file.getFileName().toString(), ".tmp");
            try {
                Files.write(temp, bytes);
                try {
                    Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
                }
            } finally {
                Files.deleteIfExists(temp);
            }
        } catch (IOException | RuntimeException e) {
            log.warn("could not keep a copy of live adapter {} (sequence {}) in {}: {}; a restart will rely on the "
                    + "topic alone", release.getVersion(), release.getSequence(), file, e.toString());
        }
    }

    /** The release last saved, if the file exists and reads as one (at most {@link ReleaseRecords#MAX_VALUE_BYTES}). */
    public Optional<AdapterRelease> load() {
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            long size = Files.size(file);
            if (size > ReleaseRecords.MAX_VALUE_BYTES) {
                log.warn("ignoring {}: {} bytes is over the {}-byte limit for a release", file, size,
                        ReleaseRecords.MAX_VALUE_BYTES);
                return Optional.empty();
            }
            AvroLimits.install();
            byte[] bytes = Files.readAllBytes(file);
            return Optional.of(new SpecificDatumReader<>(AdapterRelease.class)
                    .read(null, DecoderFactory.get().binaryDecoder(bytes, null)));
        } catch (IOException | RuntimeException e) {
            log.warn("ignoring {}: not a readable adapter release ({})", file, e.toString());
            return Optional.empty();
        }
    }

    /**
     * Puts the saved release live in {@code slot} if the verifier accepts it against what is live now (a release
     * newer than the model directory's adapter, signed by a trusted key, for this base model). Returns it if it went
     * live; a refused file is logged and left alone.
     */
    public Optional<LiveAdapter> restore(AdapterVerifier verifier, AdapterSlot slot) {
        Optional<AdapterRelease> saved = load();
        if (saved.isEmpty()) {
            return Optional.empty();
        }
        try {
            LiveAdapter live = verifier.verify(saved.get());
            slot.swap(live);
            log.info("adapter {} (sequence {}) is live again from {}", live.version(), live.sequence(), file);
            return Optional.of(live);
        } catch (AdapterRejectedException e) {
            if (e.reason() != AdapterRejectedException.Reason.ALREADY_LIVE) {
                log.warn("not restoring the adapter saved in {}: {}: {}", file, e.reason().code(), e.getMessage());
            }
            return Optional.empty();
        }
    }
}
