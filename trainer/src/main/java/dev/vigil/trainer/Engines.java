package dev.vigil.trainer;

/**
 * The DJL settings the trainer's commands need, set before any engine loads: offline (the PyTorch natives come from
 * the pytorch-native-cpu jar; nothing is downloaded at run time) and a bounded libtorch thread count (with more
 * threads than cores free, libgomp spins and steps get 10-30x slower: ../shared/STACK.md). The libtorch count
 * only takes effect if PyTorch has not been loaded yet in this JVM.
 *
 * <p>ONNX Runtime's environment is created on a thread with a 16 MB stack: measured here, ONNX Runtime 1.29.0's
 * {@code OrtEnvironment} initialisation overflows a default 1 MB Java thread stack (SIGSEGV, no hs_err file) when the
 * JVM's class path is longer than about 4,000 characters, as the {@code ./vigil} launcher's is. Once the
 * environment exists, sessions load and run on ordinary threads.
 */
final class Engines {

    /** Stack of the thread that creates the ONNX Runtime environment. */
    private static final long ORT_INIT_STACK = 16L << 20;

    private Engines() {}

    /** Creates DJL's ONNX Runtime engine (and with it the ONNX Runtime environment) on a thread with a big stack. */
    static void initOnnxRuntime() {
        RuntimeException[] failure = new RuntimeException[1];
        Thread init = new Thread(null, () -> {
            try {
                ai.djl.engine.Engine.getEngine(dev.vigil.model.scoring.OnnxScorer.ENGINE);
            } catch (RuntimeException e) {
                failure[0] = e;
            }
        }, "onnxruntime-init", ORT_INIT_STACK);
        init.start();
        try {
            init.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting ONNX Runtime", e);
        }
        if (failure[0] != null) {
            throw failure[0];
        }
    }

    /** Offline, and {@code torchThreads} libtorch intra-op threads (the option wins over a JVM property). */
    static void configure(int torchThreads) {
        setIfAbsent("ai.djl.offline", "true");
        System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(torchThreads));
        setIfAbsent("ai.djl.pytorch.num_interop_threads", "1");
    }

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }
}
