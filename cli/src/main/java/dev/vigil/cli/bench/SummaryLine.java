package dev.vigil.cli.bench;

import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reading the fixed-form line each benchmark ends with. The line is searched from the end of the output, because a
 * bench may print a little after it (the pipeline bench reports stopping its stack).
 */
final class SummaryLine {

    private SummaryLine() {
    }

    /** The last line of {@code output} that matches {@code pattern} entirely. */
    static Optional<Matcher> last(String output, Pattern pattern) {
        if (output == null) {
            return Optional.empty();
        }
        List<String> lines = output.lines().toList();
        for (int i = lines.size() - 1; i >= 0; i--) {
            Matcher m = pattern.matcher(lines.get(i).strip());
            if (m.matches()) {
                return Optional.of(m);
            }
        }
        return Optional.empty();
    }

    /** A number as the benches print it: {@code 1,830}, {@code 0.71}; {@code NaN} or {@code n/a} for none. */
    static double number(String text) {
        if (text == null || text.equals("n/a")) {
            return Double.NaN;
        }
        try {
            return Double.parseDouble(text.replace(",", ""));
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }
}
