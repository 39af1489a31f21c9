package dev.vigil.evaluation;

import dev.vigil.schemas.csv.CsvTransaction;
import dev.vigil.schemas.csv.TransactionCsv;
import dev.vigil.schemas.csv.TransactionCsv.BadRowListener;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Joins a scores CSV to the labeled transaction CSV by {@code transaction_id}, for the {@code evaluate} command. The
 * scores are held in memory (one entry per score); the transactions stream past once, feeding the known-compromised
 * history with every labeled fraud and keeping the scored, labeled transactions of the test window. The transaction
 * CSV is the truth for card, time, amount and label; a score row that disagrees on card or time is counted.
 */
public final class ScoreJoin {

    private ScoreJoin() {
    }

    /**
     * @param from        start of the test window; null: the start of the UTC day of the earliest score
     * @param to          end of the test window, exclusive; null: the end of the UTC day of the latest score
     * @param historyFrom start of the fraud history; null: every fraud in the data (its first event time)
     */
    public record Request(Path data, Path scores, Instant from, Instant to, Instant historyFrom,
                          Duration labelDelay) {
    }

    /**
     * What the join saw. "In window" is by the transaction CSV's event time.
     *
     * @param scoreRows                 good rows of the scores file
     * @param scoreBadRows              unreadable rows of the scores file
     * @param duplicateScores           score rows repeating a transaction_id (the first one counts)
     * @param dataRows                  good rows of the transaction file
     * @param dataBadRows               unreadable rows of the transaction file
     * @param duplicateTransactions     in-window transaction rows repeating a transaction_id (the first one counts)
     * @param transactionsInWindow      distinct transactions in the window
     * @param unlabeledInWindow         of those, without a label: not evaluated
     * @param transactionsWithoutScore  of those, without a score: not evaluated
     * @param scoresOutsideWindow       scores whose transaction lies outside the window
     * @param scoresWithoutTransaction  scores whose transaction_id is not in the transaction file
     * @param cardMismatches            joined scores whose card_id differs from the transaction's
     * @param eventTimeMismatches       joined scores whose event_time differs from the transaction's
     * @param joined                    labeled, scored transactions in the window: what is evaluated
     */
    public record Counts(long scoreRows, long scoreBadRows, long duplicateScores, long dataRows, long dataBadRows,
                         long duplicateTransactions, long transactionsInWindow, long unlabeledInWindow,
                         long transactionsWithoutScore, long scoresOutsideWindow, long scoresWithoutTransaction,
                         long cardMismatches, long eventTimeMismatches, long joined) {

        /** Share of in-window transactions with no score; 0 when the window is empty. */
        public double withoutScoreShare() {
            return transactionsInWindow == 0 ? 0.0 : (double) transactionsWithoutScore / transactionsInWindow;
        }

        /** Share of scores with no transaction in the data; 0 when there are no scores. */
        public double orphanScoreShare() {
            long distinct = scoreRows - duplicateScores;
            return distinct == 0 ? 0.0 : (double) scoresWithoutTransaction / distinct;
        }
    }

    /**
     * @param window          the resolved test window
     * @param transactions    the joined transactions of the window, in data-file order
     * @param known           every labeled fraud of the data from {@code historyFrom} on
     * @param firstEventTime  the earliest event time in the data, null if it had no good row
     * @param historyFrom     the resolved start of the fraud history (the option, else {@code firstEventTime})
     */
    public record Result(TestWindow window, List<ScoredTransaction> transactions, KnownCompromisedCards known,
                         Counts counts, Instant firstEventTime, Instant historyFrom) {
    }

    public static Result run(Request request, BadRowListener dataBadRows, BadRowListener scoreBadRows)
            throws IOException {
        Map<String, ScoreRecord> scores = new HashMap<>();
        long scoreRows = 0;
        long duplicateScores = 0;
        long scoreBad;
        Instant minScoreTime = null;
        Instant maxScoreTime = null;
        try (ScoresCsv.Reader reader = ScoresCsv.open(request.scores())) {
            ScoreRecord r;
            while ((r = reader.next(scoreBadRows)) != null) {
                scoreRows++;
                if (scores.putIfAbsent(r.transactionId(), r) != null) {
                    duplicateScores++;
                }
                minScoreTime = minScoreTime == null || r.eventTime().isBefore(minScoreTime) ? r.eventTime()
                        : minScoreTime;
                maxScoreTime = maxScoreTime == null || r.eventTime().isAfter(maxScoreTime) ? r.eventTime()
                        : maxScoreTime;
            }
            scoreBad = reader.badRows();
        }
        TestWindow window = resolveWindow(request, minScoreTime, maxScoreTime);

        KnownCompromisedCards known = new KnownCompromisedCards(request.historyFrom(), request.labelDelay());
        List<ScoredTransaction> joined = new ArrayList<>();
        Set<String> seenInWindow = new HashSet<>();
        long dataRows = 0;
        long dataBad;
        long duplicateTransactions = 0;
        long inWindow = 0;
        long unlabeled = 0;
        long withoutScore = 0;
        long scoresOutsideWindow = 0;
        long cardMismatches = 0;
        long timeMismatches = 0;
        Instant firstEventTime = null;
        try (TransactionCsv.Reader reader = TransactionCsv.open(request.data())) {
            if (!reader.header().has("label")) {
                throw new IllegalArgumentException(request.data() + " has no label column: evaluation needs the "
                        + "true label (0/1) of every transaction");
            }
            CsvTransaction t;
            while ((t = reader.next(dataBadRows)) != null) {
                dataRows++;
                firstEventTime = firstEventTime == null || t.eventTime().isBefore(firstEventTime) ? t.eventTime()
                        : firstEventTime;
                known.record(t);
                if (!window.contains(t.eventTime())) {
                    if (scores.remove(t.transactionId()) != null) {
                        scoresOutsideWindow++;
                    }
                    continue;
                }
                if (!seenInWindow.add(t.transactionId())) {
                    duplicateTransactions++;
                    continue;
                }
                inWindow++;
                ScoreRecord score = scores.remove(t.transactionId());
                if (t.label() == null) {
                    unlabeled++;
                }
                if (score == null) {
                    withoutScore++;
                    continue;
                }
                if (!score.cardId().equals(t.cardId())) {
                    cardMismatches++;
                }
                if (!score.eventTime().equals(t.eventTime())) {
                    timeMismatches++;
                }
                if (t.label() != null) {
                    joined.add(new ScoredTransaction(t.transactionId(), t.cardId(), t.eventTime(), t.amount(),
                            t.isFraud(), score.score(), score.alerted()));
                }
            }
            dataBad = reader.badRows();
        }
        Counts counts = new Counts(scoreRows, scoreBad, duplicateScores, dataRows, dataBad, duplicateTransactions,
                inWindow, unlabeled, withoutScore, scoresOutsideWindow, scores.size(), cardMismatches,
                timeMismatches, joined.size());
        Instant historyFrom = request.historyFrom() != null ? request.historyFrom() : firstEventTime;
        return new Result(window, joined, known, counts, firstEventTime, historyFrom);
    }

    private static TestWindow resolveWindow(Request request, Instant minScoreTime, Instant maxScoreTime) {
        if ((request.from() == null || request.to() == null) && minScoreTime == null) {
            throw new IllegalArgumentException(request.scores() + " has no readable score, so the test window "
                    + "cannot default to the days it covers: give --from and --to");
        }
        Instant from = request.from() != null ? request.from()
                : TestWindow.startOf(TestWindow.dayOf(minScoreTime));
        Instant to = request.to() != null ? request.to()
                : TestWindow.startOf(TestWindow.dayOf(maxScoreTime).plusDays(1));
        return new TestWindow(from, to);
    }
}
