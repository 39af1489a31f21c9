package dev.vigil.evaluation;

import dev.vigil.schemas.csv.CsvTransaction;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Which cards the fraud team already knows to be compromised on each test day, as the Fraud Detection Handbook's
 * {@code get_train_test_set} defines it: fraud labels arrive {@code labelDelay} after the payment, so on test day d a
 * card is known compromised if it had a fraud with {@code historyFrom <= eventTime < startOf(d) - labelDelay}. Such a
 * card would already be blocked, so its transactions that day are excluded from every metric: detecting it again is
 * no achievement.
 *
 * <p>A fraud labeled sooner than the delay (its cardholder reported it: {@link #recordReport}) makes its card known from
 * the report's time on: the exclusion follows the labels actually published.
 *
 * <p>With the Handbook's 7-day train / 7-day delay split this is exactly its rule: on test day d, the frauds of the
 * training days and of the delay days up to d - 8 are known. Record every labeled fraud you have, history and test
 * window alike: test-window frauds become known to later test days when the window is longer than the delay.
 */
public final class KnownCompromisedCards {

    private final Instant historyFrom;
    private final Duration labelDelay;
    private final boolean enabled;
    private final Map<String, Instant> firstFraud = new HashMap<>();
    /** Per card, the earliest time one of its frauds was reported before its chargeback. */
    private final Map<String, Instant> firstReport = new HashMap<>();

    /**
     * @param historyFrom the start of the labeled history (the start of the training window); null to use every
     *                    fraud recorded
     * @param labelDelay  how long after a payment its fraud label is known (the Handbook's 7 days)
     */
    public KnownCompromisedCards(Instant historyFrom, Duration labelDelay) {
        this(historyFrom, labelDelay, true);
    }

    private KnownCompromisedCards(Instant historyFrom, Duration labelDelay, boolean enabled) {
        Objects.requireNonNull(labelDelay, "labelDelay");
        if (labelDelay.isNegative()) {
            throw new IllegalArgumentException("the label delay must not be negative: " + labelDelay);
        }
        this.historyFrom = historyFrom;
        this.labelDelay = labelDelay;
        this.enabled = enabled;
    }

    /** No card is ever known compromised: the metrics then run on every test transaction. */
    public static KnownCompromisedCards none() {
        return new KnownCompromisedCards(null, Duration.ZERO, false);
    }

    /** The history, with every fraud among {@code labeled} recorded. */
    public static KnownCompromisedCards of(Instant historyFrom, Duration labelDelay,
                                           Iterable<ScoredTransaction> labeled) {
        KnownCompromisedCards known = new KnownCompromisedCards(historyFrom, labelDelay);
        for (ScoredTransaction t : labeled) {
            if (t.fraud()) {
                known.recordFraud(t.cardId(), t.eventTime());
            }
        }
        return known;
    }

    /** Records a labeled fraud; frauds before {@code historyFrom} are ignored. */
    public void recordFraud(String cardId, Instant eventTime) {
        if (!enabled || (historyFrom != null && eventTime.isBefore(historyFrom))) {
            return;
        }
        firstFraud.merge(cardId, eventTime, (a, b) -> a.isBefore(b) ? a : b);
    }

    /**
     * Records that a fraud of the card at {@code eventTime} was known at {@code reportedAt}, sooner than the label
     * delay (a cardholder's report); frauds before {@code historyFrom} are ignored. Record the fraud itself too
     * ({@link #recordFraud}): its chargeback still comes.
     */
    public void recordReport(String cardId, Instant eventTime, Instant reportedAt) {
        if (!enabled || (historyFrom != null && eventTime.isBefore(historyFrom))) {
            return;
        }
        firstReport.merge(cardId, reportedAt, (a, b) -> a.isBefore(b) ? a : b);
    }

    /** Records a row of the canonical transaction CSV if it is labeled fraud. */
    public void record(CsvTransaction t) {
        if (t.isFraud()) {
            recordFraud(t.cardId(), t.eventTime());
        }
    }

    /** Frauds strictly before this instant are known on {@code day}. */
    public Instant cutoff(LocalDate day) {
        return TestWindow.startOf(day).minus(labelDelay);
    }

    public boolean isKnownOn(String cardId, LocalDate day) {
        Instant first = firstFraud.get(cardId);
        if (first != null && first.isBefore(cutoff(day))) {
            return true;
        }
        Instant reported = firstReport.get(cardId);
        return reported != null && reported.isBefore(TestWindow.startOf(day));
    }

    public boolean enabled() {
        return enabled;
    }

    /** Null when every recorded fraud counts. */
    public Instant historyFrom() {
        return historyFrom;
    }

    public Duration labelDelay() {
        return labelDelay;
    }

    /** The number of cards with at least one recorded fraud. */
    public int compromisedCards() {
        return firstFraud.size();
    }

    /**
     * The test transactions split into those kept for evaluation and those on cards known compromised that day.
     *
     * @param kept                 the transactions left, in their input order
     * @param excludedTransactions how many were dropped
     * @param excludedCardsByDay   per UTC day, how many distinct cards were dropped (days with none are absent)
     */
    public record Exclusion(List<ScoredTransaction> kept, long excludedTransactions,
                            SortedMap<LocalDate, Integer> excludedCardsByDay) {
    }

    public Exclusion exclude(List<ScoredTransaction> transactions) {
        if (!enabled || (firstFraud.isEmpty() && firstReport.isEmpty())) {
            return new Exclusion(List.copyOf(transactions), 0, Collections.emptySortedMap());
        }
        List<ScoredTransaction> kept = new ArrayList<>(transactions.size());
        Map<LocalDate, Set<String>> excludedCards = new TreeMap<>();
        long excluded = 0;
        for (ScoredTransaction t : transactions) {
            LocalDate day = TestWindow.dayOf(t.eventTime());
            if (isKnownOn(t.cardId(), day)) {
                excluded++;
                excludedCards.computeIfAbsent(day, d -> new HashSet<>()).add(t.cardId());
            } else {
                kept.add(t);
            }
        }
        SortedMap<LocalDate, Integer> counts = new TreeMap<>();
        excludedCards.forEach((day, cards) -> counts.put(day, cards.size()));
        return new Exclusion(Collections.unmodifiableList(kept), excluded, Collections.unmodifiableSortedMap(counts));
    }
}
