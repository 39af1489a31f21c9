package dev.vigil.model.features;

import dev.vigil.model.context.CaseLabel;
import dev.vigil.model.context.HistoryContextSource;
import dev.vigil.schemas.csv.CsvTransaction;
import dev.vigil.schemas.csv.TransactionCsv;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Prints how fast feature encoding and the trainer's context source run on a history CSV, and what the features look
 * like on it (mean of every dense feature and case dimension, genuine against fraud). A program, not a test:
 * <pre>
 * mvn -q -pl model test-compile dependency:build-classpath -Dmdep.outputFile=target/test-cp.txt -Dmdep.includeScope=test
 * java -Xmx6g -cp model/target/test-classes:model/target/classes:$(cat model/target/test-cp.txt) \
 *     dev.vigil.model.features.FeatureBench HISTORY.csv [threads] [label-delay-days]
 * </pre>
 * Each timing is the best of three runs (the machine is shared).
 */
public final class FeatureBench {

    public static void main(String[] args) throws Exception {
        Path csv = Path.of(args[0]);
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : Runtime.getRuntime().availableProcessors();
        Duration delay = Duration.ofDays(args.length > 2 ? Long.parseLong(args[2]) : 7);
        List<CsvTransaction> rows = new ArrayList<>();
        try (TransactionCsv.Reader reader = TransactionCsv.open(csv)) {
            CsvTransaction t;
            while ((t = reader.next(bad -> { })) != null) {
                rows.add(t);
            }
        }
        List<Payment> payments = new ArrayList<>(rows.stream().map(Payment::of).toList());
        payments.sort(PointInTimeFeatures.REPLAY_ORDER);
        List<CaseLabel> labels = PointInTimeFeatures.chargebacks(rows, delay);
        rows.clear();
        Set<String> fraud = new HashSet<>();
        labels.forEach(l -> fraud.add(l.transactionId()));
        FeatureEncoder encoder = FeatureEncoder.standard();
        System.out.printf("%s: %,d payments, %,d fraud (chargebacks %d days later), %d threads%n%n", csv,
                payments.size(), labels.size(), delay.toDays(), threads);

        // 1. card features alone: state update + sequence/dense/case vector, one thread
        double best = Double.MAX_VALUE;
        List<float[]> card = null;
        for (int run = 0; run < 3; run++) {
            long start = System.nanoTime();
            Map<String, CardHistory> states = new HashMap<>();
            List<float[]> out = new ArrayList<>(payments.size());
            for (Payment p : payments) {
                CardHistory h = states.computeIfAbsent(p.cardId(), id -> encoder.emptyHistory());
                out.add(encoder.cardFeatures(p, h).caseVector());
                h.update(p);
            }
            best = Math.min(best, (System.nanoTime() - start) / 1e9);
            card = out;
        }
        System.out.printf("card features (state in a map), 1 thread:            %,10.0f payments/s%n", payments.size() / best);

        // 2. the same with the state encoded and decoded around every payment, as a RocksDB store does
        best = Double.MAX_VALUE;
        long bytes = 0;
        long cards = 0;
        for (int run = 0; run < 3; run++) {
            long start = System.nanoTime();
            Map<String, byte[]> store = new HashMap<>();
            for (Payment p : payments) {
                byte[] value = store.get(p.cardId());
                CardHistory h = value == null ? encoder.emptyHistory() : CardHistory.decode(value);
                encoder.cardFeatures(p, h);
                h.update(p);
                store.put(p.cardId(), h.encode());
            }
            best = Math.min(best, (System.nanoTime() - start) / 1e9);
            bytes = store.values().stream().mapToLong(b -> b.length).sum();
            cards = store.size();
        }
        System.out.printf("card features + decode/encode state per payment:     %,10.0f payments/s%n", payments.size() / best);
        System.out.printf("card state size at the end: mean %,d bytes over %,d cards%n", bytes / cards, cards);

        // 3. the trainer's context source
        HistoryContextSource context = new HistoryContextSource(encoder.spec().caseVectorDimension());
        long start = System.nanoTime();
        labels.forEach(context::recordLabel);
        for (int i = 0; i < payments.size(); i++) {
            context.recordTransaction(payments.get(i).toCase(card.get(i)));
        }
        double record = (System.nanoTime() - start) / 1e9;
        System.out.printf("HistoryContextSource: record %,d cases + %,d labels: %.2f s (%,.0f cases/s)%n",
                payments.size(), labels.size(), record, payments.size() / record);
        Random rng = new Random(1);
        int sample = Math.min(50_000, payments.size());
        int[] picks = rng.ints(sample, 0, payments.size()).toArray();
        best = Double.MAX_VALUE;
        for (int run = 0; run < 3; run++) {
            start = System.nanoTime();
            for (int i : picks) {
                context.merchant(payments.get(i).merchantId(), payments.get(i).eventTime());
            }
            best = Math.min(best, (System.nanoTime() - start) / 1e9);
        }
        System.out.printf("  merchant context, 1 thread:                          %,10.0f queries/s%n", sample / best);
        best = Double.MAX_VALUE;
        long scanned = 0;
        for (int run = 0; run < 3; run++) {
            start = System.nanoTime();
            for (int i : picks) {
                context.similar(card.get(i), payments.get(i).eventTime(), encoder.spec().similarK());
            }
            best = Math.min(best, (System.nanoTime() - start) / 1e9);
        }
        System.out.printf("  similar cases (exact scan of fraud labeled by t):    %,10.0f queries/s (%,d fraud cases at the end)%n",
                sample / best, context.fraudCases());

        // 4. the whole training-side pipeline
        for (int p : threads > 1 ? new int[] {1, threads} : new int[] {1}) {
            best = Double.MAX_VALUE;
            for (int run = 0; run < 1; run++) {
                start = System.nanoTime();
                new PointInTimeFeatures(encoder, p).run(payments, labels, (payment, inputs) -> { });
                best = Math.min(best, (System.nanoTime() - start) / 1e9);
            }
            System.out.printf("PointInTimeFeatures, parallelism %d:                  %,10.0f payments/s (%.1f s)%n", p,
                    payments.size() / best, best);
        }

        // 5. what the features look like: mean per feature, genuine against fraud
        double[][] sums = new double[2][encoder.spec().denseFeatureCount() + encoder.spec().caseVectorDimension()];
        long[] n = new long[2];
        List<Payment> ordered = payments;
        List<float[]> features = card;
        HistoryContextSource full = new PointInTimeFeatures(encoder, threads).run(ordered, labels, (payment, inputs) -> {
            int cls = fraud.contains(payment.transactionId()) ? 1 : 0;
            n[cls]++;
            for (int j = 0; j < inputs.dense().length; j++) {
                sums[cls][j] += inputs.dense()[j];
            }
        });
        for (int i = 0; i < ordered.size(); i++) {
            int cls = fraud.contains(ordered.get(i).transactionId()) ? 1 : 0;
            float[] v = features.get(i);
            for (int j = 0; j < v.length; j++) {
                sums[cls][encoder.spec().denseFeatureCount() + j] += v[j];
            }
        }
        System.out.printf("%nmean of each input (%,d genuine / %,d fraud; %,d cases held)%n", n[0], n[1], full.size());
        List<String> names = new ArrayList<>(encoder.spec().denseFeatures());
        encoder.spec().caseVector().forEach(d -> names.add(d.name()));
        for (int j = 0; j < names.size(); j++) {
            System.out.printf("  %-28s %8.3f %8.3f%n", names.get(j), sums[0][j] / n[0], sums[1][j] / Math.max(1, n[1]));
        }
    }
}
