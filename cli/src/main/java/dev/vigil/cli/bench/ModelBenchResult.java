package dev.vigil.cli.bench;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What {@code ./vigil bench model} ends with: {@code model: int8 X us/tx fp32 Y us/tx at batch 64 (speed-up S); size
 * int8 A MB fp32 B MB}.
 */
public record ModelBenchResult(double int8MicrosPerTransaction, double fp32MicrosPerTransaction, double speedUp,
                               double int8Megabytes, double fp32Megabytes, String line) {

    static final Pattern LINE = Pattern.compile("model: int8 (\\S+) us/tx fp32 (\\S+) us/tx at batch 64 "
            + "\\(speed-up (\\S+)\\); size int8 (\\S+) MB fp32 (\\S+) MB");

    public static Optional<ModelBenchResult> parse(String output) {
        return SummaryLine.last(output, LINE).map(ModelBenchResult::of);
    }

    /** How many times smaller the int8 graph is on disk. */
    public double sizeRatio() {
        return fp32Megabytes / int8Megabytes;
    }

    private static ModelBenchResult of(Matcher m) {
        return new ModelBenchResult(SummaryLine.number(m.group(1)), SummaryLine.number(m.group(2)),
                SummaryLine.number(m.group(3)), SummaryLine.number(m.group(4)), SummaryLine.number(m.group(5)),
                m.group());
    }
}
