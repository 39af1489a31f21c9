package dev.vigil.model.adapter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.model.network.FloatTensor;
import dev.vigil.model.network.FraudModel;
import dev.vigil.model.network.NetworkConfig;
import dev.vigil.model.network.SyntheticBatches;
import dev.vigil.schemas.avro.AdapterRelease;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class AdapterTest {

    static final NetworkConfig CONFIG = SyntheticBatches.smallConfig();

    static Adapter shifted(Adapter adapter, float delta) {
        Map<String, FloatTensor> tensors = new TreeMap<>();
        adapter.tensors().forEach((name, t) -> {
            float[] v = t.values();
            for (int i = 0; i < v.length; i++) {
                v[i] += delta * ((i % 7) - 3);
            }
            tensors.put(name, FloatTensor.of(t.shape(), v));
        });
        return Adapter.of(adapter.rank(), adapter.alpha(), tensors);
    }

    @Test
    void zeroAdapterIsWhatAFreshNetworkHolds() {
        try (FraudModel model = FraudModel.create(CONFIG)) {
            assertThat(Adapter.extract(model.network())).isEqualTo(Adapter.zero(CONFIG));
        }
        Adapter zero = Adapter.zero(CONFIG);
        assertThat(zero.tensors().keySet()).containsExactly(
                "layer0.attn.q.lora_a", "layer0.attn.q.lora_b", "layer0.attn.v.lora_a", "layer0.attn.v.lora_b",
                "layer0.ffn.up.lora_a", "layer0.ffn.up.lora_b");
        assertThat(zero.tensors().get("layer0.ffn.up.lora_a").shape()).containsExactly(8, 32);
        assertThat(zero.tensors().get("layer0.ffn.up.lora_b").shape()).containsExactly(64, 8);
        assertThat(zero.tensors().get("layer0.ffn.up.lora_b").values()).containsOnly(0f);
        assertThat(zero.parameterCount()).isEqualTo(CONFIG.parameterCount().lora());
        assertThat(zero.scale()).isEqualTo(2f);
    }

    @Test
    void loadingIntoTheNetworkAndExtractingGivesTheSameAdapter() {
        Adapter tuned = shifted(Adapter.zero(CONFIG), 0.01f);
        try (FraudModel model = FraudModel.create(CONFIG)) {
            tuned.loadInto(model.network());
            assertThat(Adapter.extract(model.network())).isEqualTo(tuned);
        }
    }

    @Test
    void encodingRoundTripsAndTheDigestFollowsTheContent() {
        Adapter tuned = shifted(Adapter.zero(CONFIG), 0.01f);
        byte[] bytes = tuned.encode();
        assertThat(Adapter.decode(bytes)).isEqualTo(tuned);
        assertThat(Adapter.decode(bytes).sha256()).isEqualTo(tuned.sha256()).hasSize(64);
        assertThat(shifted(tuned, 1e-6f).sha256()).isNotEqualTo(tuned.sha256());
        ByteBuffer header = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(new String(bytes, 0, 4, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("VGLA");
        assertThat(header.get(4)).isEqualTo((byte) 1);
        assertThat(header.getInt(5)).isEqualTo(8);
        assertThat(header.getFloat(9)).isEqualTo(16f);
    }

    @Test
    void releaseTensorsRoundTripThroughTheAdapterReleaseRecord() {
        Adapter tuned = shifted(Adapter.zero(CONFIG), 0.01f);
        AdapterRelease release = new AdapterRelease();
        release.setRank(tuned.rank());
        release.setAlpha(tuned.alpha());
        release.setTensors(tuned.toReleaseTensors());
        assertThat(release.getTensors().get(0).getName()).isEqualTo("layer0.attn.q.lora_a");
        assertThat(release.getTensors().get(0).getShape()).containsExactly(8, 32);
        assertThat(release.getTensors().get(0).getData().remaining()).isEqualTo(4 * 8 * 32);
        assertThat(Adapter.fromRelease(release)).isEqualTo(tuned);
    }

    @Test
    void malformedBytesAreRejected() {
        byte[] bytes = Adapter.zero(CONFIG).encode();
        assertThatThrownBy(() -> Adapter.decode(java.util.Arrays.copyOf(bytes, bytes.length - 3)))
                .isInstanceOf(IllegalArgumentException.class);
        byte[] trailing = java.util.Arrays.copyOf(bytes, bytes.length + 1);
        assertThatThrownBy(() -> Adapter.decode(trailing)).hasMessageContaining("trailing");
        byte[] magic = bytes.clone();
        magic[0] = 'X';
        assertThatThrownBy(() -> Adapter.decode(magic)).hasMessageContaining("magic");
    }

    @Test
    void inconsistentTensorsAreRejected() {
        Map<String, FloatTensor> onlyA = new TreeMap<>();
        onlyA.put("layer0.attn.q.lora_a", FloatTensor.zeros(8, 32));
        assertThatThrownBy(() -> Adapter.of(8, 16f, onlyA)).hasMessageContaining("lacks layer0.attn.q.lora_b");
        Map<String, FloatTensor> wrongRank = new TreeMap<>(onlyA);
        wrongRank.put("layer0.attn.q.lora_b", FloatTensor.zeros(32, 4));
        assertThatThrownBy(() -> Adapter.of(8, 16f, wrongRank)).hasMessageContaining("rank 8");
        Map<String, FloatTensor> nan = new TreeMap<>(onlyA);
        float[] values = new float[32 * 8];
        values[3] = Float.NaN;
        nan.put("layer0.attn.q.lora_b", FloatTensor.of(new int[] {32, 8}, values));
        assertThatThrownBy(() -> Adapter.of(8, 16f, nan)).hasMessageContaining("non-finite");
    }

    @Test
    void anAdapterOfAnotherShapeIsNotLoadedIntoTheNetwork() {
        NetworkConfig rank4 = CONFIG.withLora(4, 8f, CONFIG.loraTargets());
        try (FraudModel model = FraudModel.create(CONFIG)) {
            Adapter before = Adapter.extract(model.network());
            assertThatThrownBy(() -> Adapter.zero(rank4).loadInto(model.network()))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("rank 4");
            assertThat(Adapter.extract(model.network())).isEqualTo(before);
        }
    }
}
