package dev.vigil.cli.dashboard;

/**
 * What the demo's live dashboard shows at one moment. Counts "today" are for the current simulated UTC day.
 *
 * @param simulatedTime       the simulated clock, e.g. {@code 2026-02-19 14:05}
 * @param day                 the current simulated day, 1-based
 * @param days                the days the demo runs
 * @param transactionsPerSecond scored transactions per wall-clock second, over the last few seconds
 * @param p50Millis           end-to-end latency (arrival to score written), median, recent window; NaN if none
 * @param p99Millis           the same, 99th percentile; NaN if none
 * @param transactionsToday   transactions scored today
 * @param alertsToday         alerts published today
 * @param labelsToday         labels (analyst reviews and chargebacks) on the labels topic today
 * @param precisionAtKToday   of today's top-k cards by score, the share with a fraud (labels known so far); NaN before
 * @param k                   the k of precision@k
 * @param adapterVersion      the adapter version live in the scorer
 * @param promotions          adapters the feedback loop promoted (published) so far
 * @param refusals            candidates the promotion gate refused so far
 * @param degradedTotal       scores with a degraded flag (context missing or late) so far
 * @param deadLettersTotal    records sent to the dead-letter topic so far
 * @param transactionsTotal   transactions scored so far
 * @param lastEvent           the latest notable event, one line (e.g. "adapter 3 live: holdout AP 0.71 -> 0.74")
 */
public record DashboardSnapshot(String simulatedTime, int day, int days, double transactionsPerSecond,
                                double p50Millis, double p99Millis, long transactionsToday, long alertsToday,
                                long labelsToday, double precisionAtKToday, int k, String adapterVersion,
                                long promotions, long refusals, long degradedTotal, long deadLettersTotal,
                                long transactionsTotal, String lastEvent) {}
