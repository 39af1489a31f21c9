package dev.vigil.bench.model;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.vigil.model.adapter.Adapter;
import dev.vigil.model.network.FeatureBatch;
import dev.vigil.model.network.FloatTensor;
import dev.vigil.model.network.FraudModel;
import dev.vigil.model.network.NetworkConfig;
import dev.vigil.model.network.NetworkWeights;
import dev.vigil.model.onnx.ServingGraphs;
import dev.vigil.model.scoring.OnnxScorer;
import dev.vigil.model.scoring.ScorerOptions;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * Latency of the serving graphs on ONNX Runtime (CPU): int8 against fp32 in the same run, per transaction at
 * batch 1 and batch 64, through DJL ({@link OnnxScorer}) and through a raw {@code OrtSession}, plus the graphs'
 * size on disk and the operators ONNX Runtime actually runs after its graph optimisations. A program that prints
 * numbers, not a test.
 *
 * <pre>
 *   java -Dai.djl.offline=true -Dai.djl.pytorch.num_threads=1 -cp "model/target/classes:$(cat model/target/cp.txt)" \
 *       dev.vigil.bench.model.GraphBenchmark [--dims 64,128] [--layers 1] [--threads 1] [--reps 15] [--opt ALL_OPT]
 * </pre>
 *
 * Each measurement: warm-up, then {@code reps} repetitions of a fixed number of calls; the median repetition is
 * reported. Weights are the seeded initial ones with a non-zero random adapter (speed does not depend on values).
 */
public final class GraphBenchmark {

    private GraphBenchmark() {}

    public static void main(String[] args) throws Exception {
        Map<String, String> options = parse(args);
        int[] dims = Arrays.stream(options.getOrDefault("dims", "64,128").split(",")).mapToInt(Integer::parseInt)
                .toArray();
        int layers = Integer.parseInt(options.getOrDefault("layers", "1"));
        int threads = Integer.parseInt(options.getOrDefault("threads", "1"));
        int reps = Integer.parseInt(options.getOrDefault("reps", "15"));
        String opt = options.getOrDefault("opt", "ALL_OPT");
        int seqLen = Integer.parseInt(options.getOrDefault("seq-len", "16"));
        int seqFeatures = Integer.parseInt(options.getOrDefault("seq-features", "12"));
        int denseFeatures = Integer.parseInt(options.getOrDefault("dense-features", "40"));
        Path dir = Files.createTempDirectory("vigil-graph-bench");

        System.out.printf(Locale.ROOT, "ONNX Runtime CPU, %d intra-op thread(s), %s, median of %d reps%n",
                threads, opt, reps);
        for (int d : dims) {
            NetworkConfig config = NetworkConfig.defaults(seqLen, seqFeatures, denseFeatures)
                    .withEncoder(d, 4, layers, 2 * d);
            NetworkWeights weights;
            try (FraudModel model = FraudModel.create(config)) {
                weights = model.network().weights().base();
            }
            Path fp32 = dir.resolve("d" + d + ".fp32.onnx");
            Path int8 = dir.resolve("d" + d + ".int8.onnx");
            Path contrib = dir.resolve("d" + d + ".int8-contrib.onnx");
            Files.write(fp32, ServingGraphs.build(weights, ServingGraphs.Precision.FP32).toByteArray());
            Files.write(int8, ServingGraphs.build(weights, ServingGraphs.Precision.INT8).toByteArray());
            Files.write(contrib, ServingGraphs.build(weights, ServingGraphs.Precision.INT8_CONTRIB).toByteArray());
            Adapter adapter = randomAdapter(config);

            System.out.printf(Locale.ROOT, "%nd_model=%d layers=%d heads=4 ffn=%d seq=%dx%d dense=%d: %s,"
                    + " %.2f MFLOP/transaction (base)%n", d, layers, 2 * d, seqLen, seqFeatures, denseFeatures,
                    config.parameterCount(), 2 * config.macsPerTransaction() / 1e6);
            System.out.printf(Locale.ROOT, "  size on disk: fp32 %d B, int8 %d B (%.2fx smaller)%n",
                    Files.size(fp32), Files.size(int8), (double) Files.size(fp32) / Files.size(int8));
            System.out.printf(Locale.ROOT, "  %-28s %14s %14s%n", "us per transaction", "batch 1", "batch 64");
            // every graph through DJL's engine and through a bare OrtSession; the runners take turns within each
            // repetition so that load from other processes falls on all of them alike
            Map<String, double[]> results = new TreeMap<>();
            List<AutoCloseable> open = new ArrayList<>();
            Map<String, java.util.function.Consumer<FeatureBatch>> runners = new LinkedHashMap<>();
            OrtEnvironment env = null;
            for (Path graph : List.of(fp32, int8, contrib)) {
                String name = graph.getFileName().toString().replace("d" + d + ".", "").replace(".onnx", "");
                OnnxScorer scorer = OnnxScorer.load(graph, ScorerOptions.cpu(threads).withOptimizationLevel(opt),
                        adapter);
                open.add(scorer);
                runners.put(name + " via DJL", scorer::score);
                // load DJL's engine before touching OrtEnvironment directly
                env = env == null ? OrtEnvironment.getEnvironment() : env;
                OrtSession session = rawSession(env, graph, threads, opt);
                open.add(session);
                OrtEnvironment environment = env;
                runners.put(name + " raw OrtSession", input -> runRaw(environment, session, config, input, adapter));
            }
            int column = 0;
            for (int batch : new int[] {1, 64}) {
                FeatureBatch input = randomBatch(config, batch, 7);
                Map<String, Double> medians = timeInTurns(runners, input, reps);
                for (Map.Entry<String, Double> entry : medians.entrySet()) {
                    results.computeIfAbsent(entry.getKey(), k -> new double[2])[column] = entry.getValue();
                }
                column++;
            }
            for (AutoCloseable closeable : open) {
                closeable.close();
            }
            results.forEach((name, r) -> System.out.printf(Locale.ROOT, "  %-28s %14.2f %14.2f%n", name, r[0], r[1]));
            for (String path : List.of("via DJL", "raw OrtSession")) {
                double[] f = results.get("fp32 " + path);
                double[] q = results.get("int8 " + path);
                System.out.printf(Locale.ROOT, "  int8 speed-up over fp32 (%s): batch 1 %.2fx, batch 64 %.2fx%n",
                        path, f[0] / q[0], f[1] / q[1]);
            }
            System.out.println("  operators ONNX Runtime runs (int8, after optimisation): "
                    + optimizedOperators(int8, threads, opt, dir.resolve("d" + d + ".int8.optimized.onnx")));
        }
    }

    /** Median microseconds per transaction of each runner, the runners taking turns within each repetition. */
    private static Map<String, Double> timeInTurns(Map<String, java.util.function.Consumer<FeatureBatch>> runners,
            FeatureBatch input, int reps) {
        int batch = input.size();
        int calls = Math.max(20, 2000 / batch);
        for (java.util.function.Consumer<FeatureBatch> runner : runners.values()) {
            for (int i = 0; i < 3 * calls; i++) {
                runner.accept(input);
            }
        }
        Map<String, double[]> samples = new LinkedHashMap<>();
        for (int r = 0; r < reps; r++) {
            for (Map.Entry<String, java.util.function.Consumer<FeatureBatch>> runner : runners.entrySet()) {
                long start = System.nanoTime();
                for (int i = 0; i < calls; i++) {
                    runner.getValue().accept(input);
                }
                samples.computeIfAbsent(runner.getKey(), k -> new double[reps])[r] =
                        (System.nanoTime() - start) / 1e3 / calls / batch;
            }
        }
        Map<String, Double> medians = new LinkedHashMap<>();
        samples.forEach((name, values) -> {
            Arrays.sort(values);
            medians.put(name, values[reps / 2]);
        });
        return medians;
    }

    private static OrtSession rawSession(OrtEnvironment env, Path graph, int threads, String opt)
            throws OrtException {
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(threads);
            options.setInterOpNumThreads(1);
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.valueOf(opt));
            return env.createSession(graph.toString(), options);
        }
    }

    private static void runRaw(OrtEnvironment env, OrtSession session, NetworkConfig config, FeatureBatch batch,
            Adapter adapter) {
        Map<String, OnnxTensor> inputs = new HashMap<>();
        try {
            int b = batch.size();
            inputs.put(ServingGraphs.SEQ, OnnxTensor.createTensor(env, FloatBuffer.wrap(batch.seq()),
                    new long[] {b, config.seqLen(), config.seqFeatures()}));
            inputs.put(ServingGraphs.SEQ_MASK, OnnxTensor.createTensor(env, FloatBuffer.wrap(batch.seqMask()),
                    new long[] {b, config.seqLen()}));
            inputs.put(ServingGraphs.DENSE, OnnxTensor.createTensor(env, FloatBuffer.wrap(batch.dense()),
                    new long[] {b, config.denseFeatures()}));
            inputs.put(ServingGraphs.LORA_SCALE, OnnxTensor.createTensor(env,
                    FloatBuffer.wrap(new float[] {adapter.scale()}), new long[] {1}));
            for (Map.Entry<String, FloatTensor> entry : adapter.tensors().entrySet()) {
                inputs.put(entry.getKey(), OnnxTensor.createTensor(env, entry.getValue().buffer(),
                        entry.getValue().longShape()));
            }
            try (OrtSession.Result result = session.run(inputs)) {
                ((OnnxTensor) result.get(ServingGraphs.PROBABILITY).orElseThrow()).getFloatBuffer();
            }
        } catch (OrtException e) {
            throw new IllegalStateException(e);
        } finally {
            inputs.values().forEach(OnnxTensor::close);
        }
    }

    /** Operator counts of the graph as ONNX Runtime optimises it. */
    static Map<String, Integer> optimizedOperators(Path graph, int threads, String opt, Path optimized)
            throws OrtException, IOException {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(threads);
            // ALL_OPT adds layout transformations that cannot be saved as ONNX; EXTENDED has the int8 fusions
            options.setOptimizationLevel("ALL_OPT".equals(opt) ? OrtSession.SessionOptions.OptLevel.EXTENDED_OPT
                    : OrtSession.SessionOptions.OptLevel.valueOf(opt));
            options.setOptimizedModelFilePath(optimized.toString());
            try (OrtSession ignored = env.createSession(graph.toString(), options)) {
                // creating the session writes the optimised graph
            }
        }
        Map<String, Integer> counts = new TreeMap<>();
        for (NodeProto node : ModelProto.parseFrom(Files.readAllBytes(optimized)).getGraph().getNodeList()) {
            counts.merge(node.getOpType(), 1, Integer::sum);
        }
        return counts;
    }

    private static Adapter randomAdapter(NetworkConfig config) {
        SplittableRandom random = new SplittableRandom(3);
        Map<String, FloatTensor> tensors = new TreeMap<>();
        Adapter.zero(config).tensors().forEach((name, zero) -> {
            float[] values = new float[zero.size()];
            for (int i = 0; i < values.length; i++) {
                values[i] = (float) (random.nextDouble() - 0.5) * 0.1f;
            }
            tensors.put(name, FloatTensor.of(zero.shape(), values));
        });
        return Adapter.of(config.loraRank(), config.loraAlpha(), tensors);
    }

    private static FeatureBatch randomBatch(NetworkConfig config, int size, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] seq = new float[size * config.seqLen() * config.seqFeatures()];
        float[] mask = new float[size * config.seqLen()];
        float[] dense = new float[size * config.denseFeatures()];
        for (int b = 0; b < size; b++) {
            int history = random.nextInt(config.seqLen() + 1);
            for (int p = 0; p < history; p++) {
                mask[b * config.seqLen() + p] = 1f;
                for (int f = 0; f < config.seqFeatures(); f++) {
                    seq[(b * config.seqLen() + p) * config.seqFeatures() + f] = (float) (random.nextDouble() * 2 - 1);
                }
            }
        }
        for (int i = 0; i < dense.length; i++) {
            dense[i] = (float) (random.nextDouble() * 2 - 1);
        }
        return new FeatureBatch(size, seq, mask, dense);
    }

    private static Map<String, String> parse(String[] args) {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("usage: GraphBenchmark [--dims 64,128] [--layers 1] [--threads 1]"
                        + " [--reps 15] [--opt ALL_OPT|EXTENDED_OPT|BASIC_OPT|NO_OPT] [--seq-len 16]"
                        + " [--seq-features 12] [--dense-features 40]");
            }
            options.put(args[i].substring(2), args[++i]);
        }
        List<String> known = new ArrayList<>(List.of("dims", "layers", "threads", "reps", "opt", "seq-len",
                "seq-features", "dense-features"));
        for (String key : options.keySet()) {
            if (!known.contains(key)) {
                throw new IllegalArgumentException("unknown option --" + key + "; known: " + known);
            }
        }
        return options;
    }
}
