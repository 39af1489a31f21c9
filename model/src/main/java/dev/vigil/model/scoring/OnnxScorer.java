package dev.vigil.model.scoring;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ModelNotFoundException;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.training.ParameterStore;
import ai.djl.translate.NoopTranslator;
import dev.vigil.model.adapter.Adapter;
import dev.vigil.model.network.FeatureBatch;
import dev.vigil.model.network.FloatTensor;
import dev.vigil.model.onnx.ServingGraphs;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Scores batches with a serving graph (fp32 or int8) on DJL's ONNX Runtime engine.
 *
 * <p>The adapter is not part of the graph: a call feeds an {@link Adapter}'s tensors as inputs, after checking them
 * against the graph's, so a batch is scored by one whole adapter. The scorer holds no live adapter of its own: the one
 * given at {@link #load} scores every call that names none (training, benchmarks, a frozen adapter), and a caller
 * whose adapter changes names it per call ({@link #score(FeatureBatch, Adapter)}): the streams app's
 * {@code AdapterSlot}, which holds the live one, or the feedback loop comparing a candidate with the champion.
 *
 * <p>Thread-safe: ONNX Runtime sessions run concurrently, and each call works in its own NDManager scope (the
 * block is called directly rather than through a per-thread {@code Predictor}).
 */
public final class OnnxScorer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(OnnxScorer.class);

    /** DJL's name of the ONNX Runtime engine. */
    public static final String ENGINE = "OnnxRuntime";

    /** Stack of the thread that creates the ONNX Runtime environment. */
    private static final long ORT_INIT_STACK = 16L << 20;

    private static volatile boolean engineReady;

    private final ZooModel<NDList, NDList> model;
    private final GraphSignature signature;
    private final Adapter loaded;
    private final String runsOn;

    private OnnxScorer(ZooModel<NDList, NDList> model, GraphSignature signature, Adapter adapter, String runsOn) {
        this.model = model;
        this.signature = signature;
        this.loaded = adapter;
        this.runsOn = runsOn;
    }

    /**
     * Loads {@code graph} with {@code adapter} (checked against the graph's inputs) for the calls that name none (use
     * {@link #zeroAdapter} for a base with no tuning yet).
     */
    public static OnnxScorer load(Path graph, ScorerOptions options, Adapter adapter) throws IOException {
        initEngine();
        GraphSignature signature = GraphSignature.read(graph);
        checkAdapter(signature, adapter);
        ZooModel<NDList, NDList> model;
        String runsOn;
        if (options.device() == ScorerOptions.Device.CPU) {
            model = loadModel(graph, options, Device.cpu());
            runsOn = "cpu";
        } else {
            try {
                model = loadModel(graph, options, Device.gpu(options.gpuId()));
                runsOn = options.device() + " on gpu " + options.gpuId();
            } catch (IOException | RuntimeException e) {
                if (!options.fallBackToCpu()) {
                    throw e;
                }
                log.warn("cannot run {} on {} (GPU {}): {}; scoring on the CPU", graph, options.device(),
                        options.gpuId(), e.toString());
                model = loadModel(graph, options, Device.cpu());
                runsOn = "cpu (fallback from " + options.device() + ")";
            }
        }
        return new OnnxScorer(model, signature, adapter, runsOn);
    }

    /**
     * Creates DJL's ONNX Runtime engine (and with it the ONNX Runtime environment) on a thread with a 16 MB stack,
     * once per JVM. Measured here: ONNX Runtime 1.29.0's {@code OrtEnvironment} initialisation overflows a default 1 MB
     * Java thread stack (SIGSEGV, no hs_err file) when the JVM's class path is longer than about 4,000 characters, as
     * the {@code ./vigil} launcher's is. Once the environment exists, sessions load and run on ordinary threads.
     */
    public static synchronized void initEngine() {
        if (engineReady) {
            return;
        }
        RuntimeException[] failure = new RuntimeException[1];
        Thread init = new Thread(null, () -> {
            try {
                ai.djl.engine.Engine.getEngine(ENGINE);
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
        engineReady = true;
    }

    static ZooModel<NDList, NDList> loadModel(Path graph, ScorerOptions options, Device device)
            throws IOException {
        Criteria.Builder<NDList, NDList> criteria = Criteria.builder()
                .setTypes(NDList.class, NDList.class)
                .optEngine(ENGINE)
                .optModelPath(graph)
                .optTranslator(new NoopTranslator())
                .optDevice(device)
                .optOption("intraOpNumThreads", Integer.toString(options.intraOpThreads()))
                .optOption("interOpNumThreads", Integer.toString(options.interOpThreads()))
                .optOption("optLevel", options.optimizationLevel());
        if (options.device() == ScorerOptions.Device.TENSORRT && device.isGpu()) {
            criteria.optOption("ortDevice", "TensorRT");
        }
        try {
            return criteria.build().loadModel();
        } catch (ModelNotFoundException | MalformedModelException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new IOException("cannot load serving graph " + graph + " on " + device + ": " + e.getMessage()
                    + " (" + cause.getMessage() + ")", e);
        }
    }

    /** An adapter that changes nothing (A = B = 0) with the rank and alpha recorded in the graph. */
    public static Adapter zeroAdapter(GraphSignature signature) {
        int rank = Integer.parseInt(signature.metadata().getOrDefault("vigil.lora_rank", "1"));
        float alpha = Float.parseFloat(signature.metadata().getOrDefault("vigil.lora_alpha", "1"));
        Map<String, FloatTensor> tensors = new TreeMap<>();
        for (String name : signature.loraInputs()) {
            long[] dims = signature.dims(name);
            tensors.put(name, name.endsWith(".lora_a")
                    ? FloatTensor.zeros(rank, (int) dims[1])
                    : FloatTensor.zeros((int) dims[0], rank));
        }
        return Adapter.of(rank, alpha, tensors);
    }

    /** Probability of fraud per transaction, with the adapter given at {@link #load}. */
    public float[] score(FeatureBatch batch) {
        return run(batch, loaded).probabilities();
    }

    /** Logits and probabilities per transaction, with the adapter given at {@link #load}. */
    public Scores scoreWithLogits(FeatureBatch batch) {
        return run(batch, loaded);
    }

    /**
     * Probability of fraud per transaction with {@code adapter}; throws IllegalArgumentException, scoring nothing,
     * if it does not fit the graph.
     */
    public float[] score(FeatureBatch batch, Adapter adapter) {
        return scoreWithLogits(batch, adapter).probabilities();
    }

    /**
     * Logits and probabilities per transaction with {@code adapter} (checked against the graph's inputs), for a
     * caller that holds the live adapter itself and must know which adapter scored a batch.
     */
    public Scores scoreWithLogits(FeatureBatch batch, Adapter adapter) {
        checkAdapter(signature, adapter);
        return run(batch, adapter);
    }

    /** The adapter given at {@link #load}: the one the calls that name none score with. */
    public Adapter adapter() {
        return loaded;
    }

    public GraphSignature signature() {
        return signature;
    }

    /** Where the graph runs, e.g. {@code cpu}. */
    public String runsOn() {
        return runsOn;
    }

    private Scores run(FeatureBatch batch, Adapter adapter) {
        int b = batch.size();
        check("seq", batch.seq().length, (long) b * signature.seqLen() * signature.seqFeatures());
        check("seq_mask", batch.seqMask().length, (long) b * signature.seqLen());
        check("dense", batch.dense().length, (long) b * signature.denseFeatures());
        try (NDManager scope = model.getNDManager().newSubManager()) {
            NDList inputs = new NDList(3 + 1 + adapter.tensors().size());
            inputs.add(named(scope.create(batch.seq(), new Shape(b, signature.seqLen(), signature.seqFeatures())),
                    ServingGraphs.SEQ));
            inputs.add(named(scope.create(batch.seqMask(), new Shape(b, signature.seqLen())),
                    ServingGraphs.SEQ_MASK));
            inputs.add(named(scope.create(batch.dense(), new Shape(b, signature.denseFeatures())),
                    ServingGraphs.DENSE));
            inputs.add(named(scope.create(new float[] {adapter.scale()}, new Shape(1)), ServingGraphs.LORA_SCALE));
            for (Map.Entry<String, FloatTensor> entry : adapter.tensors().entrySet()) {
                FloatTensor tensor = entry.getValue();
                inputs.add(named(scope.create(tensor.buffer(), new Shape(tensor.longShape())), entry.getKey()));
            }
            NDList outputs = model.getBlock().forward(new ParameterStore(scope, false), inputs, false);
            float[] logits = null;
            float[] probabilities = null;
            for (NDArray output : outputs) {
                if (ServingGraphs.LOGIT.equals(output.getName())) {
                    logits = output.toFloatArray();
                } else if (ServingGraphs.PROBABILITY.equals(output.getName())) {
                    probabilities = output.toFloatArray();
                }
            }
            if (logits == null || probabilities == null) {
                throw new IllegalStateException("graph did not return logit and probability");
            }
            return new Scores(logits, probabilities);
        }
    }

    private static NDArray named(NDArray array, String name) {
        array.setName(name);
        return array;
    }

    private static void check(String input, int actual, long expected) {
        if (actual != expected) {
            throw new IllegalArgumentException(input + " has " + actual + " values, the graph needs " + expected);
        }
    }

    private static void checkAdapter(GraphSignature signature, Adapter adapter) {
        if (adapter == null) {
            throw new IllegalArgumentException("an adapter is required (use OnnxScorer.zeroAdapter for none)");
        }
        Set<String> expected = new HashSet<>(signature.loraInputs());
        if (!expected.equals(adapter.tensors().keySet())) {
            throw new IllegalArgumentException("adapter tensors " + adapter.tensors().keySet()
                    + " do not match the graph's adapter inputs " + signature.loraInputs());
        }
        for (Map.Entry<String, FloatTensor> entry : adapter.tensors().entrySet()) {
            int[] shape = entry.getValue().shape();
            if (!signature.fitsAdapterInput(entry.getKey(), shape, adapter.rank())) {
                throw new IllegalArgumentException("adapter tensor " + entry.getKey() + " has shape "
                        + Arrays.toString(shape) + ", the graph needs "
                        + Arrays.toString(signature.dims(entry.getKey())) + " (-1 = the rank)");
            }
        }
    }

    @Override
    public void close() {
        model.close();
    }

    /**
     * Scores of one batch.
     *
     * @param logits [B]
     * @param probabilities [B]
     */
    public record Scores(float[] logits, float[] probabilities) {}
}
