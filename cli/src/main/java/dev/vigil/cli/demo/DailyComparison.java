package dev.vigil.cli.demo;

import dev.vigil.cli.report.RunReport;
import dev.vigil.evaluation.AveragePrecision;
import dev.vigil.evaluation.CardPrecision;
import dev.vigil.evaluation.CardPrecisionAtK;
import dev.vigil.evaluation.KnownCompromisedCards;
import dev.vigil.evaluation.ScoredTransaction;
import dev.vigil.evaluation.TestWindow;
import dev.vigil.schemas.Money;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.ToDoubleFunction;

/**
 * The report's rows: per live day, CP@k and AP of the live scores (the loop's adapters) and of the frozen first
 * adapter on the same inputs, by the project's evaluation protocol: CP@k with the Handbook's known-compromised
 * exclusion (frauds of the whole simulation from its first day, known 7 days after the payment) and cards found on an
 * earlier live day removed; AP over all of the day's scored payments, without exclusion (as the feedback bench).
 */
final class DailyComparison {

    private DailyComparison() {}

    /** @param reviewedCards the cards the analysts reviewed on a day (-1: not known) */
    static List<RunReport.Day> days(List<LiveScoreLog.Entry> entries, KnownCompromisedCards known, int k,
                                    LocalDate waveStart, DayTally tally, SimulatedTruth truth, double alertThreshold,
                                    java.util.function.ToIntFunction<LocalDate> reviewedCards) {
        Map<LocalDate, List<LiveScoreLog.Entry>> byDay = new TreeMap<>();
        for (LiveScoreLog.Entry e : entries) {
            byDay.computeIfAbsent(TestWindow.dayOf(e.eventTime()), d -> new ArrayList<>()).add(e);
        }
        boolean frozenComplete = entries.stream().noneMatch(e -> Double.isNaN(e.frozenScore()));
        Map<LocalDate, Double> loopCp = cardPrecision(entries, known, k, LiveScoreLog.Entry::loopScore);
        Map<LocalDate, Double> frozenCp = frozenComplete
                ? cardPrecision(entries, known, k, LiveScoreLog.Entry::frozenScore) : Map.of();
        List<RunReport.Day> days = new ArrayList<>();
        for (Map.Entry<LocalDate, List<LiveScoreLog.Entry>> day : byDay.entrySet()) {
            LocalDate date = day.getKey();
            List<LiveScoreLog.Entry> rows = day.getValue();
            long frauds = rows.stream().filter(LiveScoreLog.Entry::fraud).count();
            List<LiveScoreLog.Entry> wave = rows.stream().filter(e -> truth.isWaveFraud(e.transactionId())).toList();
            days.add(new RunReport.Day(date, !date.isBefore(waveStart), rows.size(), frauds, tally.alerts(date),
                    tally.labels(date), loopCp.getOrDefault(date, Double.NaN),
                    frozenCp.getOrDefault(date, Double.NaN),
                    averagePrecision(rows, LiveScoreLog.Entry::loopScore),
                    frozenComplete ? averagePrecision(rows, LiveScoreLog.Entry::frozenScore) : Double.NaN,
                    tally.adapterAtEnd(date), wave.size(), wave.stream().filter(LiveScoreLog.Entry::alerted).count(),
                    wave.stream().filter(e -> e.frozenScore() >= alertThreshold).count(),
                    reviewedCards.applyAsInt(date)));
        }
        return days;
    }

    private static Map<LocalDate, Double> cardPrecision(List<LiveScoreLog.Entry> entries,
                                                        KnownCompromisedCards known, int k,
                                                        ToDoubleFunction<LiveScoreLog.Entry> score) {
        List<ScoredTransaction> test = new ArrayList<>(entries.size());
        for (LiveScoreLog.Entry e : entries) {
            test.add(new ScoredTransaction(e.transactionId(), e.cardId(), e.eventTime(),
                    new Money(e.amountMinor(), e.currency() == null || e.currency().isBlank()
                            ? Money.DEFAULT_CURRENCY : e.currency()),
                    e.fraud(), score.applyAsDouble(e), e.alerted()));
        }
        CardPrecision cp = new CardPrecisionAtK(k).compute(test, known);
        Map<LocalDate, Double> byDay = new HashMap<>();
        for (CardPrecision.Day d : cp.days()) {
            byDay.put(d.day(), d.precision());
        }
        return byDay;
    }

    private static double averagePrecision(List<LiveScoreLog.Entry> rows, ToDoubleFunction<LiveScoreLog.Entry> score) {
        double[] scores = new double[rows.size()];
        boolean[] fraud = new boolean[rows.size()];
        for (int i = 0; i < rows.size(); i++) {
            scores[i] = score.applyAsDouble(rows.get(i));
            fraud[i] = rows.get(i).fraud();
        }
        return AveragePrecision.of(scores, fraud);
    }
}
