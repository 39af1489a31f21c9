package dev.vigil.model;

import dev.vigil.model.scoring.OnnxScorer;

/**
 * The DJL settings every command that loads an engine needs, set before any engine loads: offline (the PyTorch
 * natives come from the pytorch-native-cpu jar; nothing is downloaded at run time) and a bounded libtorch thread
 * count (with more threads than cores free, libgomp spins and steps get 10-30x slower: ../shared/STACK.md). The
 * libtorch count only takes effect if PyTorch has not been loaded yet in this JVM.
 */
public final class Engines {

    private Engines() {}

    /** Creates the ONNX Runtime environment on a big-stack thread ({@code OnnxScorer.initEngine}). */
    public static void initOnnxRuntime() {
        OnnxScorer.initEngine();
    }

    /** Offline, and {@code torchThreads} libtorch intra-op threads (the option wins over a JVM property). */
    public static void configure(int torchThreads) {
        setIfAbsent("ai.djl.offline", "true");
        System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(torchThreads));
        setIfAbsent("ai.djl.pytorch.num_interop_threads", "1");
    }

    /** Offline, and one libtorch thread unless a JVM property already says otherwise. */
    public static void configureDefaults() {
        setIfAbsent("ai.djl.offline", "true");
        setIfAbsent("ai.djl.pytorch.num_threads", "1");
        setIfAbsent("ai.djl.pytorch.num_interop_threads", "1");
    }

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }
}
