package dev.vigil.simulator.replay;

/**
 * Which time a replayed record carries as its Kafka record timestamp. The event time is always in the value
 * ({@code event_time}, {@code labeled_time}); this is only about the record's metadata.
 */
public enum RecordTimestamps {
    /**
     * The producer's clock at send (Kafka's CreateTime): the default. Vigil defines {@code FraudScore.arrival_time} as
     * the transaction's record timestamp and measures end-to-end latency from it, which only means something as a wall
     * time; and time-based retention deletes a segment once its newest record timestamp is older than
     * {@code retention.ms}, so a replay of last year's history stamped with event time would be deleted minutes after
     * it was written. Windows and joins in the streams app use the value's event time (a TimestampExtractor), not this.
     */
    WALL_CLOCK,
    /**
     * The record's event time ({@code event_time}; {@code labeled_time} for labels): for consumers that rely on Kafka's
     * default timestamp extraction. Only safe on topics whose retention covers the replayed period
     * ({@code retention.ms=-1} or long enough), and end-to-end latency measured from it is meaningless.
     */
    EVENT_TIME
}
