package dev.vigil.model.adapter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.model.ModelDirectory;
import dev.vigil.schemas.avro.AdapterRelease;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link UnsignedRelease#fromModelDirectory}: the trainer's first adapter, signed for {@code fraud.adapters}. */
class ReleaseSigningModelDirectoryTest {

    private static final String BASE = "22f3f21f5adc5c4b0a8de30e00a26ed28ba999c0aa6748abb169e79cb43ff12b";

    @TempDir
    Path dir;

    private final Adapter adapter = ReleaseSigningTest.smallAdapter(5);

    private ObjectNode writeModelFiles() throws IOException {
        Files.write(dir.resolve(ModelDirectory.ADAPTER), adapter.encode());
        Files.writeString(dir.resolve(ModelDirectory.BASE_HASH), BASE + "  model.int8.onnx\n");
        ObjectNode meta = ModelDirectory.JSON.createObjectNode();
        meta.put("version", "1");
        meta.putNull("parent_version");
        meta.put("sequence", 1);
        meta.put("base_model_hash", BASE);
        meta.put("sha256", adapter.sha256());
        meta.put("created_time", "2026-11-24T03:48:04Z");
        meta.put("note", "first adapter");
        meta.putObject("metrics").put("test_auc", 0.965).put("test_average_precision", 0.801);
        return meta;
    }

    private void writeMeta(ObjectNode meta) throws IOException {
        ModelDirectory.JSON.writeValue(dir.resolve(ModelDirectory.ADAPTER_META).toFile(), meta);
    }

    @Test
    void theFirstAdapterOfAModelDirectoryBecomesASignableRelease() throws IOException {
        writeMeta(writeModelFiles());
        KeyPair keys = SigningKeys.generate();

        UnsignedRelease unsigned = UnsignedRelease.fromModelDirectory(new ModelDirectory(dir));
        AdapterRelease release = unsigned.signWith(keys.getPrivate(), SigningKeys.keyId(keys.getPublic()));

        assertThat(release.getVersion()).isEqualTo("1");
        assertThat(release.getParentVersion()).isNull();
        assertThat(release.getSequence()).isEqualTo(1);
        assertThat(release.getBaseModelHash()).isEqualTo(BASE);
        assertThat(release.getCreatedTime()).isEqualTo(Instant.parse("2026-11-24T03:48:04Z"));
        assertThat(release.getNote()).isEqualTo("first adapter");
        assertThat(release.getMetrics()).containsEntry("test_auc", 0.965).hasSize(2);
        assertThat(Adapter.fromRelease(release)).isEqualTo(adapter);
        assertThat(ReleaseSigning.verify(release, keys.getPublic())).isTrue();
    }

    @Test
    void aRecordedHashThatDoesNotMatchTheFilesIsRefused() throws IOException {
        ObjectNode meta = writeModelFiles();
        writeMeta(meta.put("sha256", "00" + adapter.sha256().substring(2)));
        assertThatThrownBy(() -> UnsignedRelease.fromModelDirectory(new ModelDirectory(dir)))
                .isInstanceOf(IOException.class).hasMessageContaining("records adapter SHA-256");

        writeMeta(meta.put("sha256", adapter.sha256()).put("base_model_hash", "ff" + BASE.substring(2)));
        assertThatThrownBy(() -> UnsignedRelease.fromModelDirectory(new ModelDirectory(dir)))
                .isInstanceOf(IOException.class).hasMessageContaining("records base model");
    }

    @Test
    void createdTimeIsKeptToTheMillisecondAsTheRecordCarriesIt() {
        UnsignedRelease release = UnsignedRelease.of(adapter, "2", "1", 2, BASE)
                .withCreatedTime(Instant.parse("2026-02-12T10:00:00.123456789Z"));

        assertThat(release.createdTime()).isEqualTo(Instant.parse("2026-02-12T10:00:00.123Z"));
        assertThat(release.toAvro().build().getCreatedTime()).isEqualTo(release.createdTime());
    }
}
