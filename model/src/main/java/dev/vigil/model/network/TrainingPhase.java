package dev.vigil.model.network;

/** Which parameters a training step updates. The two phases are separate steps of the model's life. */
public enum TrainingPhase {
    /** Base training: every base parameter trains; the adapter is frozen (B = 0, so it is a no-op). */
    BASE,
    /** Adapter tuning: only the LoRA A and B matrices train; the base is frozen, bit for bit. */
    ADAPTER
}
