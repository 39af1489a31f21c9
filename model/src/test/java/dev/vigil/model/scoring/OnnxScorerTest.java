package dev.vigil.model.scoring;

import static org.assertj.core.api.Assertions.assertThat;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import dev.vigil.model.adapter.Adapter;
import dev.vigil.model.network.FeatureBatch;
import dev.vigil.model.network.SyntheticBatches;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OnnxScorerTest {

    static TrainedModel model;

    @BeforeAll
    static void trainBaseAndExport(@TempDir Path dir) {
        model = TrainedModel.trainAndExport(dir);
    }

    @AfterAll
    static void close() {
        model.close();
    }

    @Test
    void aBatchScoredDuringSwapsSeesExactlyOneAdapter() throws Exception {
        Adapter first = model.adapter;
        Adapter second = TrainedModel.randomAdapter(TrainedModel.CONFIG, 21, 0.1f);
        FeatureBatch batch = SyntheticBatches.random(TrainedModel.CONFIG, 32, 9, 5);
        // the caller holds the live adapter (the streams app's AdapterSlot) and names it per batch
        AtomicReference<Adapter> live = new AtomicReference<>(second);
        try (OnnxScorer scorer = OnnxScorer.load(model.exported.int8(), ScorerOptions.cpu(1), second)) {
            float[] withSecond = scorer.score(batch);
            live.set(first);
            float[] withFirst = scorer.score(batch, live.get());
            ExecutorService pool = Executors.newFixedThreadPool(2);
            AtomicBoolean scoring = new AtomicBoolean(true);
            try {
                Future<List<float[]>> scores = pool.submit(() -> {
                    List<float[]> results = new ArrayList<>();
                    for (int i = 0; i < 300; i++) {
                        results.add(scorer.score(batch, live.get()));
                    }
                    scoring.set(false);
                    return results;
                });
                Future<?> swaps = pool.submit(() -> {
                    for (int i = 0; scoring.get(); i++) {
                        live.set(i % 2 == 0 ? second : first);
                        Thread.onSpinWait();
                    }
                });
                int sawFirst = 0;
                int sawSecond = 0;
                for (float[] result : scores.get()) {
                    boolean isFirst = Arrays.equals(result, withFirst);
                    boolean isSecond = Arrays.equals(result, withSecond);
                    assertThat(isFirst || isSecond).as("every batch is scored by one whole adapter").isTrue();
                    sawFirst += isFirst ? 1 : 0;
                    sawSecond += isSecond ? 1 : 0;
                }
                swaps.get();
                assertThat(sawFirst).isPositive();
                assertThat(sawSecond).isPositive();
            } finally {
                pool.shutdownNow();
            }
        }
    }

    @Test
    void aGpuRequestFallsBackToTheCpuWhereNoGpuRuntimeIsPresent() throws Exception {
        try (OnnxScorer scorer = OnnxScorer.load(model.exported.int8(),
                ScorerOptions.gpu(ScorerOptions.Device.CUDA, 0), model.adapter)) {
            assertThat(scorer.score(model.batch)).hasSize(TrainedModel.BATCH);
            if (!scorer.runsOn().startsWith("CUDA")) {
                assertThat(scorer.runsOn()).contains("fallback");
            }
        }
    }

    @Test
    void onnxRuntimeFusesEachQuantizedProjectionIntoOneKernel(@TempDir Path dir) throws Exception {
        // DJL's ONNX Runtime engine is loaded first (STACK.md: before OrtEnvironment is touched directly)
        try (OnnxScorer scorer = OnnxScorer.load(model.exported.int8(), ScorerOptions.cpu(1), model.adapter)) {
            scorer.score(model.batch);
        }
        Path optimized = dir.resolve("optimized.onnx");
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.EXTENDED_OPT);
            options.setOptimizedModelFilePath(optimized.toString());
            try (OrtSession ignored = OrtEnvironment.getEnvironment()
                    .createSession(model.exported.int8().toString(), options)) {
                // writing the optimised graph is a side effect of creating the session
            }
        }
        List<String> ops = ModelProto.parseFrom(Files.readAllBytes(optimized)).getGraph().getNodeList().stream()
                .map(NodeProto::getOpType).collect(Collectors.toList());
        assertThat(ops.stream().filter("DynamicQuantizeMatMul"::equals).count()).isEqualTo(4);
        assertThat(ops).doesNotContain("MatMulInteger", "DynamicQuantizeLinear", "LayerNormalization");
    }
}
