package dev.vigil.streams.adapters;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.vigil.model.adapter.Adapter;
import dev.vigil.model.adapter.AdapterRejectedException;
import dev.vigil.model.adapter.AdapterVerifier;
import dev.vigil.model.adapter.LiveAdapter;
import dev.vigil.model.adapter.ReleaseSigning;
import dev.vigil.model.adapter.SigningKeys;
import dev.vigil.model.scoring.OnnxScorer;
import dev.vigil.schemas.avro.AdapterRelease;
import dev.vigil.schemas.avro.AdapterTensor;
import dev.vigil.model.adapter.AdapterRejectedException.Reason;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The verifier against a tiny real serving graph and an in-process slot. */
class AdapterVerifierTest {

    private static final KeyPair TRUSTED = SigningKeys.generate();
    private static final String TRUSTED_ID = SigningKeys.keyId(TRUSTED.getPublic());
    private static final KeyPair STRANGER = SigningKeys.generate();

    @TempDir
    static Path graphDir;

    private static TinyServingGraph graph;

    private AdapterSlot slot;
    private AdapterVerifier verifier;

    @BeforeAll
    static void exportTheGraph() {
        graph = TinyServingGraph.exportTo(graphDir);
    }

    @BeforeEach
    void liveAdapterIsVersionOneAtSequenceOne() {
        slot = new AdapterSlot(new LiveAdapter("1", 1, OnnxScorer.zeroAdapter(graph.signature)));
        verifier = new AdapterVerifier(List.of(TRUSTED.getPublic()),
                graph.baseModelHash, graph.signature, slot::get);
    }

    private AdapterRelease signed(String version, long sequence) {
        return graph.release(version, sequence).signWith(TRUSTED.getPrivate(), TRUSTED_ID);
    }

    /** Release 2 at sequence 2, changed by {@code change} and then signed by the trusted key. */
    private AdapterRelease signedAfter(UnaryOperator<AdapterRelease.Builder> change) {
        return ReleaseSigning.sign(change.apply(graph.release("2", 2).toAvro()), TRUSTED.getPrivate(), TRUSTED_ID);
    }

    private Reason rejectionOf(AdapterRelease release) {
        AdapterRejectedException e = catchThrowableOfType(AdapterRejectedException.class,
                () -> verifier.verify(release));
        assertThat(e).as("release %s is rejected", release.getVersion()).isNotNull();
        assertThat(e.version()).isEqualTo(release.getVersion());
        assertThat(e.getMessage()).contains("adapter release " + release.getVersion());
        return e.reason();
    }

    @Test
    void aSignedNewerReleaseForTheLiveBaseThatFitsTheGraphIsAccepted() throws Exception {
        AdapterRelease release = signed("2", 2);

        LiveAdapter live = verifier.verify(release);

        assertThat(live.version()).isEqualTo("2");
        assertThat(live.sequence()).isEqualTo(2);
        assertThat(live.adapter()).isEqualTo(Adapter.fromRelease(release));
        assertThat(live.adapter().tensors().keySet()).containsExactlyInAnyOrderElementsOf(
                graph.signature.loraInputs());
        assertThat(verifier.trustedKeyIds()).containsExactly(TRUSTED_ID);
        assertThat(slot.get().version()).as("verifying does not swap").isEqualTo("1");
    }

    @Test
    void aReleaseSignedByAnUntrustedKeyIsUnknownKey() {
        AdapterRelease release = graph.release("2", 2).signWith(STRANGER.getPrivate(),
                SigningKeys.keyId(STRANGER.getPublic()));

        assertThat(rejectionOf(release)).isEqualTo(Reason.UNKNOWN_KEY);
        assertThat(Reason.UNKNOWN_KEY.code()).isEqualTo("unknown_key");
    }

    @Test
    void aSignatureThatDoesNotVerifyIsBadSignature() {
        AdapterRelease.Builder edited = AdapterRelease.newBuilder(signed("2", 2));
        AdapterRelease tampered = edited.setTensors(TinyServingGraph.withValue(edited, 0, 3, 0.5f)).build();
        AdapterRelease impostor = graph.release("2", 2).signWith(STRANGER.getPrivate(), TRUSTED_ID);
        AdapterRelease resequenced = AdapterRelease.newBuilder(signed("2", 2)).setSequence(99).build();

        assertThat(rejectionOf(tampered)).isEqualTo(Reason.BAD_SIGNATURE);
        assertThat(rejectionOf(impostor)).isEqualTo(Reason.BAD_SIGNATURE);
        assertThat(rejectionOf(resequenced)).isEqualTo(Reason.BAD_SIGNATURE);
    }

    @Test
    void aReleaseForAnotherBaseModelIsWrongBaseModel() {
        AdapterRelease release = signedAfter(b -> b.setBaseModelHash("0".repeat(64)));

        assertThat(rejectionOf(release)).isEqualTo(Reason.WRONG_BASE_MODEL);
    }

    @Test
    void aReleaseNotNewerThanTheLiveOneIsStaleAndTheLiveOneItselfIsAlreadyLive() throws Exception {
        assertThat(rejectionOf(signed("0", 0))).isEqualTo(Reason.STALE_SEQUENCE);
        assertThat(rejectionOf(signed("1b", 1))).isEqualTo(Reason.STALE_SEQUENCE);
        assertThat(rejectionOf(signed("1", 1))).isEqualTo(Reason.ALREADY_LIVE);

        AdapterRelease two = signed("2", 2);
        slot.swap(verifier.verify(two));

        assertThat(rejectionOf(two)).as("checked against what is live now").isEqualTo(Reason.ALREADY_LIVE);
        assertThat(verifier.verify(signed("3", 3)).version()).isEqualTo("3");
    }

    @Test
    void tensorsThatDoNotFitTheGraphAreBadShape() {
        AdapterRelease missing = signedAfter(b -> b.setTensors(new ArrayList<>(b.getTensors().subList(2,
                b.getTensors().size()))));
        AdapterRelease extra = signedAfter(b -> {
            List<AdapterTensor> tensors = new ArrayList<>(b.getTensors());
            AdapterTensor first = tensors.get(0);
            tensors.add(new AdapterTensor("layer0.attn.k.lora_a", first.getShape(), first.getData()));
            return b.setTensors(tensors);
        });
        AdapterRelease transposed = signedAfter(b -> {
            List<AdapterTensor> tensors = new ArrayList<>(b.getTensors());
            AdapterTensor first = tensors.get(0);
            tensors.set(0, new AdapterTensor(first.getName(), List.of(first.getShape().get(1),
                    first.getShape().get(0)), first.getData()));
            return b.setTensors(tensors);
        });
        AdapterRelease shortData = signedAfter(b -> {
            List<AdapterTensor> tensors = new ArrayList<>(b.getTensors());
            AdapterTensor first = tensors.get(0);
            ByteBuffer data = first.getData().duplicate();
            data.limit(data.limit() - 4);
            tensors.set(0, new AdapterTensor(first.getName(), first.getShape(), data));
            return b.setTensors(tensors);
        });
        AdapterRelease otherRank = signedAfter(b -> b.setRank(4));

        assertThat(rejectionOf(missing)).isEqualTo(Reason.BAD_SHAPE);
        assertThat(rejectionOf(extra)).isEqualTo(Reason.BAD_SHAPE);
        assertThat(rejectionOf(transposed)).isEqualTo(Reason.BAD_SHAPE);
        assertThat(rejectionOf(shortData)).isEqualTo(Reason.BAD_SHAPE);
        assertThat(rejectionOf(otherRank)).isEqualTo(Reason.BAD_SHAPE);
    }

    @Test
    void aNanOrInfiniteValueIsNonFinite() {
        int last = graph.signature.loraInputs().size() - 1;

        assertThat(rejectionOf(signedAfter(b -> b.setTensors(TinyServingGraph.withValue(b, 0, 0, Float.NaN)))))
                .isEqualTo(Reason.NON_FINITE);
        assertThat(rejectionOf(signedAfter(b -> b.setTensors(TinyServingGraph.withValue(b, last, 5,
                Float.NEGATIVE_INFINITY))))).isEqualTo(Reason.NON_FINITE);
        assertThat(rejectionOf(signedAfter(b -> b.setAlpha(Float.POSITIVE_INFINITY)))).isEqualTo(Reason.NON_FINITE);
    }

    @Test
    void aNanIsReportedWithItsTensorAndIndex() {
        String tensor = graph.release("2", 2).toAvro().getTensors().get(1).getName();
        AdapterRelease release = signedAfter(b -> b.setTensors(TinyServingGraph.withValue(b, 1, 7, Float.NaN)));

        assertThatThrownBy(() -> verifier.verify(release))
                .isInstanceOf(AdapterRejectedException.class)
                .hasMessageContaining("NaN at index 7 of tensor " + tensor);
    }

    @Test
    void anOtherwiseInvalidAdapterIsMalformed() {
        AdapterRelease repeated = signedAfter(b -> {
            List<AdapterTensor> tensors = new ArrayList<>(b.getTensors());
            tensors.add(tensors.get(0));
            return b.setTensors(tensors);
        });
        AdapterRelease negativeAlpha = signedAfter(b -> b.setAlpha(-1f));

        assertThat(rejectionOf(repeated)).isEqualTo(Reason.MALFORMED);
        assertThat(rejectionOf(negativeAlpha)).isEqualTo(Reason.MALFORMED);
    }

    @Test
    void theSignatureIsCheckedBeforeAnythingElse() {
        AdapterRelease everythingWrong = AdapterRelease.newBuilder(
                        signedAfter(b -> b.setBaseModelHash("0".repeat(64)).setSequence(0)))
                .setNote("changed after signing").build();

        assertThat(rejectionOf(everythingWrong)).isEqualTo(Reason.BAD_SIGNATURE);
    }

    @Test
    void aVerifierNeedsTrustedKeysAndABaseModel() {
        assertThatThrownBy(() -> new AdapterVerifier(List.of(), graph.baseModelHash, graph.signature, slot::get))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("trusted public key");
        assertThatThrownBy(() -> new AdapterVerifier(List.of(TRUSTED.getPublic()), " ", graph.signature, slot::get))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("base-model hash");
    }
}
