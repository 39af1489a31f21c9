package dev.vigil.model.network;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;

/**
 * The shape of the fraud network: its inputs, the encoder, the head and the LoRA adapter.
 *
 * <p>Inputs per transaction: {@code seq} [seqLen, seqFeatures] (the card's last transactions, oldest first or
 * newest first, as the feature encoding decides), {@code seq_mask} [seqLen] (1 = a real past transaction, 0 =
 * padding) and {@code dense} [denseFeatures]. Every value is validated here, with the name of the bad key.
 *
 * <h2>Why the defaults are what they are</h2>
 * Two targets pull in opposite directions. Serving runs beside the broker on 2 cores at thousands of transactions/s,
 * so the encoder, which runs once per position (16 per transaction), must stay near 1-5 MFLOP per transaction.
 * The LoRA share must stay at or below 5% of all parameters at rank 8. A LoRA pair on a d_in x d_out projection
 * costs r(d_in + d_out) parameters against d_in d_out for the base, so the share falls like r/d: with q, v and the
 * FFN up-projection adapted it is about (4rd + r(d+f)) / (4d^2 + 2df) per layer, so with everything counted
 * (input projection, dense tower, head) it is 7.2% at d=64 (f=2d) and 4.5% at d=128 (f=2d, one layer). d=64
 * cannot reach 5% at rank 8 with any attention + FFN pair (the smallest pair is 5.2%); d=128 with two layers
 * would, but at twice the compute. The default is therefore d=128, one pre-LN layer, 4 heads of 32, ffnDim=256
 * (2d rather than 4d: the FFN dominates compute, and 2d already holds what one layer needs), 4.4 MFLOP per
 * transaction for the base and 4.6 with the adapter. LoRA on q and v (the usual attention pair: what a position
 * attends to, and what it contributes) and on the FFN up-projection (where new feature interactions form) keeps
 * the adapter at 7,168 parameters, 4.5% of the total. int8 also pays off only at this width: at d=64 the fixed
 * cost of quantizing activations leaves int8 1.3x faster than fp32 at batch 64, at d=128 1.6-1.7x. See the module
 * README for the measurements behind this choice.
 *
 * @param seqLen positions in the sequence (the card's last N transactions)
 * @param seqFeatures features per sequence position
 * @param denseFeatures dense features per transaction (aggregates, current transaction, retrieved context)
 * @param dModel encoder width
 * @param heads attention heads; must divide dModel
 * @param layers encoder layers (pre-LN)
 * @param ffnDim encoder feed-forward width
 * @param denseHidden width of the dense tower (one GELU layer over the dense features)
 * @param headHidden width of the head's hidden layer over [pooled sequence, dense tower]
 * @param loraRank LoRA rank r
 * @param loraAlpha LoRA alpha; the adapter's output is scaled by alpha / r
 * @param loraTargets projections that carry a LoRA adapter
 * @param seed seed of the weight initialisation (and of whatever the trainer derives from it)
 */
public record NetworkConfig(
        int seqLen,
        int seqFeatures,
        int denseFeatures,
        int dModel,
        int heads,
        int layers,
        int ffnDim,
        int denseHidden,
        int headHidden,
        int loraRank,
        float loraAlpha,
        Set<LoraTarget> loraTargets,
        long seed) {

    /** Default LoRA rank (the default). */
    public static final int DEFAULT_LORA_RANK = 8;
    /** Default LoRA alpha: scale alpha / r = 2. */
    public static final float DEFAULT_LORA_ALPHA = 16f;
    /** Default seed. */
    public static final long DEFAULT_SEED = 20_240_601L;

    public NetworkConfig {
        positive("seqLen", seqLen);
        positive("seqFeatures", seqFeatures);
        positive("denseFeatures", denseFeatures);
        positive("dModel", dModel);
        positive("heads", heads);
        positive("layers", layers);
        positive("ffnDim", ffnDim);
        positive("denseHidden", denseHidden);
        positive("headHidden", headHidden);
        positive("loraRank", loraRank);
        if (dModel % heads != 0) {
            throw new IllegalArgumentException("heads must divide dModel: dModel=" + dModel + ", heads=" + heads);
        }
        if (!(loraAlpha > 0) || Float.isInfinite(loraAlpha)) {
            throw new IllegalArgumentException("loraAlpha must be a positive finite number, got " + loraAlpha);
        }
        if (loraTargets == null || loraTargets.isEmpty()) {
            throw new IllegalArgumentException("loraTargets must name at least one projection");
        }
        loraTargets = Collections.unmodifiableSet(EnumSet.copyOf(loraTargets));
    }

    private static void positive(String key, int value) {
        if (value <= 0) {
            throw new IllegalArgumentException(key + " must be positive, got " + value);
        }
    }

    /** The default network for the given input sizes: d=128, 1 layer, 4 heads, ffn 256, LoRA r=8 on q, v, ffn.up. */
    public static NetworkConfig defaults(int seqLen, int seqFeatures, int denseFeatures) {
        return new NetworkConfig(seqLen, seqFeatures, denseFeatures, 128, 4, 1, 256, 64, 64,
                DEFAULT_LORA_RANK, DEFAULT_LORA_ALPHA, EnumSet.of(LoraTarget.Q, LoraTarget.V, LoraTarget.FFN_UP),
                DEFAULT_SEED);
    }

    /** The same network with another encoder size. */
    public NetworkConfig withEncoder(int dModel, int heads, int layers, int ffnDim) {
        return new NetworkConfig(seqLen, seqFeatures, denseFeatures, dModel, heads, layers, ffnDim, denseHidden,
                headHidden, loraRank, loraAlpha, loraTargets, seed);
    }

    /** The same network with another adapter shape. */
    public NetworkConfig withLora(int rank, float alpha, Set<LoraTarget> targets) {
        return new NetworkConfig(seqLen, seqFeatures, denseFeatures, dModel, heads, layers, ffnDim, denseHidden,
                headHidden, rank, alpha, targets, seed);
    }

    /** The same network with another seed. */
    public NetworkConfig withSeed(long newSeed) {
        return new NetworkConfig(seqLen, seqFeatures, denseFeatures, dModel, heads, layers, ffnDim, denseHidden,
                headHidden, loraRank, loraAlpha, loraTargets, newSeed);
    }

    /** Width of one attention head. */
    public int headDim() {
        return dModel / heads;
    }

    /** alpha / r, the factor on the adapter's output. */
    public float loraScale() {
        return loraAlpha / loraRank;
    }

    /** Input width of a projection. */
    public int inFeatures(LoraTarget target) {
        return switch (target) {
            case Q, K, V, O, FFN_UP -> dModel;
            case FFN_DOWN -> ffnDim;
            case HEAD -> dModel + denseHidden;
        };
    }

    /** Output width of a projection. */
    public int outFeatures(LoraTarget target) {
        return switch (target) {
            case Q, K, V, O, FFN_DOWN -> dModel;
            case FFN_UP -> ffnDim;
            case HEAD -> headHidden;
        };
    }

    /**
     * Canonical names of the adapted projections ({@code layer0.attn.q}, ...): layers in order, within a layer in
     * {@link LoraTarget} order, then {@code head.hidden}. The order of the adapter inputs of the serving graphs.
     */
    public java.util.List<String> adaptedProjections() {
        java.util.List<String> names = new java.util.ArrayList<>();
        for (int layer = 0; layer < layers; layer++) {
            for (LoraTarget target : LoraTarget.values()) {
                if (target.perLayer() && loraTargets.contains(target)) {
                    names.add(target.projectionName(layer));
                }
            }
        }
        if (loraTargets.contains(LoraTarget.HEAD)) {
            names.add(LoraTarget.HEAD.projectionName(0));
        }
        return names;
    }

    /** Parameter counts computed from the shapes (the DJL network reports the same numbers). */
    public ParameterCount parameterCount() {
        long d = dModel;
        long base = seqFeatures * d + d + (long) seqLen * d; // input projection + positions
        long perLayer = 2 * d + 4 * (d * d + d) + 2 * d + d * ffnDim + ffnDim + (long) ffnDim * d + d;
        base += layers * perLayer + 2 * d; // layers + final LayerNorm
        base += (long) denseFeatures * denseHidden + denseHidden;
        base += (d + denseHidden) * headHidden + headHidden + headHidden + 1;
        long lora = 0;
        for (LoraTarget target : loraTargets) {
            long pair = (long) loraRank * (inFeatures(target) + outFeatures(target));
            lora += target.perLayer() ? layers * pair : pair;
        }
        return new ParameterCount(base, lora);
    }

    /**
     * Multiply-accumulates per transaction of the base network (LoRA excluded, attention included): what the
     * serving cost scales with.
     */
    public long macsPerTransaction() {
        long d = dModel;
        long perPosition = seqFeatures * d + layers * (4 * d * d + 2 * d * ffnDim + 2L * seqLen * d);
        return seqLen * perPosition + (long) denseFeatures * denseHidden + (d + denseHidden) * headHidden + headHidden;
    }
}
