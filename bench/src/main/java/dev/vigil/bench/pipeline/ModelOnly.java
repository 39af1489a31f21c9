package dev.vigil.bench.pipeline;

import dev.vigil.model.adapter.Adapter;
import dev.vigil.model.context.MerchantContext;
import dev.vigil.model.context.SimilarCases;
import dev.vigil.model.features.CardHistory;
import dev.vigil.model.features.FeatureEncoder;
import dev.vigil.model.features.Payment;
import dev.vigil.model.network.FeatureBatch;
import dev.vigil.model.scoring.OnnxScorer;
import dev.vigil.model.scoring.ScorerOptions;
import dev.vigil.schemas.avro.Transaction;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The model alone, as the scorer runs it but without Kafka: the same serving graph, the same engine options, the
 * same batch size and as many threads as the scorer has stream threads, each calling the graph on its own batches of
 * the bench's payments (their real card features, context as on a quiet day) back to back. What the pipeline reaches
 * is compared with this: the rest of the scorer's cost is everything around the model.
 *
 * @param perSecond payments scored per second by all threads together
 * @param microsPerTx CPU-bound time per payment of one thread (wall time of a call / batch size)
 */
record ModelOnly(double perSecond, double microsPerTx, int batch, int threads) {

    /** Measures for {@code duration} after a one-second warm-up. */
    static ModelOnly measure(Path graph, ScorerOptions options, Adapter adapter, FeatureEncoder encoder,
                             List<Transaction> payments, int batch, int threads, Duration duration)
            throws IOException, InterruptedException {
        List<FeatureBatch> batches = batches(encoder, payments, batch);
        try (OnnxScorer scorer = OnnxScorer.load(graph, options, adapter)) {
            run(scorer, adapter, batches, threads, Duration.ofSeconds(1));
            AtomicLong rows = new AtomicLong();
            long start = System.nanoTime();
            run(scorer, adapter, batches, threads, duration, rows);
            double seconds = (System.nanoTime() - start) / 1e9;
            return new ModelOnly(rows.get() / seconds, seconds * threads * 1e6 / Math.max(1, rows.get()), batch,
                    threads);
        }
    }

    private static void run(OnnxScorer scorer, Adapter adapter, List<FeatureBatch> batches, int threads,
                            Duration duration) throws InterruptedException {
        run(scorer, adapter, batches, threads, duration, new AtomicLong());
    }

    private static void run(OnnxScorer scorer, Adapter adapter, List<FeatureBatch> batches, int threads,
                            Duration duration, AtomicLong rows) throws InterruptedException {
        long deadline = System.nanoTime() + duration.toNanos();
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int first = t;
            Thread worker = new Thread(() -> {
                for (int i = first; System.nanoTime() < deadline; i++) {
                    FeatureBatch b = batches.get(i % batches.size());
                    scorer.scoreWithLogits(b, adapter);
                    rows.addAndGet(b.size());
                }
            }, "bench-model-only-" + t);
            worker.start();
            workers.add(worker);
        }
        for (Thread w : workers) {
            w.join();
        }
    }

    /** Full batches of the payments' inputs: card features over each card's history in order, context as known. */
    private static List<FeatureBatch> batches(FeatureEncoder encoder, List<Transaction> payments, int batch) {
        int seqRow = encoder.spec().seqLen() * encoder.spec().seqFeatureCount();
        int seqLen = encoder.spec().seqLen();
        int dense = encoder.spec().denseFeatureCount();
        SimilarCases none = SimilarCases.none(encoder.spec().similarK());
        Map<String, CardHistory> cards = new HashMap<>();
        List<FeatureBatch> batches = new ArrayList<>();
        int count = Math.min(payments.size() / batch, 64) * batch;
        for (int from = 0; from + batch <= count; from += batch) {
            float[] seq = new float[batch * seqRow];
            float[] mask = new float[batch * seqLen];
            float[] features = new float[batch * dense];
            for (int i = 0; i < batch; i++) {
                Payment p = Payment.of(payments.get(from + i));
                CardHistory state = cards.computeIfAbsent(p.cardId(), c -> encoder.emptyHistory());
                encoder.encodeInto(encoder.cardFeatures(p, state), MerchantContext.NOTHING_KNOWN, none, i, seq, mask,
                        features);
                state.update(p);
            }
            batches.add(new FeatureBatch(batch, seq, mask, features));
        }
        if (batches.isEmpty()) {
            throw new IllegalArgumentException("fewer payments (" + payments.size() + ") than one batch of " + batch);
        }
        return batches;
    }
}
