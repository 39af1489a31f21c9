package dev.vigil.simulator.analysts;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;

/**
 * The analysts' desk: which alerted transactions get reviewed, and when. Pure logic, no Kafka; {@link
 * AnalystSimulator} feeds it alerts and publishes what it returns.
 *
 * <p>The review policy (the Fraud Detection Handbook's, as card precision@k assumes): each event-time day (UTC) the
 * team reviews at most k cards, the day's most suspicious ones. Alerts are held per day while the day is open. A day
 * closes once the event-time watermark (the latest alert time seen) passes the day's end plus a grace period, so
 * alerts a little out of order still count; or when the simulator has been idle long enough ({@link
 * #closeAllOpenDays}), which ends the last day of a replay. At the close, cards are ranked: exploration requests of
 * the scorer first (it asked for them, spending its own exploration budget of review slots), then by the card's
 * highest score that day, then by card id for determinism. The top k cards are reviewed, and reviewing a card means
 * labeling every alerted transaction of that card that day.
 *
 * <p>An alert that arrives after its day closed (later than the grace period) is reviewed on arrival if its card was
 * already reviewed that day (no extra budget: the analyst has the card open), or if the day's budget is not spent;
 * otherwise it is never reviewed. A transaction is labeled at most once.
 *
 * <p>Restart: the state that must survive is, per closed day, the reviewed cards and labeled transactions. {@link
 * #restore} rebuilds it from the labels already published; open days are rebuilt by re-reading their alerts, which
 * is why the consumer offset never moves past an alert still held ({@link #lowestHeldOffset}).
 */
public final class ReviewDesk {

    static final long DAY_MILLIS = 86_400_000L;

    private static final class OpenDay {
        final Map<String, AlertTicket> byTransaction = new LinkedHashMap<>();
    }

    private static final class ClosedDay {
        final Map<String, Integer> rankByCard = new HashMap<>();
        final Map<String, Double> maxScoreByCard = new HashMap<>();
        final Set<String> labeledTransactions = new HashSet<>();
    }

    private record Candidate(String cardId, boolean exploration, double maxScore, List<AlertTicket> alerts) {
    }

    private static final Comparator<Candidate> PRIORITY = Comparator
            .comparing((Candidate c) -> !c.exploration())
            .thenComparing(Candidate::maxScore, Comparator.reverseOrder())
            .thenComparing(Candidate::cardId);

    private final ReviewPolicy policy;
    private final TreeMap<Long, OpenDay> open = new TreeMap<>();
    private final Map<Long, ClosedDay> closed = new HashMap<>();
    private long watermark = Long.MIN_VALUE;
    private long alertsOffered;
    private long duplicates;
    private long lateReviewed;
    private long neverReviewed;

    public ReviewDesk(ReviewPolicy policy) {
        this.policy = policy;
    }

    /**
     * Takes one alert. Returns the reviews it causes at once: none while its day is open (it waits for the close), at
     * most one when its day already closed.
     */
    public List<Review> offer(AlertTicket alert) {
        alertsOffered++;
        watermark = Math.max(watermark, alert.eventTimeMillis());
        long day = Math.floorDiv(alert.eventTimeMillis(), DAY_MILLIS);
        ClosedDay done = closed.get(day);
        if (done != null) {
            return reviewLate(alert, day, done);
        }
        if (open.computeIfAbsent(day, d -> new OpenDay()).byTransaction.putIfAbsent(alert.transactionId(), alert)
                != null) {
            duplicates++;
        }
        return List.of();
    }

    /** Closes, oldest first, every open day whose end plus grace the watermark has passed, and returns its reviews. */
    public List<Review> closeDueDays() {
        List<Review> reviews = new ArrayList<>();
        while (!open.isEmpty()) {
            long day = open.firstKey();
            if (watermark < (day + 1) * DAY_MILLIS + policy.grace().toMillis()) {
                break;
            }
            reviews.addAll(close(day));
        }
        return reviews;
    }

    /** Closes every open day (the alert stream has gone quiet), oldest first, and returns the reviews. */
    public List<Review> closeAllOpenDays() {
        List<Review> reviews = new ArrayList<>();
        while (!open.isEmpty()) {
            reviews.addAll(close(open.firstKey()));
        }
        return reviews;
    }

    /** Records a review published before a restart: its day is closed, its card reviewed, its transaction labeled. */
    public void restore(LocalDate day, String cardId, String transactionId, double cardMaxScore) {
        ClosedDay done = closed.computeIfAbsent(day.toEpochDay(), d -> new ClosedDay());
        done.rankByCard.putIfAbsent(cardId, done.rankByCard.size() + 1);
        done.maxScoreByCard.merge(cardId, cardMaxScore, Math::max);
        done.labeledTransactions.add(transactionId);
    }

    /** The lowest offset of an alert still held in an open day, on that partition: where a restart must read from. */
    public OptionalLong lowestHeldOffset(int partition) {
        long lowest = Long.MAX_VALUE;
        for (OpenDay day : open.values()) {
            for (AlertTicket alert : day.byTransaction.values()) {
                if (alert.partition() == partition && alert.offset() < lowest) {
                    lowest = alert.offset();
                }
            }
        }
        return lowest == Long.MAX_VALUE ? OptionalLong.empty() : OptionalLong.of(lowest);
    }

    public boolean hasOpenDays() {
        return !open.isEmpty();
    }

    public List<LocalDate> openDays() {
        return open.keySet().stream().map(LocalDate::ofEpochDay).toList();
    }

    /** Cards reviewed on a closed day; 0 for a day not closed. */
    public int reviewedCards(LocalDate day) {
        ClosedDay done = closed.get(day.toEpochDay());
        return done == null ? 0 : done.rankByCard.size();
    }

    public int closedDays() {
        return closed.size();
    }

    public long alertsOffered() {
        return alertsOffered;
    }

    /** Alerts for a transaction already held or labeled (the scorer re-sent it), ignored. */
    public long duplicates() {
        return duplicates;
    }

    public long lateReviewed() {
        return lateReviewed;
    }

    /** Alerts left unreviewed because their day's budget was spent on higher-priority cards. */
    public long neverReviewed() {
        return neverReviewed;
    }

    private List<Review> close(long day) {
        OpenDay held = open.remove(day);
        ClosedDay done = new ClosedDay();
        closed.put(day, done);
        Map<String, List<AlertTicket>> byCard = new LinkedHashMap<>();
        for (AlertTicket alert : held.byTransaction.values()) {
            byCard.computeIfAbsent(alert.cardId(), c -> new ArrayList<>()).add(alert);
        }
        List<Candidate> candidates = new ArrayList<>(byCard.size());
        byCard.forEach((card, alerts) -> {
            alerts.sort(Comparator.comparingLong(AlertTicket::eventTimeMillis).thenComparing(AlertTicket::transactionId));
            boolean exploration = alerts.stream().anyMatch(AlertTicket::exploration);
            double max = alerts.stream().mapToDouble(AlertTicket::score).max().orElse(Double.NaN);
            candidates.add(new Candidate(card, exploration, max, alerts));
        });
        candidates.sort(PRIORITY);
        long dayEnd = (day + 1) * DAY_MILLIS;
        List<Review> reviews = new ArrayList<>();
        int rank = 0;
        for (Candidate card : candidates) {
            if (rank == policy.cardsPerDay()) {
                neverReviewed += card.alerts().size();
                continue;
            }
            rank++;
            done.rankByCard.put(card.cardId(), rank);
            done.maxScoreByCard.put(card.cardId(), card.maxScore());
            for (AlertTicket alert : card.alerts()) {
                done.labeledTransactions.add(alert.transactionId());
                long reviewedAt = policy.clock() == ReviewClock.DAY_CLOSE ? dayEnd : alert.eventTimeMillis();
                reviews.add(new Review(alert, LocalDate.ofEpochDay(day), rank, card.maxScore(),
                        policy.analystForRank(rank), labeledTime(reviewedAt), false));
            }
        }
        return reviews;
    }

    private List<Review> reviewLate(AlertTicket alert, long day, ClosedDay done) {
        if (done.labeledTransactions.contains(alert.transactionId())) {
            duplicates++;
            return List.of();
        }
        Integer rank = done.rankByCard.get(alert.cardId());
        if (rank == null) {
            if (done.rankByCard.size() >= policy.cardsPerDay()) {
                neverReviewed++;
                return List.of();
            }
            rank = done.rankByCard.size() + 1;
            done.rankByCard.put(alert.cardId(), rank);
        }
        double max = done.maxScoreByCard.merge(alert.cardId(), alert.score(), Math::max);
        done.labeledTransactions.add(alert.transactionId());
        lateReviewed++;
        long reviewedAt = policy.clock() == ReviewClock.DAY_CLOSE
                ? Math.max((day + 1) * DAY_MILLIS, watermark)
                : alert.eventTimeMillis();
        return List.of(new Review(alert, LocalDate.ofEpochDay(day), rank, max, policy.analystForRank(rank),
                labeledTime(reviewedAt), true));
    }

    private Instant labeledTime(long reviewedAtMillis) {
        return Instant.ofEpochMilli(reviewedAtMillis + policy.reviewDelay().toMillis());
    }
}
