package dev.vigil.model.network;

/**
 * Parameters of the network: the frozen base and the LoRA adapter (the only parameters trained after the base).
 *
 * @param base parameters of the base network
 * @param lora parameters of the LoRA adapter (all A and B matrices)
 */
public record ParameterCount(long base, long lora) {

    /** All parameters. */
    public long total() {
        return base + lora;
    }

    /** The adapter's share of all parameters, in [0, 1]. */
    public double loraShare() {
        return (double) lora / total();
    }

    @Override
    public String toString() {
        return String.format(java.util.Locale.ROOT, "base=%d lora=%d total=%d lora share=%.2f%%",
                base, lora, total(), 100 * loraShare());
    }
}
