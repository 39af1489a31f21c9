package dev.vigil.model.adapter;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.model.network.FloatTensor;
import dev.vigil.schemas.avro.AdapterRelease;
import dev.vigil.schemas.avro.AdapterTensor;
import java.nio.ByteBuffer;
import java.security.KeyPair;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

class ReleaseSigningTest {

    private static final KeyPair KEYS = SigningKeys.generate();
    private static final String KEY_ID = SigningKeys.keyId(KEYS.getPublic());
    private static final String BASE = "22f3f21f5adc5c4b0a8de30e00a26ed28ba999c0aa6748abb169e79cb43ff12b";

    /** A small adapter with one adapted projection: A [2, 4], B [3, 2]. */
    static Adapter smallAdapter(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        return Adapter.of(2, 4f, Map.of(
                "layer0.attn.q.lora_a", FloatTensor.of(new int[] {2, 4}, randomValues(random, 8)),
                "layer0.attn.q.lora_b", FloatTensor.of(new int[] {3, 2}, randomValues(random, 6))));
    }

    private static float[] randomValues(SplittableRandom random, int n) {
        float[] values = new float[n];
        for (int i = 0; i < n; i++) {
            values[i] = (float) random.nextGaussian() * 0.1f;
        }
        return values;
    }

    private static UnsignedRelease unsigned() {
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("test_auc", 0.96);
        metrics.put("test_average_precision", 0.80);
        return new UnsignedRelease(smallAdapter(3), "2", "1", 2, BASE, Instant.parse("2026-02-12T10:00:00.123Z"),
                metrics, "tuned on the last week");
    }

    private static AdapterRelease signed() {
        return unsigned().signWith(KEYS.getPrivate(), KEY_ID);
    }

    @Test
    void aSignedReleaseVerifiesWithItsKeyAndNamesIt() {
        AdapterRelease release = signed();

        assertThat(release.getSignerKeyId()).isEqualTo(KEY_ID);
        assertThat(release.getSignature().remaining()).isEqualTo(ReleaseSigning.SIGNATURE_LENGTH);
        assertThat(ReleaseSigning.verify(release, KEYS.getPublic())).isTrue();
        assertThat(Adapter.fromRelease(release)).isEqualTo(smallAdapter(3));
    }

    @Test
    void aSignedReleaseStillVerifiesAfterAnAvroRoundTripThatReordersItsMetrics() throws Exception {
        Map<String, Double> metrics = new LinkedHashMap<>();
        for (char c = 'z'; c >= 'a'; c--) {
            metrics.put("metric_" + c, (double) c);
        }
        AdapterRelease release = unsigned().withMetrics(metrics).signWith(KEYS.getPrivate(), KEY_ID);
        AdapterRelease reversedOrder = AdapterRelease.newBuilder(release).setMetrics(metrics).build();

        AdapterRelease decoded = AdapterRelease.fromByteBuffer(reversedOrder.toByteBuffer());

        assertThat(decoded.getMetrics()).isEqualTo(metrics);
        assertThat(ReleaseSigning.canonicalBytes(decoded)).isEqualTo(ReleaseSigning.canonicalBytes(reversedOrder));
        assertThat(ReleaseSigning.verify(decoded, KEYS.getPublic())).isTrue();
    }

    @Test
    void canonicalBytesLeaveOutOnlyTheSignature() {
        AdapterRelease release = signed();
        AdapterRelease otherSignature = AdapterRelease.newBuilder(release)
                .setSignature(ByteBuffer.wrap(new byte[64])).build();

        assertThat(ReleaseSigning.canonicalBytes(otherSignature)).isEqualTo(ReleaseSigning.canonicalBytes(release));
        assertThat(ReleaseSigning.verify(otherSignature, KEYS.getPublic())).isFalse();
    }

    @Test
    void signingLeavesTheInputUnchanged() {
        AdapterRelease input = unsigned().toAvro().setSignerKeyId("someone").build();
        byte[] before = ReleaseSigning.canonicalBytes(input);

        ReleaseSigning.sign(input, KEYS.getPrivate(), KEY_ID);

        assertThat(input.getSignerKeyId()).isEqualTo("someone");
        assertThat(input.getSignature().remaining()).isZero();
        assertThat(ReleaseSigning.canonicalBytes(input)).isEqualTo(before);
    }

    @Test
    void aFlippedBitInAnyTensorByteFailsVerification() {
        AdapterRelease release = signed();
        int checked = 0;
        for (int t = 0; t < release.getTensors().size(); t++) {
            int length = release.getTensors().get(t).getData().remaining();
            for (int i = 0; i < length; i++) {
                AdapterRelease tampered = withTensorBitFlipped(release, t, i, 1 << (i % 8));
                assertThat(ReleaseSigning.verify(tampered, KEYS.getPublic()))
                        .as("bit %d of byte %d of tensor %d flipped", i % 8, i, t).isFalse();
                checked++;
            }
        }
        assertThat(checked).isEqualTo(4 * (8 + 6));
    }

    @Test
    void aChangeToAnyOtherFieldFailsVerification() {
        AdapterRelease release = signed();
        Map<String, UnaryOperator<AdapterRelease.Builder>> changes = new LinkedHashMap<>();
        changes.put("version", b -> b.setVersion("3"));
        changes.put("version, one bit", b -> b.setVersion(flipLowBit(b.getVersion())));
        changes.put("parent version", b -> b.setParentVersion(null));
        changes.put("sequence", b -> b.setSequence(b.getSequence() ^ 1));
        changes.put("sequence, high bit", b -> b.setSequence(b.getSequence() ^ (1L << 62)));
        changes.put("base model hash", b -> b.setBaseModelHash(flipLowBit(b.getBaseModelHash())));
        changes.put("created time", b -> b.setCreatedTime(b.getCreatedTime().plusMillis(1)));
        changes.put("rank", b -> b.setRank(b.getRank() + 1));
        changes.put("alpha", b -> b.setAlpha(Math.nextUp(b.getAlpha())));
        changes.put("tensor name", b -> b.setTensors(renameFirstTensor(b.getTensors())));
        changes.put("tensor shape", b -> b.setTensors(reshapeFirstTensor(b.getTensors())));
        changes.put("tensor order", b -> b.setTensors(reversed(b.getTensors())));
        changes.put("metrics", b -> b.setMetrics(Map.of("test_auc", 0.99, "test_average_precision", 0.80)));
        changes.put("note", b -> b.setNote("another note"));
        changes.put("signer key id", b -> b.setSignerKeyId("0123456789abcdef"));
        changes.forEach((what, change) -> assertThat(
                ReleaseSigning.verify(change.apply(AdapterRelease.newBuilder(release)).build(), KEYS.getPublic()))
                .as(what).isFalse());
    }

    @Test
    void anotherKeyFailsVerification() {
        AdapterRelease release = signed();
        KeyPair other = SigningKeys.generate();

        assertThat(ReleaseSigning.verify(release, other.getPublic())).isFalse();
        AdapterRelease resigned = ReleaseSigning.sign(release, other.getPrivate(), KEY_ID);
        assertThat(ReleaseSigning.verify(resigned, KEYS.getPublic())).isFalse();
        assertThat(ReleaseSigning.verify(resigned, other.getPublic())).isTrue();
    }

    @Test
    void aMissingOrTruncatedSignatureFailsVerification() {
        AdapterRelease release = signed();
        byte[] full = new byte[64];
        release.getSignature().duplicate().get(full);

        for (byte[] signature : List.of(new byte[0], Arrays.copyOf(full, 63),
                Arrays.copyOf(full, 65))) {
            AdapterRelease bad = AdapterRelease.newBuilder(release).setSignature(ByteBuffer.wrap(signature)).build();
            assertThat(ReleaseSigning.verify(bad, KEYS.getPublic())).as("%d bytes", signature.length).isFalse();
        }
    }

    @Test
    void ed25519SignaturesAreDeterministic() {
        assertThat(signed().getSignature()).isEqualTo(signed().getSignature());
    }

    private static AdapterRelease withTensorBitFlipped(AdapterRelease release, int tensor, int index, int mask) {
        List<AdapterTensor> tensors = new ArrayList<>(release.getTensors());
        AdapterTensor target = tensors.get(tensor);
        byte[] bytes = new byte[target.getData().remaining()];
        target.getData().duplicate().get(bytes);
        bytes[index] ^= (byte) mask;
        tensors.set(tensor, new AdapterTensor(target.getName(), target.getShape(), ByteBuffer.wrap(bytes)));
        return AdapterRelease.newBuilder(release).setTensors(tensors).build();
    }

    private static List<AdapterTensor> reversed(List<AdapterTensor> tensors) {
        List<AdapterTensor> copy = new ArrayList<>(tensors);
        Collections.reverse(copy);
        return copy;
    }

    private static String flipLowBit(String text) {
        char[] chars = text.toCharArray();
        chars[chars.length - 1] ^= 1;
        return new String(chars);
    }

    private static List<AdapterTensor> renameFirstTensor(List<AdapterTensor> tensors) {
        List<AdapterTensor> copy = new ArrayList<>(tensors);
        AdapterTensor first = copy.get(0);
        copy.set(0, new AdapterTensor("layer0.attn.k.lora_a", first.getShape(), first.getData()));
        return copy;
    }

    private static List<AdapterTensor> reshapeFirstTensor(List<AdapterTensor> tensors) {
        List<AdapterTensor> copy = new ArrayList<>(tensors);
        AdapterTensor first = copy.get(0);
        copy.set(0, new AdapterTensor(first.getName(), List.of(4, 2), first.getData()));
        return copy;
    }
}
