package dev.vigil.model.scoring;

/**
 * How an {@link OnnxScorer} runs its graph.
 *
 * @param intraOpThreads ONNX Runtime intra-op threads per call (1 suits a Kafka Streams thread per core)
 * @param interOpThreads ONNX Runtime inter-op threads
 * @param optimizationLevel ONNX Runtime graph optimisation: NO_OPT, BASIC_OPT, EXTENDED_OPT or ALL_OPT; the int8
 *     graph needs at least EXTENDED_OPT for its quantized projections to be fused into one kernel each
 * @param device {@link Device#CPU}, or a GPU execution provider (needs the onnxruntime_gpu jar and the CUDA
 *     libraries in place of the CPU {@code onnxruntime} jar)
 * @param gpuId GPU ordinal for the GPU devices
 * @param fallBackToCpu when a GPU device was asked for but cannot be used, load on the CPU instead of failing
 */
public record ScorerOptions(
        int intraOpThreads, int interOpThreads, String optimizationLevel, Device device, int gpuId,
        boolean fallBackToCpu) {

    /** Where the graph runs. */
    public enum Device {
        /** ONNX Runtime's default CPU execution provider. */
        CPU,
        /** ONNX Runtime's CUDA execution provider. */
        CUDA,
        /** ONNX Runtime's TensorRT execution provider (CUDA for what TensorRT does not take). */
        TENSORRT
    }

    public ScorerOptions {
        if (intraOpThreads <= 0) {
            throw new IllegalArgumentException("intraOpThreads must be positive, got " + intraOpThreads);
        }
        if (interOpThreads <= 0) {
            throw new IllegalArgumentException("interOpThreads must be positive, got " + interOpThreads);
        }
        if (!java.util.Set.of("NO_OPT", "BASIC_OPT", "EXTENDED_OPT", "ALL_OPT").contains(optimizationLevel)) {
            throw new IllegalArgumentException("optimizationLevel must be NO_OPT, BASIC_OPT, EXTENDED_OPT or ALL_OPT,"
                    + " got " + optimizationLevel);
        }
        if (device == null) {
            throw new IllegalArgumentException("device is required");
        }
        if (gpuId < 0) {
            throw new IllegalArgumentException("gpuId must be >= 0, got " + gpuId);
        }
    }

    /** CPU with {@code threads} intra-op threads, all graph optimisations. */
    public static ScorerOptions cpu(int threads) {
        return new ScorerOptions(threads, 1, "ALL_OPT", Device.CPU, 0, false);
    }

    /** A GPU execution provider on GPU {@code gpuId}, falling back to one CPU thread when it cannot be used. */
    public static ScorerOptions gpu(Device device, int gpuId) {
        return new ScorerOptions(1, 1, "ALL_OPT", device, gpuId, true);
    }

    public ScorerOptions withOptimizationLevel(String level) {
        return new ScorerOptions(intraOpThreads, interOpThreads, level, device, gpuId, fallBackToCpu);
    }
}
