package dev.vigil.trainer.card;

import dev.vigil.model.adapter.Adapter;
import dev.vigil.model.network.FeatureBatch;
import dev.vigil.model.scoring.GraphSignature;
import dev.vigil.model.scoring.OnnxScorer;
import dev.vigil.model.scoring.ScorerOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.SplittableRandom;

/**
 * Latency and memory of a model directory's two serving graphs (int8 and fp32, each with the model's adapter) on
 * ONNX Runtime through {@link OnnxScorer}, measured in the same run so that the comparison holds on a shared
 * machine. The method is model/'s {@code GraphBenchmark}'s: per batch size, warm-up, then {@code reps}
 * repetitions of a fixed number of calls in which the two graphs take turns (load from other processes falls on
 * both alike), and the median repetition in microseconds per transaction.
 *
 * <p>Inputs are seeded random values with a random history length per transaction (compute does not depend on
 * the values; the shape is fixed by the graph).
 *
 * <p>Memory (when asked for): {@value #MEMORY_SESSIONS} sessions of each graph are loaded and warmed at batch 1 and
 * 64, and the growth of the process's resident memory outside the JVM's committed heap and non-heap pools
 * ({@link ResidentMemory#outsideJvmPoolsAfterGc}) is divided by their number: ONNX Runtime's native memory per
 * session (the weights as it holds them, its arenas for activations). The ONNX Runtime library itself is loaded
 * first by a throwaway session, so it counts in neither graph.
 */
public final class ServingLatency {

    /** The batch sizes measured. */
    public static final int[] BATCH_SIZES = {1, 64};

    /** Sessions per graph loaded at once for the memory measurement. */
    public static final int MEMORY_SESSIONS = 4;

    /**
     * @param reps timed repetitions per batch size (the median is reported)
     * @param threads ONNX Runtime intra-op threads per session
     * @param optimizationLevel ONNX Runtime graph optimisation level
     * @param memory also measure the native memory per session (loads {@value #MEMORY_SESSIONS} more of each)
     */
    public record Options(int reps, int threads, String optimizationLevel, boolean memory) {
        public Options {
            if (reps < 1) {
                throw new IllegalArgumentException("--reps must be at least 1, got " + reps);
            }
            if (threads < 1) {
                throw new IllegalArgumentException("--threads must be at least 1, got " + threads);
            }
        }
    }

    /**
     * One graph's numbers.
     *
     * @param microsPerTransaction batch size -> median microseconds per transaction
     * @param fileBytes size of the graph on disk
     * @param residentBytes native memory of one loaded and warmed session; -1 where not measured
     */
    public record GraphResult(String graph, Map<Integer, Double> microsPerTransaction, long fileBytes,
            long residentBytes) {
        public double at(int batch) {
            Double value = microsPerTransaction.get(batch);
            return value == null ? Double.NaN : value;
        }
    }

    /**
     * @param loadAverage the machine's 1-minute load average at the end (context: the machine may be shared)
     */
    public record Result(GraphResult int8, GraphResult fp32, Options options, String runsOn, double loadAverage) {
        /** fp32 time over int8 time at {@code batch}. */
        public double speedUp(int batch) {
            return fp32.at(batch) / int8.at(batch);
        }
    }

    private ServingLatency() {}

    /** Measures {@code int8Graph} against {@code fp32Graph}, both with {@code adapter}. */
    public static Result measure(Path int8Graph, Path fp32Graph, Adapter adapter, Options options)
            throws IOException {
        ScorerOptions scorerOptions = ScorerOptions.cpu(options.threads())
                .withOptimizationLevel(options.optimizationLevel());
        GraphSignature signature = GraphSignature.read(int8Graph);
        Map<Integer, FeatureBatch> inputs = new LinkedHashMap<>();
        for (int batch : BATCH_SIZES) {
            inputs.put(batch, randomBatch(signature, batch, 7L * batch));
        }
        // load the ONNX Runtime library and its environment before the memory baseline
        try (OnnxScorer warm = OnnxScorer.load(int8Graph, scorerOptions, adapter)) {
            warm.score(inputs.get(1));
        }
        long int8Memory = options.memory() ? sessionMemory(int8Graph, scorerOptions, adapter, inputs) : -1;
        long fp32Memory = options.memory() ? sessionMemory(fp32Graph, scorerOptions, adapter, inputs) : -1;
        List<AutoCloseable> open = new ArrayList<>();
        try {
            OnnxScorer int8 = OnnxScorer.load(int8Graph, scorerOptions, adapter);
            open.add(int8);
            OnnxScorer fp32 = OnnxScorer.load(fp32Graph, scorerOptions, adapter);
            open.add(fp32);
            Map<String, OnnxScorer> runners = new LinkedHashMap<>();
            runners.put("int8", int8);
            runners.put("fp32", fp32);
            Map<String, Map<Integer, Double>> micros = new LinkedHashMap<>();
            for (Map.Entry<Integer, FeatureBatch> input : inputs.entrySet()) {
                timeInTurns(runners, input.getValue(), options.reps()).forEach((name, value) ->
                        micros.computeIfAbsent(name, k -> new LinkedHashMap<>()).put(input.getKey(), value));
            }
            GraphResult int8Result = new GraphResult("int8", micros.get("int8"), Files.size(int8Graph), int8Memory);
            GraphResult fp32Result = new GraphResult("fp32", micros.get("fp32"), Files.size(fp32Graph), fp32Memory);
            return new Result(int8Result, fp32Result, options, int8.runsOn(), ResidentMemory.loadAverage());
        } finally {
            closeAll(open);
        }
    }

    /** Native memory per loaded and warmed session of {@code graph}; -1 where it cannot be read. */
    private static long sessionMemory(Path graph, ScorerOptions scorerOptions, Adapter adapter,
            Map<Integer, FeatureBatch> inputs) throws IOException {
        List<AutoCloseable> open = new ArrayList<>();
        try {
            OptionalLong before = ResidentMemory.outsideJvmPoolsAfterGc();
            for (int i = 0; i < MEMORY_SESSIONS; i++) {
                OnnxScorer scorer = OnnxScorer.load(graph, scorerOptions, adapter);
                open.add(scorer);
                warmUp(scorer, inputs);
            }
            OptionalLong after = ResidentMemory.outsideJvmPoolsAfterGc();
            long delta = delta(before, after);
            return delta < 0 ? -1 : delta / MEMORY_SESSIONS;
        } finally {
            closeAll(open);
        }
    }

    private static void closeAll(List<AutoCloseable> open) {
        for (AutoCloseable closeable : open) {
            try {
                closeable.close();
            } catch (Exception ignored) {
                // closing a session cannot fail in a way that matters to a measurement
            }
        }
    }

    private static long delta(OptionalLong before, OptionalLong after) {
        return before.isPresent() && after.isPresent() ? after.getAsLong() - before.getAsLong() : -1;
    }

    private static void warmUp(OnnxScorer scorer, Map<Integer, FeatureBatch> inputs) {
        for (FeatureBatch batch : inputs.values()) {
            for (int i = 0; i < 20; i++) {
                scorer.score(batch);
            }
        }
    }

    /** Median microseconds per transaction of each scorer, the scorers taking turns within each repetition. */
    static Map<String, Double> timeInTurns(Map<String, OnnxScorer> runners, FeatureBatch input, int reps) {
        int batch = input.size();
        int calls = Math.max(20, 2000 / batch);
        for (OnnxScorer runner : runners.values()) {
            for (int i = 0; i < 3 * calls; i++) {
                runner.score(input);
            }
        }
        Map<String, double[]> samples = new LinkedHashMap<>();
        for (int r = 0; r < reps; r++) {
            for (Map.Entry<String, OnnxScorer> runner : runners.entrySet()) {
                long start = System.nanoTime();
                for (int i = 0; i < calls; i++) {
                    runner.getValue().score(input);
                }
                samples.computeIfAbsent(runner.getKey(), k -> new double[reps])[r] =
                        (System.nanoTime() - start) / 1e3 / calls / batch;
            }
        }
        Map<String, Double> medians = new LinkedHashMap<>();
        samples.forEach((name, values) -> medians.put(name, median(values)));
        return medians;
    }

    static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    static FeatureBatch randomBatch(GraphSignature signature, int size, long seed) {
        int seqLen = signature.seqLen();
        int seqFeatures = signature.seqFeatures();
        SplittableRandom random = new SplittableRandom(seed);
        float[] seq = new float[size * seqLen * seqFeatures];
        float[] mask = new float[size * seqLen];
        float[] dense = new float[size * signature.denseFeatures()];
        for (int b = 0; b < size; b++) {
            int history = random.nextInt(seqLen + 1);
            for (int p = 0; p < history; p++) {
                mask[b * seqLen + p] = 1f;
                for (int f = 0; f < seqFeatures; f++) {
                    seq[(b * seqLen + p) * seqFeatures + f] = (float) (random.nextDouble() * 2 - 1);
                }
            }
        }
        for (int i = 0; i < dense.length; i++) {
            dense[i] = (float) (random.nextDouble() * 2 - 1);
        }
        return new FeatureBatch(size, seq, mask, dense);
    }
}
