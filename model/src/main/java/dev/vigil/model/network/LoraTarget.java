package dev.vigil.model.network;

/**
 * A projection of the network that can carry a LoRA adapter. The {@link #key} is the last part of the
 * projection's canonical name ({@code layer0.attn.q}, {@code layer0.ffn.up}, {@code head.hidden}); the adapter
 * tensors and the ONNX graph inputs are named after it.
 */
public enum LoraTarget {
    /** Attention query projection, d -> d. */
    Q("attn.q", true),
    /** Attention key projection, d -> d. */
    K("attn.k", true),
    /** Attention value projection, d -> d. */
    V("attn.v", true),
    /** Attention output projection, d -> d. */
    O("attn.o", true),
    /** Feed-forward up-projection, d -> ffnDim. */
    FFN_UP("ffn.up", true),
    /** Feed-forward down-projection, ffnDim -> d. */
    FFN_DOWN("ffn.down", true),
    /** The head's hidden projection over [pooled sequence, dense tower], once per transaction, not per layer. */
    HEAD("head.hidden", false);

    private final String key;
    private final boolean perLayer;

    LoraTarget(String key, boolean perLayer) {
        this.key = key;
        this.perLayer = perLayer;
    }

    /** The name suffix, e.g. {@code attn.q}. */
    public String key() {
        return key;
    }

    /** True for projections that exist once in every encoder layer. */
    public boolean perLayer() {
        return perLayer;
    }

    /** The target of a canonical projection name such as {@code layer1.ffn.up} or {@code head.hidden}. */
    public static LoraTarget ofProjection(String projectionName) {
        for (LoraTarget target : values()) {
            if (projectionName.equals(target.key) || projectionName.endsWith("." + target.key)
                    && projectionName.startsWith("layer") && target.perLayer) {
                return target;
            }
        }
        throw new IllegalArgumentException("not a LoRA projection name: " + projectionName);
    }

    /** The canonical name of this projection in encoder layer {@code layer} (ignored for {@link #HEAD}). */
    public String projectionName(int layer) {
        return perLayer ? "layer" + layer + "." + key : key;
    }
}
