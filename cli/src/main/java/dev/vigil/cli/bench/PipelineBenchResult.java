package dev.vigil.cli.bench;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What {@code ./vigil bench pipeline} ends with: {@code pipeline: T tx/s vs passthrough P tx/s (ratio R); p50 X ms p99
 * Y ms at L tx/s offered; model-only M tx/s (ratio Q)}. Lines of earlier runs end before {@code ; model-only}: their
 * model-only numbers read as NaN.
 */
public record PipelineBenchResult(double transactionsPerSecond, double passthroughTransactionsPerSecond,
                                  double ratio, double p50Millis, double p99Millis, double offeredPerSecond,
                                  double modelOnlyTransactionsPerSecond, double modelOnlyRatio, String line) {

    static final Pattern LINE = Pattern.compile("pipeline: (\\S+) tx/s vs passthrough (\\S+) tx/s \\(ratio (\\S+)\\); "
            + "p50 (\\S+) ms p99 (\\S+) ms at (\\S+) tx/s offered(?:; model-only (\\S+) tx/s \\(ratio (\\S+)\\))?");

    public static Optional<PipelineBenchResult> parse(String output) {
        return SummaryLine.last(output, LINE).map(PipelineBenchResult::of);
    }

    private static PipelineBenchResult of(Matcher m) {
        return new PipelineBenchResult(SummaryLine.number(m.group(1)), SummaryLine.number(m.group(2)),
                SummaryLine.number(m.group(3)), SummaryLine.number(m.group(4)), SummaryLine.number(m.group(5)),
                SummaryLine.number(m.group(6)), m.group(7) == null ? Double.NaN : SummaryLine.number(m.group(7)),
                m.group(8) == null ? Double.NaN : SummaryLine.number(m.group(8)), m.group());
    }
}
