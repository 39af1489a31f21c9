package dev.vigil.evaluation.report;

import dev.vigil.evaluation.Evaluation;
import dev.vigil.evaluation.ScoreJoin;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/**
 * One run of the {@code evaluate} command as the reports describe it: the inputs (with their SHA-256, so a number can
 * be traced to the exact files), the options as given, how the join went, the evaluation, and the warnings a reader
 * must see before trusting the numbers.
 *
 * @param historyFrom       the resolved start of the fraud history
 * @param historyFromSource where {@code historyFrom} came from: the option, or the first event time in the data
 */
public record EvaluationRun(Input data, Input scores, Options options, Instant historyFrom, String historyFromSource,
                            ScoreJoin.Counts join, Evaluation evaluation, List<String> warnings) {

    public EvaluationRun {
        warnings = List.copyOf(warnings);
    }

    public record Input(Path path, String sha256) {
    }

    /** The options as given on the command line; null where left to the default. */
    public record Options(Instant from, Instant to, int k, int labelDelayDays, Instant historyFrom,
                          double maxMissingShare) {
    }
}
