package dev.vigil.evaluation;

import dev.vigil.evaluation.report.EvaluationCharts;
import dev.vigil.evaluation.report.EvaluationRun;
import dev.vigil.evaluation.report.MarkdownReport;
import dev.vigil.evaluation.report.MetricsJson;
import dev.vigil.schemas.csv.TransactionCsv;
import dev.vigil.schemas.csv.TransactionCsv.BadRowListener;
import dev.vigil.schemas.digest.Sha256;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code vigil evaluate}: joins a scores CSV to the labeled transaction CSV and runs the evaluation protocol
 * (AUC-ROC, average precision, card precision@k per day, alert precision/recall, fraud amount caught), writing
 * {@code metrics.json}, {@code report.md} and three PNG charts into {@code --out}.
 *
 * <pre>
 * ./vigil evaluate --data data/transactions.csv --scores reports/scores.csv \
 *     --from 2026-02-15 --to 2026-02-22 --history-from 2026-02-01 --out reports/eval
 * </pre>
 *
 * Exit status: 0 when the reports are written (warnings included), 1 when nothing could be evaluated or an input
 * cannot be read, 2 for a bad option.
 */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = {"Scores against labels: AUC-ROC, average precision, card precision@k per day (Fraud Detection "
                + "Handbook), alert precision/recall and fraud amount caught.",
                "Writes metrics.json, report.md, pr_curve.png, roc_curve.png and cp_at_k_daily.png into --out."})
public final class EvaluateCommand implements Callable<Integer> {

    /** How many bad rows per file are printed one by one before only the count is given. */
    private static final int BAD_ROWS_SHOWN = 10;

    @Option(names = "--data", required = true, paramLabel = "FILE",
            description = "Labeled transactions, the canonical transaction CSV with a label column.")
    Path data;

    @Option(names = "--scores", required = true, paramLabel = "FILE",
            description = "Scores CSV: transaction_id,event_time,card_id,score,alerted,model_version,adapter_version")
    Path scores;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Directory for the reports.")
    Path out;

    @Option(names = "--from", paramLabel = "T", converter = TimeArgument.class,
            description = "Start of the test window, inclusive: a date (2026-02-01, UTC midnight) or an ISO instant. "
                    + "Default: the UTC day of the earliest score.")
    Instant from;

    @Option(names = "--to", paramLabel = "T", converter = TimeArgument.class,
            description = "End of the test window, exclusive: a date (2026-02-08 = up to 2026-02-07 included) or an "
                    + "ISO instant. Default: the end of the UTC day of the latest score.")
    Instant to;

    @Option(names = "--k", defaultValue = "100", paramLabel = "N",
            description = "Cards analysts can check per day, for card precision@k (default: ${DEFAULT-VALUE}).")
    int k;

    @Option(names = "--label-delay", defaultValue = "7", paramLabel = "DAYS",
            description = "Days until a fraud label is known; such cards are excluded later (default: ${DEFAULT-VALUE}).")
    int labelDelayDays;

    @Option(names = "--history-from", paramLabel = "T", converter = TimeArgument.class,
            description = "Start of the fraud history for the known-compromised exclusion (the training window's "
                    + "start). Default: the first event time in the data.")
    Instant historyFrom;

    @Option(names = "--max-missing-share", defaultValue = "0.01", paramLabel = "SHARE",
            description = "Warn when more than this share of the window's transactions have no score, or of the "
                    + "scores have no transaction (default: ${DEFAULT-VALUE}).")
    double maxMissingShare;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public EvaluateCommand() {
    }

    @Override
    public Integer call() throws IOException {
        System.setProperty("java.awt.headless", "true"); // before any chart touches AWT: no display needed
        validate();
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter stderr = spec.commandLine().getErr();
        ScoreJoin.Result joined;
        try {
            joined = ScoreJoin.run(
                    new ScoreJoin.Request(data, scores, from, to, historyFrom, Duration.ofDays(labelDelayDays)),
                    badRows(stderr, data), badRows(stderr, scores));
        } catch (IllegalArgumentException | IOException | UncheckedIOException e) {
            stderr.println("evaluate: " + e.getMessage());
            return 1;
        }
        ScoreJoin.Counts join = joined.counts();
        if (joined.transactions().isEmpty()) {
            stderr.println("evaluate: nothing to evaluate in " + joined.window() + ": " + join.transactionsInWindow()
                    + " transactions in the window, " + join.transactionsWithoutScore() + " of them without a score, "
                    + join.unlabeledInWindow() + " without a label; " + join.scoresWithoutTransaction()
                    + " scores match no transaction, " + join.scoresOutsideWindow() + " lie outside the window");
            return 1;
        }

        Evaluation evaluation = new FraudEvaluator(k).evaluate(joined.window(), joined.transactions(), joined.known());
        EvaluationRun run = new EvaluationRun(
                new EvaluationRun.Input(data, Sha256.hexOfFile(data)),
                new EvaluationRun.Input(scores, Sha256.hexOfFile(scores)),
                new EvaluationRun.Options(from, to, k, labelDelayDays, historyFrom, maxMissingShare),
                joined.historyFrom(), historyFrom != null ? "--history-from" : "first event time in the data",
                join, evaluation, warnings(join));

        Files.createDirectories(out);
        List<Path> written = List.of(out.resolve("metrics.json"), out.resolve("report.md"),
                out.resolve("pr_curve.png"), out.resolve("roc_curve.png"), out.resolve("cp_at_k_daily.png"));
        MetricsJson.write(run, written.get(0));
        MarkdownReport.write(run, written.get(1));
        EvaluationCharts.writePrecisionRecall(evaluation, written.get(2));
        EvaluationCharts.writeRoc(evaluation, written.get(3));
        EvaluationCharts.writeDailyCardPrecision(evaluation, written.get(4));

        printHeadline(stdout, run);
        stdout.println("wrote " + String.join(", ", written.stream().map(Path::toString).toList()));
        stdout.flush();
        return 0;
    }

    private void validate() {
        if (k < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--k must be at least 1, got " + k);
        }
        if (labelDelayDays < 0) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--label-delay must not be negative, got " + labelDelayDays);
        }
        if (!(maxMissingShare >= 0.0 && maxMissingShare <= 1.0)) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--max-missing-share must be in [0, 1], got " + maxMissingShare);
        }
        if (from != null && to != null && !to.isAfter(from)) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--to (" + to + ") must be after --from (" + from + ")");
        }
    }

    private List<String> warnings(ScoreJoin.Counts join) {
        List<String> warnings = new ArrayList<>();
        if (join.withoutScoreShare() > maxMissingShare) {
            warnings.add(String.format(Locale.ROOT, "TOO MANY MISSING SCORES: %d of %d transactions in the window "
                            + "(%.1f%%) have no score and are not evaluated (limit %.1f%%)",
                    join.transactionsWithoutScore(), join.transactionsInWindow(), 100 * join.withoutScoreShare(),
                    100 * maxMissingShare));
        }
        if (join.orphanScoreShare() > maxMissingShare) {
            warnings.add(String.format(Locale.ROOT, "TOO MANY UNMATCHED SCORES: %d scores (%.1f%%) match no "
                            + "transaction_id in the data: are the files from the same run? (limit %.1f%%)",
                    join.scoresWithoutTransaction(), 100 * join.orphanScoreShare(), 100 * maxMissingShare));
        }
        if (join.unlabeledInWindow() > 0) {
            warnings.add(join.unlabeledInWindow() + " transactions in the window have no label and are not evaluated");
        }
        if (join.cardMismatches() > 0 || join.eventTimeMismatches() > 0) {
            warnings.add(join.cardMismatches() + " scores disagree with the data on card_id and "
                    + join.eventTimeMismatches() + " on event_time; the data's values were used");
        }
        if (join.duplicateScores() > 0) {
            warnings.add(join.duplicateScores() + " score rows repeat a transaction_id; the first of each was used");
        }
        if (join.duplicateTransactions() > 0) {
            warnings.add(join.duplicateTransactions()
                    + " transaction rows in the window repeat a transaction_id; the first of each was used");
        }
        if (join.dataBadRows() > 0 || join.scoreBadRows() > 0) {
            warnings.add(join.dataBadRows() + " unreadable rows in the data and " + join.scoreBadRows()
                    + " in the scores were skipped");
        }
        return warnings;
    }

    private static void printHeadline(PrintWriter stdout, EvaluationRun run) {
        Evaluation e = run.evaluation();
        Evaluation.Counts c = e.counts();
        stdout.printf(Locale.ROOT, "evaluate: %,d transactions (%,d frauds, %,d cards) on %d test days in %s, "
                        + "k=%d, label delay %d days, %,d excluded as known compromised%n",
                c.evaluated(), c.frauds(), c.cards(), c.testDays(), e.provenance().window(), e.provenance().k(),
                e.provenance().labelDelay().toDays(), c.knownCompromised());
        stdout.printf(Locale.ROOT, "AUC-ROC %s   AP %s   CP@%d %s (mean of %d days)%n", value(e.rocAuc()),
                value(e.averagePrecision()), e.provenance().k(), value(e.cardPrecisionAtK()), c.testDays());
        AlertOutcome a = e.alerts();
        StringBuilder alerts = new StringBuilder("alerts: precision " + value(a.precision()) + "   recall "
                + value(a.recall()));
        for (AlertOutcome.FraudAmount f : a.fraudAmounts()) {
            alerts.append("   fraud caught ").append(f.currency()).append(' ').append(f.caught().toDecimalString())
                    .append(" of ").append(f.total().toDecimalString())
                    .append(String.format(Locale.ROOT, " (%s)", Double.isNaN(f.caughtShare()) ? "n/a"
                            : String.format(Locale.ROOT, "%.1f%%", 100 * f.caughtShare())));
        }
        stdout.println(alerts);
        e.notes().forEach(n -> stdout.println("note: " + n));
        run.warnings().forEach(w -> stdout.println("WARNING: " + w));
    }

    private static String value(double v) {
        return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%.4f", v);
    }

    private static BadRowListener badRows(PrintWriter stderr, Path file) {
        return new BadRowListener() {
            private long seen;

            @Override
            public void onBadRow(TransactionCsv.BadRow bad) {
                if (++seen <= BAD_ROWS_SHOWN) {
                    stderr.println(file + ":" + bad.lineNumber() + ": skipped: " + bad.reason());
                } else if (seen == BAD_ROWS_SHOWN + 1) {
                    stderr.println(file + ": more bad rows skipped; metrics.json counts them");
                }
            }
        };
    }

    /** A date (UTC midnight) or an ISO-8601 instant; a time without a zone is UTC. */
    public static final class TimeArgument implements CommandLine.ITypeConverter<Instant> {
        @Override
        public Instant convert(String value) {
            String text = value.trim();
            if (text.length() == 10) {
                try {
                    return TestWindow.startOf(LocalDate.parse(text));
                } catch (DateTimeParseException e) {
                    throw new CommandLine.TypeConversionException("not a date (YYYY-MM-DD): '" + value + "'");
                }
            }
            try {
                return TransactionCsv.parseTime(text);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(
                        "not a date (2026-02-01) or an ISO-8601 instant (2026-02-01T00:00:00Z): '" + value + "'");
            }
        }
    }
}
