package dev.vigil.cli.bench;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What {@code ./vigil bench feedback} ends with: {@code feedback: loop CP@100 A AP B | frozen CP@100 C AP D |
 * label-to-live S s}, the CP@k and AP means over the days from the wave's start. When the new adapter did not go live,
 * the bench writes the outcome beside the time ({@code label-to-live 3.2 (refused, not live) s}): it is kept in
 * {@code labelToLiveOutcome} (null when it went live). Since 2026-12-03 the line ends with {@code | first win day D}: the
 * first day after the wave's start from which the loop stays ahead ({@code none}, or null from an older line).
 */
public record FeedbackBenchResult(int k, double loopCardPrecision, double loopAveragePrecision,
                                  double frozenCardPrecision, double frozenAveragePrecision,
                                  double labelToLiveSeconds, String labelToLiveOutcome, String firstWinDay,
                                  String line) {

    static final Pattern LINE = Pattern.compile("feedback: loop CP@(\\d+) (\\S+) AP (\\S+) \\| frozen CP@\\d+ (\\S+) "
            + "AP (\\S+) \\| label-to-live (\\S+)(?: \\((.+)\\))? s(?: \\| first win day (\\S+))?");

    public static Optional<FeedbackBenchResult> parse(String output) {
        return SummaryLine.last(output, LINE).map(FeedbackBenchResult::of);
    }

    /** The loop's CP@k minus the frozen adapter's. */
    public double cardPrecisionGain() {
        return loopCardPrecision - frozenCardPrecision;
    }

    /** The loop's AP minus the frozen adapter's. */
    public double averagePrecisionGain() {
        return loopAveragePrecision - frozenAveragePrecision;
    }

    private static FeedbackBenchResult of(Matcher m) {
        return new FeedbackBenchResult(Integer.parseInt(m.group(1)), SummaryLine.number(m.group(2)),
                SummaryLine.number(m.group(3)), SummaryLine.number(m.group(4)), SummaryLine.number(m.group(5)),
                SummaryLine.number(m.group(6)), m.group(7), m.group(8), m.group());
    }
}
