package dev.vigil.streams.context;

import dev.vigil.model.context.Case;
import dev.vigil.model.context.CaseLabel;
import dev.vigil.model.context.ContextSource.ContextQuery;
import dev.vigil.model.features.CardHistory;
import dev.vigil.model.features.FeatureEncoder;
import dev.vigil.model.features.Payment;
import dev.vigil.model.features.PointInTimeFeatures;
import dev.vigil.schemas.csv.CsvTransaction;
import dev.vigil.schemas.csv.TransactionCsv;
import dev.vigil.stack.LocalStack;
import dev.vigil.stack.Service;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Prints the latency of the OpenSearch context queries (one client thread, synchronous, p50/p90/p99/max) and the bulk
 * indexing rate, on the first N payments of a history CSV loaded into a fresh cases index of the shared local stack
 * (OpenSearch 2.19.1, -Xmx1g, in a child JVM). A program, not a test:
 * <pre>
 * mvn -q -pl streams-app test-compile dependency:build-classpath -Dmdep.outputFile=target/test-cp.txt -Dmdep.includeScope=test
 * java -cp streams-app/target/test-classes:streams-app/target/classes:$(cat streams-app/target/test-cp.txt) \
 *     dev.vigil.streams.context.ContextQueryBench HISTORY.csv [cases=200000] [queries=2000]
 * </pre>
 */
public final class ContextQueryBench {

    public static void main(String[] args) throws Exception {
        Path csv = Path.of(args[0]);
        int limit = args.length > 1 ? Integer.parseInt(args[1]) : 200_000;
        int queryCount = args.length > 2 ? Integer.parseInt(args[2]) : 2_000;
        List<CsvTransaction> rows = new ArrayList<>();
        try (TransactionCsv.Reader reader = TransactionCsv.open(csv)) {
            CsvTransaction t;
            while ((t = reader.next(bad -> { })) != null) {
                rows.add(t);
            }
        }
        rows.sort((a, b) -> a.eventTime().compareTo(b.eventTime()));
        rows = rows.subList(0, Math.min(limit, rows.size()));
        FeatureEncoder encoder = FeatureEncoder.standard();
        Map<String, CardHistory> states = new HashMap<>();
        List<Case> cases = new ArrayList<>();
        for (CsvTransaction row : rows) {
            Payment p = Payment.of(row);
            CardHistory h = states.computeIfAbsent(p.cardId(), id -> encoder.emptyHistory());
            cases.add(p.toCase(encoder.caseVector(p, h)));
            h.update(p);
        }
        List<CaseLabel> labels = PointInTimeFeatures.chargebacks(rows, Duration.ofDays(7));

        LocalStack stack = LocalStack.sharedForTests(Service.OPENSEARCH);
        OpenSearchHttp http = new OpenSearchHttp(stack.openSearchUrl(), Duration.ofSeconds(2), Duration.ofSeconds(30));
        CaseIndex index = new CaseIndex(http, "bench-cases-" + UUID.randomUUID(), encoder.spec());
        index.createIfAbsent(CaseIndex.Settings.singleNode()).join();
        try {
            long start = System.nanoTime();
            for (int from = 0; from < cases.size(); from += 2_000) {
                CaseIndex.BulkResult r = index.upsert(cases.subList(from, Math.min(cases.size(), from + 2_000))).join();
                if (!r.ok()) {
                    throw new IllegalStateException(r.failures().get(0));
                }
            }
            double caseSeconds = (System.nanoTime() - start) / 1e9;
            start = System.nanoTime();
            for (int from = 0; from < labels.size(); from += 2_000) {
                index.applyLabels(labels.subList(from, Math.min(labels.size(), from + 2_000))).join();
            }
            double labelSeconds = (System.nanoTime() - start) / 1e9;
            index.refresh().join();
            System.out.printf("%s: %,d cases bulk-upserted at %,.0f docs/s; %,d fraud labels at %,.0f/s%n", csv,
                    cases.size(), cases.size() / caseSeconds, labels.size(), labels.size() / labelSeconds);

            // queries as serving would ask them: payments of the last part of the loaded history, at their own time
            Random rng = new Random(1);
            List<ContextQuery> queries = new ArrayList<>();
            for (int i = 0; i < queryCount + 300; i++) {
                Case c = cases.get(cases.size() / 2 + rng.nextInt(cases.size() / 2));
                queries.add(new ContextQuery(c.merchantId(), c.vector(), c.eventTime(), encoder.spec().similarK()));
            }
            OpenSearchContextSource exact = new OpenSearchContextSource(http, index);
            OpenSearchContextSource hnsw = new OpenSearchContextSource(http, index,
                    OpenSearchContextSource.SimilarSearch.HNSW, OpenSearchContextSource.DEFAULT_CANDIDATE_MARGIN);
            report("merchant context (1 search, 7 aggregations)", queries, q -> () -> exact.merchant(q.merchantId(), q.asOf()));
            report("similar cases, EXACT (script_score)", queries, q -> () -> exact.similar(q.caseVector(), q.asOf(), q.k()));
            report("similar cases, HNSW (knn + filter)", queries, q -> () -> hnsw.similar(q.caseVector(), q.asOf(), q.k()));
            int batch = 32;
            List<ContextQuery> batches = new ArrayList<>();
            for (int i = 0; i + batch <= queries.size(); i += batch) {
                batches.add(queries.get(i));
            }
            double[] perBatch = time(batches.size(), 10, i -> () -> exact.retrieve(queries.subList(i * batch, i * batch + batch)));
            print("_msearch of 32 payments (both parts, EXACT), per request", perBatch);
            System.out.printf("  = %.2f ms per payment at p50%n", perBatch[perBatch.length / 2] / batch);
        } finally {
            index.delete().join();
        }
        System.exit(0);
    }

    private static void report(String what, List<ContextQuery> queries,
                               java.util.function.Function<ContextQuery, Supplier<Object>> call) {
        print(what, time(queries.size(), 300, i -> call.apply(queries.get(i))));
    }

    /** Runs each call once, the first {@code warmup} untimed; returns sorted latencies in ms. */
    private static double[] time(int n, int warmup, java.util.function.IntFunction<Supplier<Object>> calls) {
        double[] ms = new double[n - warmup];
        for (int i = 0; i < n; i++) {
            long start = System.nanoTime();
            calls.apply(i).get();
            if (i >= warmup) {
                ms[i - warmup] = (System.nanoTime() - start) / 1e6;
            }
        }
        Arrays.sort(ms);
        return ms;
    }

    private static void print(String what, double[] ms) {
        System.out.printf("%-58s n=%5d  p50 %6.2f  p90 %6.2f  p99 %6.2f  max %7.2f ms%n", what, ms.length,
                ms[(int) (ms.length * 0.5)], ms[(int) (ms.length * 0.9)], ms[(int) (ms.length * 0.99)], ms[ms.length - 1]);
    }
}
