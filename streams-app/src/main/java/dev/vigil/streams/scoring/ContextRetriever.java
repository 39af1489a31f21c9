package dev.vigil.streams.scoring;

import dev.vigil.model.context.ContextSource.ContextQuery;
import dev.vigil.model.context.ContextSource.RetrievedContext;
import dev.vigil.schemas.cli.Setting;
import dev.vigil.streams.context.LocalContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Context for a batch of payments, from the {@link LocalContext} the scorer holds: no network call, one read lock per
 * batch. A batch's context is flagged, never waited for:
 * <ul>
 *   <li>{@code context_unavailable}: the context has not finished its first load (the scorer started scoring before
 *       the index and the topics were read); the batch is scored without context;</li>
 *   <li>{@code context_stale}: the context is used, but it is older than {@code maxAge} (its follower is behind
 *       the labels and scores flowing through Kafka, or stopped); the score says how old ({@code context_age_ms}).</li>
 * </ul>
 */
public final class ContextRetriever {

    /** The degraded reason of a score whose context is older than the bound. */
    public static final String STALE = "context_stale";
    /** The degraded reason of a score made before the context's first load finished. */
    public static final String UNAVAILABLE = "context_unavailable";

    /**
     * @param maxAge context older than this is flagged {@link #STALE} (default 5 s)
     * @param retention how long before the newest event time the local context keeps unlabeled and genuine cases
     *                  (default {@link LocalContext#DEFAULT_RETENTION}, at least 31 days)
     */
    public record Options(Duration maxAge, Duration retention) {
        public static final Setting<Long> MAX_AGE_MS = Setting.of("context-max-age-ms", 5000L,
                "Scores whose local context is further behind the labels and scores flowing through Kafka are "
                        + "flagged context_stale, in ms.").must("at least 1", v -> v != null && v >= 1);
        public static final Setting<Long> RETENTION_DAYS = Setting.of("context-retention-days",
                LocalContext.DEFAULT_RETENTION.toDays(), "How long before the newest payment the local context keeps "
                        + "unlabeled and genuine cases (fraud cases are kept); at least 31, the merchant windows "
                        + "reach back 30.").must("at least 31", v -> v != null && v >= 31);

        public static Options defaults() {
            return new Options(Duration.ofMillis(MAX_AGE_MS.defaultValue()),
                    Duration.ofDays(RETENTION_DAYS.defaultValue()));
        }

        public Options {
            if (maxAge.isNegative() || maxAge.isZero()) {
                throw MAX_AGE_MS.invalid(maxAge.toMillis());
            }
            if (retention.compareTo(Duration.ofDays(31)) < 0) {
                throw RETENTION_DAYS.invalid(retention.toDays());
            }
        }

        public Options withMaxAge(Duration age) {
            return new Options(age, retention);
        }
    }

    /**
     * The context of each query, in order.
     *
     * @param degradedReason null when the context is fresh, else {@link #STALE} or {@link #UNAVAILABLE}
     * @param ageMillis how far behind the flowing labels and scores the context was (-1 before its first load)
     */
    public record Batch(List<RetrievedContext> contexts, String degradedReason, long ageMillis) {}

    private final LocalContext context;
    private final Options options;

    public ContextRetriever(LocalContext context, Options options) {
        this.context = context;
        this.options = options;
    }

    public LocalContext context() {
        return context;
    }

    public Batch retrieve(List<ContextQuery> queries, long nowMillis) {
        if (!context.isLoaded()) {
            List<RetrievedContext> missing = new ArrayList<>(queries.size());
            for (ContextQuery q : queries) {
                missing.add(RetrievedContext.missing(q.k()));
            }
            return new Batch(missing, UNAVAILABLE, -1);
        }
        long age = context.ageMillis(nowMillis);
        List<RetrievedContext> contexts = context.retrieve(queries);
        return new Batch(contexts, age > options.maxAge().toMillis() ? STALE : null, age);
    }
}
