package dev.vigil.streams.indexer;

import dev.vigil.model.features.FeatureSpec;
import dev.vigil.schemas.Topics;
import dev.vigil.streams.context.CaseIndex;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * How a {@link CaseIndexer} connects and paces itself. Checked when built: a bad value fails with the key it belongs
 * to. Start from {@link #defaults(String, String, String)} and change what differs with the {@code with...} methods.
 *
 * @param bootstrapServers  {@code bootstrap.servers}: the Kafka brokers, {@code host:port[,host:port]}
 * @param schemaRegistryUrl {@code schema.registry.url}: the Confluent-compatible registry the topics' values name
 * @param openSearchUrl     {@code opensearch.url}: {@code http(s)://host:port} of OpenSearch
 * @param indexName         {@code index.name}: the cases index (default {@value CaseIndex#DEFAULT_NAME})
 * @param groupId           {@code group.id}: the consumer group; offsets are committed under it (default
 *                          {@value #DEFAULT_GROUP_ID})
 * @param scoresTopic       {@code topic.scores}: where scored transactions are read (default {@value Topics#SCORES})
 * @param labelsTopic       {@code topic.labels}: where labels are read (default {@value Topics#LABELS})
 * @param deadLetterTopic   {@code topic.dlq}: where records that cannot be indexed go (default {@value Topics#DLQ})
 * @param maxBatch          {@code max.batch}: the most records one poll returns, hence one bulk request holds
 *                          ({@code max.poll.records}; default {@value #DEFAULT_MAX_BATCH})
 * @param pollTimeout       {@code poll.timeout}: how long one poll waits for records; also how quickly an idle
 *                          indexer notices {@code close()} (default 500 ms)
 * @param openSearchTimeout {@code opensearch.timeout}: the most one OpenSearch request may take before it counts as
 *                          failed and is retried (default 10 s)
 * @param initialBackoff    {@code backoff.initial}: the first wait after a failure; it doubles on each failure in a row
 *                          (default 100 ms)
 * @param maxBackoff        {@code backoff.max}: the longest wait between two attempts (default 10 s)
 * @param closeTimeout      {@code close.timeout}: the most {@code close()} waits for the indexing thread (default 10 s)
 * @param spec              the feature spec whose case vectors the index holds (dimension and vector version)
 * @param indexSettings     settings used if the indexer has to create the index
 */
public record CaseIndexerConfig(String bootstrapServers, String schemaRegistryUrl, String openSearchUrl,
                                String indexName, String groupId, String scoresTopic, String labelsTopic,
                                String deadLetterTopic, int maxBatch, Duration pollTimeout, Duration openSearchTimeout,
                                Duration initialBackoff, Duration maxBackoff, Duration closeTimeout, FeatureSpec spec,
                                CaseIndex.Settings indexSettings) {

    public static final String DEFAULT_GROUP_ID = "vigil-case-indexer";
    public static final int DEFAULT_MAX_BATCH = 500;

    public CaseIndexerConfig {
        requireText("bootstrap.servers", bootstrapServers);
        requireUrl("schema.registry.url", schemaRegistryUrl);
        requireUrl("opensearch.url", openSearchUrl);
        requireText("index.name", indexName);
        if (!indexName.equals(indexName.toLowerCase(java.util.Locale.ROOT)) || indexName.startsWith("_")
                || indexName.contains(",") || indexName.contains("*")) {
            throw new IllegalArgumentException("index.name must be lower case, not start with '_' and contain no ',' "
                    + "or '*': '" + indexName + "'");
        }
        requireText("group.id", groupId);
        requireText("topic.scores", scoresTopic);
        requireText("topic.labels", labelsTopic);
        requireText("topic.dlq", deadLetterTopic);
        if (scoresTopic.equals(labelsTopic)) {
            throw new IllegalArgumentException("topic.scores and topic.labels are the same topic: " + scoresTopic);
        }
        if (deadLetterTopic.equals(scoresTopic) || deadLetterTopic.equals(labelsTopic)) {
            throw new IllegalArgumentException("topic.dlq must not be an input topic: " + deadLetterTopic);
        }
        if (maxBatch < 1 || maxBatch > 10_000) {
            throw new IllegalArgumentException("max.batch must be 1 to 10000, got " + maxBatch);
        }
        requirePositive("poll.timeout", pollTimeout);
        requirePositive("opensearch.timeout", openSearchTimeout);
        requirePositive("backoff.initial", initialBackoff);
        requirePositive("backoff.max", maxBackoff);
        if (maxBackoff.compareTo(initialBackoff) < 0) {
            throw new IllegalArgumentException("backoff.max (" + maxBackoff + ") is shorter than backoff.initial ("
                    + initialBackoff + ")");
        }
        requirePositive("close.timeout", closeTimeout);
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(indexSettings, "indexSettings");
    }

    /** The defaults: Vigil's topics, index {@code cases}, group {@value #DEFAULT_GROUP_ID}, the standard features. */
    public static CaseIndexerConfig defaults(String bootstrapServers, String schemaRegistryUrl, String openSearchUrl) {
        return new CaseIndexerConfig(bootstrapServers, schemaRegistryUrl, openSearchUrl, CaseIndex.DEFAULT_NAME,
                DEFAULT_GROUP_ID, Topics.SCORES, Topics.LABELS, Topics.DLQ, DEFAULT_MAX_BATCH, Duration.ofMillis(500),
                Duration.ofSeconds(10), Duration.ofMillis(100), Duration.ofSeconds(10), Duration.ofSeconds(10),
                FeatureSpec.standard(), CaseIndex.Settings.singleNode());
    }

    public CaseIndexerConfig withIndexName(String name) {
        return new CaseIndexerConfig(bootstrapServers, schemaRegistryUrl, openSearchUrl, name, groupId, scoresTopic,
                labelsTopic, deadLetterTopic, maxBatch, pollTimeout, openSearchTimeout, initialBackoff, maxBackoff,
                closeTimeout, spec, indexSettings);
    }

    public CaseIndexerConfig withGroupId(String group) {
        return new CaseIndexerConfig(bootstrapServers, schemaRegistryUrl, openSearchUrl, indexName, group, scoresTopic,
                labelsTopic, deadLetterTopic, maxBatch, pollTimeout, openSearchTimeout, initialBackoff, maxBackoff,
                closeTimeout, spec, indexSettings);
    }

    public CaseIndexerConfig withTopics(String scores, String labels, String deadLetters) {
        return new CaseIndexerConfig(bootstrapServers, schemaRegistryUrl, openSearchUrl, indexName, groupId, scores,
                labels, deadLetters, maxBatch, pollTimeout, openSearchTimeout, initialBackoff, maxBackoff,
                closeTimeout, spec, indexSettings);
    }

    public CaseIndexerConfig withMaxBatch(int records) {
        return new CaseIndexerConfig(bootstrapServers, schemaRegistryUrl, openSearchUrl, indexName, groupId,
                scoresTopic, labelsTopic, deadLetterTopic, records, pollTimeout, openSearchTimeout, initialBackoff,
                maxBackoff, closeTimeout, spec, indexSettings);
    }

    public CaseIndexerConfig withTimeouts(Duration poll, Duration openSearch, Duration close) {
        return new CaseIndexerConfig(bootstrapServers, schemaRegistryUrl, openSearchUrl, indexName, groupId,
                scoresTopic, labelsTopic, deadLetterTopic, maxBatch, poll, openSearch, initialBackoff, maxBackoff,
                close, spec, indexSettings);
    }

    public CaseIndexerConfig withBackoff(Duration initial, Duration max) {
        return new CaseIndexerConfig(bootstrapServers, schemaRegistryUrl, openSearchUrl, indexName, groupId,
                scoresTopic, labelsTopic, deadLetterTopic, maxBatch, pollTimeout, openSearchTimeout, initial, max,
                closeTimeout, spec, indexSettings);
    }

    public CaseIndexerConfig withSpec(FeatureSpec featureSpec) {
        return new CaseIndexerConfig(bootstrapServers, schemaRegistryUrl, openSearchUrl, indexName, groupId,
                scoresTopic, labelsTopic, deadLetterTopic, maxBatch, pollTimeout, openSearchTimeout, initialBackoff,
                maxBackoff, closeTimeout, featureSpec, indexSettings);
    }

    /** The wait after {@code failuresInARow} failures (1 = the first): initial x 2^(n-1), at most {@link #maxBackoff}. */
    public Duration backoff(int failuresInARow) {
        int doublings = Math.min(Math.max(failuresInARow, 1) - 1, 30);
        long millis = initialBackoff.toMillis() << doublings;
        return millis <= 0 || millis > maxBackoff.toMillis() ? maxBackoff : Duration.ofMillis(millis);
    }

    private static void requireText(String key, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(key + " is not set");
        }
    }

    private static void requireUrl(String key, String value) {
        requireText(key, value);
        URI uri;
        try {
            uri = URI.create(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(key + " is not a URL: '" + value + "'", e);
        }
        if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
            throw new IllegalArgumentException(key + " must be http(s)://host:port, got '" + value + "'");
        }
    }

    private static void requirePositive(String key, Duration value) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(key + " must be a positive duration, got " + value);
        }
    }
}
