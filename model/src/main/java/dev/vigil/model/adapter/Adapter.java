package dev.vigil.model.adapter;

import dev.vigil.model.network.FloatTensor;
import dev.vigil.model.network.FraudNetwork;
import dev.vigil.model.network.LoraLinear;
import dev.vigil.model.network.LoraTarget;
import dev.vigil.model.network.NetworkConfig;
import dev.vigil.model.network.SeededInit;
import dev.vigil.model.network.TensorArchive;
import dev.vigil.schemas.avro.AdapterRelease;
import dev.vigil.schemas.avro.AdapterTensor;
import dev.vigil.schemas.digest.Sha256;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A LoRA adapter: for every adapted projection p, {@code p.lora_a} [r, in] and {@code p.lora_b} [out, r], named
 * exactly as the ONNX graph inputs and the network's canonical parameters, with the rank r and alpha (the output
 * of the adapter is scaled by alpha / r). Immutable, so a scorer can swap it atomically between batches.
 *
 * <h2>Byte encoding</h2>
 * Little-endian: ASCII {@code VGLA}, uint8 format version (1), int32 rank, float32 alpha, then the tensors as a
 * {@link TensorArchive} (name order, float32 values). Equal adapters encode to equal bytes; {@link #sha256()} is
 * the digest of those bytes, what a signature or a registry refers to.
 */
public final class Adapter {

    private static final byte[] MAGIC = {'V', 'G', 'L', 'A'};
    private static final byte VERSION = 1;

    private final int rank;
    private final float alpha;
    private final SortedMap<String, FloatTensor> tensors;

    private Adapter(int rank, float alpha, SortedMap<String, FloatTensor> tensors) {
        this.rank = rank;
        this.alpha = alpha;
        this.tensors = tensors;
    }

    /**
     * An adapter from named tensors; checks that every projection has both A [rank, in] and B [out, rank] and
     * nothing else is present.
     */
    public static Adapter of(int rank, float alpha, Map<String, FloatTensor> tensors) {
        if (rank <= 0) {
            throw new IllegalArgumentException("adapter rank must be positive, got " + rank);
        }
        if (!(alpha > 0) || Float.isInfinite(alpha)) {
            throw new IllegalArgumentException("adapter alpha must be positive and finite, got " + alpha);
        }
        if (tensors.isEmpty()) {
            throw new IllegalArgumentException("an adapter needs at least one projection");
        }
        SortedMap<String, FloatTensor> copy = new TreeMap<>(tensors);
        for (Map.Entry<String, FloatTensor> entry : copy.entrySet()) {
            String name = entry.getKey();
            FloatTensor tensor = entry.getValue();
            if (tensor.rank() != 2) {
                throw new IllegalArgumentException("adapter tensor " + name + " must be 2-D, got " + tensor);
            }
            for (float value : tensor.values()) {
                if (!Float.isFinite(value)) {
                    throw new IllegalArgumentException("adapter tensor " + name + " holds a non-finite value");
                }
            }
            if (name.endsWith(".lora_a")) {
                String partner = projection(name) + ".lora_b";
                FloatTensor b = copy.get(partner);
                if (b == null) {
                    throw new IllegalArgumentException("adapter lacks " + partner);
                }
                if (tensor.dim(0) != rank || b.rank() != 2 || b.dim(1) != rank) {
                    throw new IllegalArgumentException("adapter projection " + projection(name) + " has A "
                            + tensor + " and B " + b + ", rank " + rank + " needs A [r, in] and B [out, r]");
                }
            } else if (name.endsWith(".lora_b")) {
                if (!copy.containsKey(projection(name) + ".lora_a")) {
                    throw new IllegalArgumentException("adapter lacks " + projection(name) + ".lora_a");
                }
            } else {
                throw new IllegalArgumentException("not an adapter tensor name: " + name);
            }
        }
        return new Adapter(rank, alpha, Collections.unmodifiableSortedMap(copy));
    }

    /**
     * The adapter of a fresh base: B = 0 (so it changes no score) and A at its seeded initial value, exactly what
     * a freshly created {@link FraudNetwork} of {@code config} holds, and a valid starting point for tuning.
     */
    public static Adapter zero(NetworkConfig config) {
        SortedMap<String, FloatTensor> tensors = new TreeMap<>();
        for (String projection : config.adaptedProjections()) {
            int in = config.inFeatures(LoraTarget.ofProjection(projection));
            int out = config.outFeatures(LoraTarget.ofProjection(projection));
            tensors.put(projection + ".lora_a",
                    SeededInit.initialValues(config.seed(), projection + ".lora_a", config.loraRank(), in));
            tensors.put(projection + ".lora_b", FloatTensor.zeros(out, config.loraRank()));
        }
        return of(config.loraRank(), config.loraAlpha(), tensors);
    }

    /** The adapter currently held by {@code network}. */
    public static Adapter extract(FraudNetwork network) {
        SortedMap<String, FloatTensor> tensors = new TreeMap<>();
        for (LoraLinear projection : network.adaptedProjections()) {
            tensors.put(projection.name() + ".lora_a", network.tensor(projection.name() + ".lora_a"));
            tensors.put(projection.name() + ".lora_b", network.tensor(projection.name() + ".lora_b"));
        }
        NetworkConfig config = network.config();
        return of(config.loraRank(), config.loraAlpha(), tensors);
    }

    /**
     * Writes this adapter into {@code network}'s LoRA parameters. The projections, rank and alpha must be the
     * network's (its LoRA scale is fixed when it is built); nothing is written if they are not.
     */
    public void loadInto(FraudNetwork network) {
        NetworkConfig config = network.config();
        if (rank != config.loraRank() || Float.compare(alpha, config.loraAlpha()) != 0) {
            throw new IllegalArgumentException("adapter has rank " + rank + " and alpha " + alpha
                    + ", the network " + config.loraRank() + " and " + config.loraAlpha());
        }
        SortedMap<String, FloatTensor> expected = extract(network).tensors;
        if (!expected.keySet().equals(tensors.keySet())) {
            throw new IllegalArgumentException("adapter tensors " + tensors.keySet()
                    + " do not match the network's " + expected.keySet());
        }
        for (Map.Entry<String, FloatTensor> entry : tensors.entrySet()) {
            FloatTensor current = expected.get(entry.getKey());
            if (!java.util.Arrays.equals(current.shape(), entry.getValue().shape())) {
                throw new IllegalArgumentException("adapter tensor " + entry.getKey() + " is " + entry.getValue()
                        + ", the network's is " + current);
            }
        }
        tensors.forEach(network::setTensor);
    }

    public int rank() {
        return rank;
    }

    public float alpha() {
        return alpha;
    }

    /** alpha / r, the factor on the adapter's output ({@code lora_scale} in the graphs). */
    public float scale() {
        return alpha / rank;
    }

    /** Tensor name -> tensor, sorted by name. */
    public SortedMap<String, FloatTensor> tensors() {
        return tensors;
    }

    /** Trainable parameters in the adapter. */
    public long parameterCount() {
        return tensors.values().stream().mapToLong(FloatTensor::size).sum();
    }

    /** The byte encoding described in the class comment. */
    public byte[] encode() {
        byte[] archive = TensorArchive.encode(tensors);
        ByteBuffer out = ByteBuffer.allocate(MAGIC.length + 1 + 4 + 4 + archive.length).order(ByteOrder.LITTLE_ENDIAN);
        out.put(MAGIC).put(VERSION).putInt(rank).putFloat(alpha).put(archive);
        return out.array();
    }

    /** Reads what {@link #encode} wrote; rejects other formats, truncated bytes and trailing bytes. */
    public static Adapter decode(byte[] bytes) {
        ByteBuffer in = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        if (bytes.length < MAGIC.length + 9) {
            throw new IllegalArgumentException("not an adapter: " + bytes.length + " bytes");
        }
        byte[] magic = new byte[MAGIC.length];
        in.get(magic);
        if (!java.util.Arrays.equals(magic, MAGIC)) {
            throw new IllegalArgumentException("not an adapter: bad magic");
        }
        byte version = in.get();
        if (version != VERSION) {
            throw new IllegalArgumentException("unsupported adapter format version " + version);
        }
        int rank = in.getInt();
        float alpha = in.getFloat();
        SortedMap<String, FloatTensor> tensors = TensorArchive.decode(in);
        if (in.hasRemaining()) {
            throw new IllegalArgumentException("adapter has " + in.remaining() + " trailing bytes");
        }
        return of(rank, alpha, tensors);
    }

    /**
     * The tensors as the {@code tensors} field of an {@link AdapterRelease} on {@code fraud.adapters} (name, shape,
     * float32 little-endian bytes), in name order. The release's other fields (version, parent, base-model hash,
     * metrics, signature) are the publisher's.
     */
    public List<AdapterTensor> toReleaseTensors() {
        List<AdapterTensor> released = new ArrayList<>();
        tensors.forEach((name, tensor) -> released.add(new AdapterTensor(name,
                Arrays.stream(tensor.shape()).boxed().toList(), ByteBuffer.wrap(tensor.toLittleEndianBytes()))));
        return released;
    }

    /** The adapter carried by a release, checked as {@link #of} checks it. Signature and hash are not checked here. */
    public static Adapter fromRelease(AdapterRelease release) {
        Map<String, FloatTensor> tensors = new TreeMap<>();
        for (AdapterTensor tensor : release.getTensors()) {
            int[] shape = tensor.getShape().stream().mapToInt(Integer::intValue).toArray();
            if (tensors.put(tensor.getName(), FloatTensor.fromLittleEndianBytes(shape, tensor.getData())) != null) {
                throw new IllegalArgumentException("release repeats tensor " + tensor.getName());
            }
        }
        return of(release.getRank(), release.getAlpha(), tensors);
    }

    /** SHA-256 (lower-case hex) of {@link #encode()}. */
    public String sha256() {
        return Sha256.hex(encode());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Adapter other && rank == other.rank && Float.compare(alpha, other.alpha) == 0
                && tensors.equals(other.tensors);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * rank + Float.hashCode(alpha)) + tensors.hashCode();
    }

    @Override
    public String toString() {
        return "Adapter[rank=" + rank + ", alpha=" + alpha + ", projections=" + tensors.size() / 2 + "]";
    }

    private static String projection(String tensorName) {
        return tensorName.substring(0, tensorName.lastIndexOf('.'));
    }
}
