package dev.vigil.schemas;

import java.util.Map;

/**
 * Fetch settings for the consumers off the scoring path (the case indexer, the feedback loop, the analysts, the
 * demo's readers): a fetch waits for 64 KB or 200 ms instead of returning with the first record. With Kafka's
 * defaults every consumer asks the broker again as soon as one record arrives, and at a few hundred payments a second
 * those tiny fetches were most of the broker's work (measured in the demo: 0.3-0.45 of a core); none of these readers
 * needs its records within 200 ms. The scorer's own consumers keep the defaults.
 */
public final class BatchedFetch {

    public static final int MIN_BYTES = 64 * 1024;
    public static final int MAX_WAIT_MS = 200;

    private BatchedFetch() {
    }

    /** Adds the settings to a consumer configuration, unless it sets them already. */
    public static <M extends Map<Object, Object>> M apply(M config) {
        config.putIfAbsent("fetch.min.bytes", MIN_BYTES);
        config.putIfAbsent("fetch.max.wait.ms", MAX_WAIT_MS);
        return config;
    }
}
