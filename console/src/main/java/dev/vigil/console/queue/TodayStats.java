package dev.vigil.console.queue;

import java.time.LocalDate;

/**
 * Today's numbers from the scores and labels the console has read. {@code cpAtK}: of today's top k cards by their
 * highest score, the share labeled fraud so far (labels of today's payments); {@code labeled}: how many of those k
 * carry any label. Throughput: scores made per second over the last 10 s of wall time (their scored_time); latency:
 * scored_time - arrival_time of today's payments (the last 10,000), in ms. NaN where there is nothing to measure.
 */
public record TodayStats(LocalDate day, double cpAtK, int k, int labeled, double throughputTps, double p50Ms,
                         double p99Ms) {
}
