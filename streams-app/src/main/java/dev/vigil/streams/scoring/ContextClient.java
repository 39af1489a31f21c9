package dev.vigil.streams.scoring;

import dev.vigil.model.context.ContextSource.ContextQuery;
import dev.vigil.model.context.ContextSource.RetrievedContext;
import dev.vigil.model.context.MerchantContext;
import dev.vigil.model.context.SimilarCases;
import dev.vigil.streams.context.ContextRetrievalException;
import dev.vigil.streams.context.OpenSearchContextSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Context for a batch of payments: a cache in front of OpenSearch, one {@code _msearch} for what the cache misses,
 * and a timeout. The scorer never waits longer than the timeout: what has not come back by then is scored without
 * context and flagged degraded ({@code context_timeout}); the late answer still fills the cache.
 *
 * <h2>The cache</h2>
 * Merchant context by merchant id, similar cases by the exact case vector, each answer kept with the instant it was
 * computed for (asOf). An answer serves a later payment only if it was computed at or before that payment's event time
 * and at most {@code ttl} (event time) before it: it can miss the last ttl of labels and transactions, never see the
 * future. Least recently used entries go first.
 *
 * <p>With a {@link dev.vigil.streams.context.FraudCaseMirror}, similar cases are answered in memory from the
 * mirror of the index's fraud cases (refreshed from OpenSearch every second), and only the merchant context is
 * asked of OpenSearch.
 *
 * <h2>When OpenSearch is down</h2>
 * A failed request (unreachable, 5xx, an unusable answer) opens a breaker for {@code breakerOpen}: meanwhile misses
 * are not sent at all and are degraded with {@code context_unavailable}, so an outage costs the stream nothing but
 * context. A timeout does not open it (slow is not down).
 */
public final class ContextClient {

    private static final Logger log = LoggerFactory.getLogger(ContextClient.class);

    /** Timeout 20 ms, cache TTL 60 s of event time, 50,000 merchants, 50,000 vectors, breaker 1 s. */
    public record Options(Duration timeout, Duration ttl, int merchantEntries, int similarEntries, Duration breakerOpen) {
        public static Options defaults() {
            return new Options(Duration.ofMillis(20), Duration.ofSeconds(60), 50_000, 50_000, Duration.ofSeconds(1));
        }

        public Options withTimeout(Duration timeout) {
            return new Options(timeout, ttl, merchantEntries, similarEntries, breakerOpen);
        }

        public Options withTtl(Duration ttl) {
            return new Options(timeout, ttl, merchantEntries, similarEntries, breakerOpen);
        }
    }

    /**
     * The context of each query, in order, and why it is degraded (null = complete).
     *
     * @param waitedMicros how long the batch waited for OpenSearch (0 when the cache answered everything)
     */
    public record Batch(List<RetrievedContext> contexts, String[] degradedReasons, long waitedMicros, int hits,
                        int misses) {}

    private final OpenSearchContextSource source;
    private final dev.vigil.streams.context.FraudCaseMirror mirror; // null: similar cases from OpenSearch too
    private final Options options;
    private final LongSupplier nanoClock;
    private final Lru<String, Cached<MerchantContext>> merchants;
    private final Lru<VectorKey, Cached<SimilarCases>> similar;
    private final AtomicLong breakerOpenUntilNanos = new AtomicLong(Long.MIN_VALUE);

    public ContextClient(OpenSearchContextSource source, Options options) {
        this(source, null, options, System::nanoTime);
    }

    /** With {@code mirror}, similar cases come from the mirror of the fraud cases once it has loaded. */
    public ContextClient(OpenSearchContextSource source, dev.vigil.streams.context.FraudCaseMirror mirror,
                         Options options) {
        this(source, mirror, options, System::nanoTime);
    }

    ContextClient(OpenSearchContextSource source, dev.vigil.streams.context.FraudCaseMirror mirror, Options options,
                  LongSupplier nanoClock) {
        this.source = source;
        this.mirror = mirror;
        this.options = options;
        this.nanoClock = nanoClock;
        this.merchants = new Lru<>(options.merchantEntries());
        this.similar = new Lru<>(options.similarEntries());
    }

    public Options options() {
        return options;
    }

    /** Context for every query: cached, fetched within the timeout, or missing and flagged. */
    public Batch retrieve(List<ContextQuery> queries) {
        int n = queries.size();
        MerchantContext[] merchant = new MerchantContext[n];
        SimilarCases[] neighbours = new SimilarCases[n];
        boolean[] merchantWanted = new boolean[n];
        boolean[] similarWanted = new boolean[n];
        long ttl = options.ttl().toMillis();
        int hits = 0;
        int misses = 0;
        for (int i = 0; i < n; i++) {
            ContextQuery q = queries.get(i);
            long t = q.asOf().toEpochMilli();
            merchant[i] = fresh(merchants.get(q.merchantId()), t, ttl);
            neighbours[i] = mirror != null ? mirror.similar(q.caseVector(), q.asOf(), q.k()) : null;
            if (neighbours[i] == null) {
                neighbours[i] = fresh(similar.get(new VectorKey(q.caseVector(), q.k())), t, ttl);
            }
            merchantWanted[i] = merchant[i] == null;
            similarWanted[i] = neighbours[i] == null;
            hits += (merchantWanted[i] ? 0 : 1) + (similarWanted[i] ? 0 : 1);
            misses += (merchantWanted[i] ? 1 : 0) + (similarWanted[i] ? 1 : 0);
        }
        String[] degraded = new String[n];
        long waited = 0;
        if (misses > 0) {
            String failure = null;
            if (nanoClock.getAsLong() < breakerOpenUntilNanos.get()) {
                failure = ContextRetrievalException.Reason.UNAVAILABLE.code();
            } else {
                long start = nanoClock.getAsLong();
                try {
                    CompletableFuture<List<RetrievedContext>> answer =
                            source.retrieveAsync(queries, merchantWanted, similarWanted);
                    answer.whenComplete((answers, error) -> remember(queries, answers, error));
                    List<RetrievedContext> answers = answer.get(options.timeout().toNanos(), TimeUnit.NANOSECONDS);
                    for (int i = 0; i < n; i++) {
                        if (merchantWanted[i]) {
                            merchant[i] = answers.get(i).merchant();
                        }
                        if (similarWanted[i]) {
                            neighbours[i] = answers.get(i).similar();
                        }
                    }
                } catch (TimeoutException e) {
                    failure = ContextRetrievalException.Reason.TIMEOUT.code();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    failure = ContextRetrievalException.Reason.TIMEOUT.code();
                } catch (ExecutionException | CompletionException | ContextRetrievalException e) {
                    failure = reasonOf(e);
                    breakerOpenUntilNanos.set(nanoClock.getAsLong() + options.breakerOpen().toNanos());
                    log.warn("context retrieval failed ({}: {}); scoring without context for {}", failure,
                            rootCause(e).toString(), options.breakerOpen());
                }
                waited = (nanoClock.getAsLong() - start) / 1_000;
            }
            for (int i = 0; i < n; i++) {
                if (merchant[i] == null || neighbours[i] == null) {
                    degraded[i] = failure;
                }
            }
        }
        List<RetrievedContext> contexts = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            MerchantContext m = merchant[i] != null ? merchant[i] : MerchantContext.MISSING;
            SimilarCases s = neighbours[i] != null ? neighbours[i] : SimilarCases.missing(queries.get(i).k());
            if (degraded[i] == null && (m.missing() || s.missing())) {
                degraded[i] = ContextRetrievalException.Reason.BAD_RESPONSE.code(); // one search of the _msearch failed
            }
            contexts.add(new RetrievedContext(m, s));
        }
        return new Batch(contexts, degraded, waited, hits, misses);
    }

    private void remember(List<ContextQuery> queries, List<RetrievedContext> answers, Throwable error) {
        if (error != null) { // also when it failed after the scorer stopped waiting: down is down
            if (!ContextRetrievalException.Reason.TIMEOUT.code().equals(reasonOf(error))) {
                breakerOpenUntilNanos.set(nanoClock.getAsLong() + options.breakerOpen().toNanos());
            }
            return;
        }
        if (answers == null) {
            return;
        }
        for (int i = 0; i < queries.size(); i++) {
            ContextQuery q = queries.get(i);
            long t = q.asOf().toEpochMilli();
            RetrievedContext a = answers.get(i);
            if (a.merchant() != null && !a.merchant().missing()) {
                merchants.put(q.merchantId(), new Cached<>(a.merchant(), t));
            }
            if (a.similar() != null && !a.similar().missing()) {
                similar.put(new VectorKey(q.caseVector(), q.k()), new Cached<>(a.similar(), t));
            }
        }
    }

    private static <T> T fresh(Cached<T> cached, long t, long ttl) {
        return cached != null && cached.asOf() <= t && t - cached.asOf() <= ttl ? cached.value() : null;
    }

    private static String reasonOf(Throwable e) {
        Throwable cause = rootCause(e);
        if (cause instanceof ContextRetrievalException r) {
            return r.reason().code();
        }
        return ContextRetrievalException.Reason.UNAVAILABLE.code();
    }

    private static Throwable rootCause(Throwable e) {
        Throwable cause = e;
        while ((cause instanceof ExecutionException || cause instanceof CompletionException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }

    private record Cached<T>(T value, long asOf) {}

    /** An exact case vector (and k) as a map key. */
    private record VectorKey(float[] vector, int k) {
        @Override
        public boolean equals(Object o) {
            return o instanceof VectorKey v && k == v.k && Arrays.equals(vector, v.vector);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(vector) * 31 + k;
        }
    }

    /** A small synchronized LRU map (answers arrive on the HTTP client's threads). */
    private static final class Lru<K, V> {
        private final LinkedHashMap<K, V> map;

        Lru(int capacity) {
            this.map = new LinkedHashMap<>(Math.min(capacity, 1 << 16), 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
                    return size() > capacity;
                }
            };
        }

        synchronized V get(K key) {
            return map.get(key);
        }

        synchronized void put(K key, V value) {
            V old = map.get(key);
            if (old instanceof Cached<?> o && value instanceof Cached<?> v && o.asOf() > v.asOf()) {
                return; // keep the newer answer
            }
            map.put(key, value);
        }
    }
}
