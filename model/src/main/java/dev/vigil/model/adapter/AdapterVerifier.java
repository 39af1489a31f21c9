package dev.vigil.model.adapter;

import dev.vigil.model.ModelDirectory;
import dev.vigil.model.adapter.Adapter;
import dev.vigil.model.adapter.ReleaseSigning;
import dev.vigil.model.adapter.SigningKeys;
import dev.vigil.model.scoring.GraphSignature;
import dev.vigil.schemas.avro.AdapterRelease;
import dev.vigil.schemas.avro.AdapterTensor;
import dev.vigil.model.adapter.AdapterRejectedException.Reason;
import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.security.PublicKey;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * Decides whether a release from {@code fraud.adapters} may go live, and turns it into the {@link LiveAdapter} the
 * scorer uses. A release is accepted only if, in this order:
 * <ol>
 *   <li>its {@code signer_key_id} names a trusted key ({@code unknown_key}) and its Ed25519 signature verifies
 *       under that key ({@code bad_signature}, see {@link ReleaseSigning} for what is signed);</li>
 *   <li>its base-model hash is the live model's ({@code wrong_base_model}): an adapter only means something on the
 *       frozen base it was tuned on;</li>
 *   <li>its sequence is higher than the live adapter's ({@code stale_sequence}; the live release itself is
 *       {@code already_live});</li>
 *   <li>its tensors are exactly the serving graph's adapter inputs, with the graph's fixed dimensions, the release's
 *       rank in the symbolic one and 4 bytes per value ({@code bad_shape});</li>
 *   <li>every value and alpha is finite ({@code non_finite}), and it is otherwise a valid {@link Adapter}
 *       ({@code malformed}).</li>
 * </ol>
 * The signature comes first so that nothing else in an untrusted record is interpreted. Stateless apart from the
 * live adapter it reads; thread-safe.
 */
public final class AdapterVerifier {

    private final Map<String, PublicKey> trustedKeys;
    private final String baseModelHash;
    private final GraphSignature graph;
    private final Supplier<LiveAdapter> live;

    /**
     * @param trustedKeys   the Ed25519 public keys whose releases may go live (ids are {@link SigningKeys#keyId})
     * @param baseModelHash the live model's base-model hash (SHA-256 of its int8 serving graph)
     * @param graph         the serving graph's inputs, which an adapter's tensors must fit
     * @param live          the live adapter now, e.g. {@code slot::get}; read once per verification
     */
    public AdapterVerifier(Collection<PublicKey> trustedKeys, String baseModelHash, GraphSignature graph,
            Supplier<LiveAdapter> live) {
        if (trustedKeys == null || trustedKeys.isEmpty()) {
            throw new IllegalArgumentException("adapter verification needs at least one trusted public key");
        }
        if (baseModelHash == null || baseModelHash.isBlank()) {
            throw new IllegalArgumentException("adapter verification needs the live model's base-model hash");
        }
        Map<String, PublicKey> keys = new LinkedHashMap<>();
        for (PublicKey key : trustedKeys) {
            keys.put(SigningKeys.keyId(key), key);
        }
        this.trustedKeys = Collections.unmodifiableMap(keys);
        this.baseModelHash = baseModelHash;
        this.graph = Objects.requireNonNull(graph, "graph");
        this.live = Objects.requireNonNull(live, "live");
        if (graph.loraInputs().isEmpty()) {
            throw new IllegalArgumentException("the serving graph has no adapter inputs (*.lora_a, *.lora_b)");
        }
    }

    /** A verifier for the model in {@code directory}: its int8 graph's inputs and its recorded base-model hash. */
    public static AdapterVerifier forModel(ModelDirectory directory, Collection<PublicKey> trustedKeys,
            Supplier<LiveAdapter> live) throws IOException {
        return new AdapterVerifier(trustedKeys, directory.baseModelHash(), GraphSignature.read(directory.int8()),
                live);
    }

    /** Ids of the trusted keys. */
    public Set<String> trustedKeyIds() {
        return trustedKeys.keySet();
    }

    /** The trusted keys by id, for checking a record's seal before it is decoded. */
    public Map<String, PublicKey> trustedKeys() {
        return trustedKeys;
    }

    public String baseModelHash() {
        return baseModelHash;
    }

    /**
     * The adapter of {@code release}, ready for {@link AdapterSlot#swap}, if it passes every check of the class
     * comment against the adapter live now.
     *
     * @throws AdapterRejectedException with the first failed check's reason and a message naming the release
     */
    public LiveAdapter verify(AdapterRelease release) throws AdapterRejectedException {
        Objects.requireNonNull(release, "release");
        String version = release.getVersion();
        String name = "adapter release " + version + " (sequence " + release.getSequence() + ")";

        PublicKey key = trustedKeys.get(release.getSignerKeyId());
        if (key == null) {
            throw new AdapterRejectedException(Reason.UNKNOWN_KEY, version, name + " is signed by key '"
                    + release.getSignerKeyId() + "', which is not trusted (trusted: " + trustedKeys.keySet() + ")");
        }
        if (!ReleaseSigning.verify(release, key)) {
            throw new AdapterRejectedException(Reason.BAD_SIGNATURE, version, name
                    + " has a signature that does not verify under trusted key " + release.getSignerKeyId()
                    + ": it was altered after signing or not signed by that key");
        }
        if (!baseModelHash.equals(release.getBaseModelHash())) {
            throw new AdapterRejectedException(Reason.WRONG_BASE_MODEL, version, name + " is for base model "
                    + release.getBaseModelHash() + ", the live model is " + baseModelHash);
        }
        LiveAdapter current = live.get();
        if (release.getSequence() <= current.sequence()) {
            if (release.getSequence() == current.sequence() && version.equals(current.version())) {
                throw new AdapterRejectedException(Reason.ALREADY_LIVE, version, name + " is already live");
            }
            throw new AdapterRejectedException(Reason.STALE_SEQUENCE, version, name
                    + " is not newer than the live adapter " + current.version() + " (sequence "
                    + current.sequence() + ")");
        }
        checkShapes(release, name);
        checkFinite(release, name);
        Adapter adapter;
        try {
            adapter = Adapter.fromRelease(release);
        } catch (IllegalArgumentException e) {
            throw new AdapterRejectedException(Reason.MALFORMED, version, name + " is not a valid adapter: "
                    + e.getMessage(), e);
        }
        return new LiveAdapter(version, release.getSequence(), adapter);
    }

    private void checkShapes(AdapterRelease release, String name) throws AdapterRejectedException {
        String version = release.getVersion();
        List<String> expected = graph.loraInputs();
        Set<String> names = new HashSet<>();
        for (AdapterTensor tensor : release.getTensors()) {
            if (!names.add(tensor.getName())) {
                throw new AdapterRejectedException(Reason.MALFORMED, version, name + " repeats tensor "
                        + tensor.getName());
            }
        }
        if (!names.equals(new HashSet<>(expected))) {
            Set<String> missing = new TreeSet<>(expected);
            missing.removeAll(names);
            Set<String> unexpected = new TreeSet<>(names);
            unexpected.removeAll(expected);
            throw new AdapterRejectedException(Reason.BAD_SHAPE, version, name + " does not fit the serving graph's"
                    + " adapter inputs: missing " + missing + ", not in the graph " + unexpected);
        }
        for (AdapterTensor tensor : release.getTensors()) {
            int[] shape = tensor.getShape().stream().mapToInt(Integer::intValue).toArray();
            if (!graph.fitsAdapterInput(tensor.getName(), shape, release.getRank())) {
                throw new AdapterRejectedException(Reason.BAD_SHAPE, version, name + " has tensor "
                        + tensor.getName() + " of shape " + Arrays.toString(shape) + ", the graph needs "
                        + Arrays.toString(graph.dims(tensor.getName())) + " with rank " + release.getRank()
                        + " for -1");
            }
            long values = 1;
            for (int dim : shape) {
                values *= dim;
            }
            if (tensor.getData().remaining() != values * Float.BYTES) {
                throw new AdapterRejectedException(Reason.BAD_SHAPE, version, name + " has tensor "
                        + tensor.getName() + " of shape " + Arrays.toString(shape) + " with "
                        + tensor.getData().remaining() + " bytes of data, not " + values * Float.BYTES);
            }
        }
    }

    private static void checkFinite(AdapterRelease release, String name) throws AdapterRejectedException {
        String version = release.getVersion();
        if (!Float.isFinite(release.getAlpha())) {
            throw new AdapterRejectedException(Reason.NON_FINITE, version, name + " has alpha "
                    + release.getAlpha());
        }
        for (AdapterTensor tensor : release.getTensors()) {
            FloatBuffer values = tensor.getData().duplicate().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
            for (int i = 0; i < values.limit(); i++) {
                float value = values.get(i);
                if (!Float.isFinite(value)) {
                    throw new AdapterRejectedException(Reason.NON_FINITE, version, name + " has " + value
                            + " at index " + i + " of tensor " + tensor.getName());
                }
            }
        }
    }

    @Override
    public String toString() {
        return "AdapterVerifier[base=" + baseModelHash + ", trusted keys=" + trustedKeys.keySet() + ", adapter inputs="
                + graph.loraInputs().size() + "]";
    }
}
