package dev.vigil.console.queue;

import dev.vigil.schemas.avro.AlertReason;
import dev.vigil.schemas.avro.FraudAlert;
import dev.vigil.schemas.avro.FraudLabel;
import dev.vigil.schemas.avro.FraudScore;
import dev.vigil.schemas.avro.Reason;
import dev.vigil.schemas.stats.NearestRank;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.ToDoubleFunction;

/**
 * What the console knows from the topics, in memory and bounded ({@link Limits}): the alerts of the last
 * {@code days} event-time days (today's review queue), each card's most recent payments (from {@code fraud.scores}),
 * the labels of recent payments (from {@code fraud.labels} and from this console), and today's numbers. "Today" is
 * the event-time day (UTC) of the newest alert seen. Fed by {@link TopicFollower} and by the console's own labels;
 * thread-safe (one lock: every call is short).
 */
public final class ReviewQueue {

    /**
     * How much is kept. Past a bound the oldest is dropped (days, cards, labeled payments) or, for the alerts and
     * cards of one day, new ones are counted but not kept.
     *
     * @param days               event-time days of alerts and daily numbers kept (today and the day before: 2)
     * @param alertsPerDay       alerts kept per day
     * @param cards              cards whose recent payments are kept (least recently seen dropped first)
     * @param paymentsPerCard    recent payments kept per card
     * @param labeledPayments    payments whose labels are kept (oldest dropped first)
     * @param cardsPerDay        cards whose highest score of the day is kept for CP@k
     * @param latencySamples     latency samples kept per day (the most recent)
     */
    public record Limits(int days, int alertsPerDay, int cards, int paymentsPerCard, int labeledPayments,
                         int cardsPerDay, int latencySamples) {
        public Limits {
            if (days < 1 || alertsPerDay < 1 || cards < 1 || paymentsPerCard < 1 || labeledPayments < 1
                    || cardsPerDay < 1 || latencySamples < 1) {
                throw new IllegalArgumentException("every limit must be at least 1: " + this);
            }
        }

        /** About 200 MB at most with every bound reached. */
        public static Limits defaults() {
            return new Limits(2, 100_000, 200_000, 20, 200_000, 500_000, 10_000);
        }
    }

    /** Today's queue: the cards sent to review today, not labeled yet, highest score first. */
    public record View(LocalDate day, int total, List<Payment> cards) {}

    private static final int TOP_REASONS = 3;
    private static final int THROUGHPUT_SECONDS = 10;

    private final Limits limits;
    private final Clock clock;
    private final TreeMap<LocalDate, Day> days = new TreeMap<>();
    private final Map<String, ArrayDeque<Payment>> cardPayments;
    private final Map<String, Payment> paymentsById = new HashMap<>();
    private final Map<String, List<LabelEntry>> labelsByTx;
    private final long[] secondStamp = new long[64];
    private final long[] secondCount = new long[64];
    private LocalDate today;
    private Instant streamTime; // the newest event time read from the scores: the stream's own clock
    private long dropped;

    public ReviewQueue(Limits limits, Clock clock) {
        this.limits = limits;
        this.clock = clock;
        this.cardPayments = new LinkedHashMap<>(1024, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, ArrayDeque<Payment>> eldest) {
                if (size() <= limits.cards()) {
                    return false;
                }
                eldest.getValue().forEach(p -> paymentsById.remove(p.transactionId(), p));
                return true;
            }
        };
        this.labelsByTx = new LinkedHashMap<>(1024, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, List<LabelEntry>> eldest) {
                return size() > limits.labeledPayments();
            }
        };
    }

    public ReviewQueue() {
        this(Limits.defaults(), Clock.systemUTC());
    }

    private final class Day {
        final Map<String, Payment> alerts = new HashMap<>();
        final Map<String, Payment> topAlertByCard = new HashMap<>();
        final Set<String> labeledCards = new HashSet<>();
        final Map<String, Double> maxScoreByCard = new HashMap<>();
        final long[] latencies = new long[limits.latencySamples()];
        int latencyCount;
    }

    // ---------------------------------------------------------------- input

    public synchronized void onAlert(FraudAlert a) {
        Payment p = new Payment(a.getTransactionId(), a.getCardId(), a.getMerchantId(), a.getEventTime(),
                a.getAmountMinor(), a.getCurrency(), a.getScore(), a.getDecision(), a.getReviewProbability(),
                a.getAdapterVersion(), topReasons(a.getReasons(), AlertReason::getFeature,
                AlertReason::getContribution));
        Day day = day(dayOf(p.eventTime()), true);
        if (day == null) {
            return;
        }
        if (!day.alerts.containsKey(p.transactionId())) {
            if (day.alerts.size() >= limits.alertsPerDay()) {
                dropped++;
                return;
            }
            day.alerts.put(p.transactionId(), p);
        }
        day.topAlertByCard.merge(p.cardId(), p, (old, now) -> now.score() > old.score() ? now : old);
    }

    public synchronized void onScore(FraudScore s) {
        if (streamTime == null || s.getEventTime().isAfter(streamTime)) {
            streamTime = s.getEventTime();
        }
        boolean reviewed = !"pass".equals(s.getDecision());
        Payment p = new Payment(s.getTransactionId(), s.getCardId(), s.getMerchantId(), s.getEventTime(),
                s.getAmountMinor(), s.getCurrency(), s.getScore(), s.getDecision(), s.getReviewProbability(),
                s.getAdapterVersion(), reviewed ? topReasons(s.getReasons(), Reason::getFeature,
                Reason::getContribution) : List.of());
        if (paymentsById.containsKey(p.transactionId())) {
            return; // read again (a restart of the follower, a duplicate): counted once
        }
        ArrayDeque<Payment> recent = cardPayments.computeIfAbsent(p.cardId(), c -> new ArrayDeque<>());
        recent.addFirst(p);
        paymentsById.put(p.transactionId(), p);
        while (recent.size() > limits.paymentsPerCard()) {
            Payment old = recent.removeLast();
            paymentsById.remove(old.transactionId(), old);
        }
        Day day = day(dayOf(p.eventTime()), false);
        if (day != null) {
            if (day.maxScoreByCard.size() < limits.cardsPerDay() || day.maxScoreByCard.containsKey(p.cardId())) {
                day.maxScoreByCard.merge(p.cardId(), p.score(), Math::max);
            }
            long latency = s.getScoredTime().toEpochMilli() - s.getArrivalTime().toEpochMilli();
            day.latencies[day.latencyCount++ % day.latencies.length] = Math.max(0, latency);
        }
        long second = s.getScoredTime().getEpochSecond();
        int slot = (int) Math.floorMod(second, (long) secondStamp.length);
        if (secondStamp[slot] != second) {
            secondStamp[slot] = second;
            secondCount[slot] = 0;
        }
        secondCount[slot]++;
    }

    /** A label from the topic (or one this console just published). */
    public synchronized void onLabel(FraudLabel l) {
        addLabel(new LabelEntry(l.getTransactionId(), l.getCardId(), l.getIsFraud() ? "fraud" : "genuine",
                l.getLabeledBy(), l.getLabeledTime(), l.getNote(), l.getSource().name(), l.getTransactionTime()));
    }

    /** A label given in this console: fraud and genuine take the card out of the queue at once; unsure does not. */
    public synchronized void addLabel(LabelEntry label) {
        List<LabelEntry> labels = labelsByTx.computeIfAbsent(label.transactionId(), t -> new ArrayList<>(1));
        if (labels.contains(label)) {
            return; // our own label, read back from the topic
        }
        if (labels.size() >= 50) {
            labels.remove(0);
        }
        labels.add(label);
        if (!label.learnable()) {
            return;
        }
        Payment p = find(label.transactionId()).orElse(null);
        Instant when = label.transactionTime() != null ? label.transactionTime() : p == null ? null : p.eventTime();
        if (when != null) {
            Day day = day(dayOf(when), false); // created if absent: labels are often read before that day's alerts
            if (day != null) {
                // the card as the scorer named it (its token when card ids are tokenized), whatever the label says: an
                // issuer's chargeback may name the card in clear
                day.labeledCards.add(p != null ? p.cardId() : label.cardId());
            }
        }
    }

    // ---------------------------------------------------------------- reads

    public synchronized View queue(int limit) {
        Day day = today == null ? null : days.get(today);
        if (day == null) {
            return new View(today, 0, List.of());
        }
        List<Payment> open = day.topAlertByCard.values().stream()
                .filter(p -> !day.labeledCards.contains(p.cardId()))
                .sorted(Comparator.comparingDouble(Payment::score).reversed()
                        .thenComparing(Payment::eventTime).thenComparing(Payment::transactionId))
                .toList();
        return new View(today, open.size(), open.subList(0, Math.min(limit, open.size())));
    }

    /** A payment the console has read: an alert of the last days, else one of a card's recent payments. */
    public synchronized Optional<Payment> find(String transactionId) {
        for (Day day : days.descendingMap().values()) {
            Payment p = day.alerts.get(transactionId);
            if (p != null) {
                return Optional.of(p);
            }
        }
        return Optional.ofNullable(paymentsById.get(transactionId));
    }

    /** The card's recent payments, newest first. */
    public synchronized List<Payment> cardPayments(String cardId) {
        ArrayDeque<Payment> recent = cardPayments.get(cardId);
        return recent == null ? List.of() : List.copyOf(recent);
    }

    /** The payment's labels, in the order they arrived. */
    public synchronized List<LabelEntry> labels(String transactionId) {
        List<LabelEntry> labels = labelsByTx.get(transactionId);
        return labels == null ? List.of() : List.copyOf(labels);
    }

    /** The latest fraud or genuine label of the payment (by labeled time: the later label wins). */
    public synchronized Optional<LabelEntry> latestLabel(String transactionId) {
        return labels(transactionId).stream().filter(LabelEntry::learnable)
                .max(Comparator.comparing(LabelEntry::labeledTime));
    }

    /** The newest payment time the scores have shown, the stream's clock (empty before the first score). */
    public synchronized Optional<Instant> streamTime() {
        return Optional.ofNullable(streamTime);
    }

    public synchronized Optional<LocalDate> today() {
        return Optional.ofNullable(today);
    }

    /** Alerts not kept because a day's bound was reached. */
    public synchronized long dropped() {
        return dropped;
    }

    public synchronized TodayStats stats(int k) {
        LocalDate d = today != null ? today : days.isEmpty() ? null : days.lastKey();
        Day day = d == null ? null : days.get(d);
        double tps = throughput();
        if (day == null) {
            return new TodayStats(d, Double.NaN, k, 0, tps, Double.NaN, Double.NaN);
        }
        List<String> top = day.maxScoreByCard.entrySet().stream()
                .sorted(Map.Entry.<String, Double>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .limit(k).map(Map.Entry::getKey).toList();
        int labeled = 0;
        int frauds = 0;
        for (String card : top) {
            boolean any = false;
            boolean fraud = false;
            for (Payment p : cardPayments.getOrDefault(card, new ArrayDeque<>())) {
                if (!dayOf(p.eventTime()).equals(d)) {
                    continue;
                }
                Optional<LabelEntry> latest = latestLabel(p.transactionId());
                any |= latest.isPresent();
                fraud |= latest.map(l -> "fraud".equals(l.verdict())).orElse(false);
            }
            labeled += any ? 1 : 0;
            frauds += fraud ? 1 : 0;
        }
        int n = Math.min(day.latencyCount, day.latencies.length);
        double p50 = Double.NaN;
        double p99 = Double.NaN;
        if (n > 0) {
            long[] sorted = java.util.Arrays.copyOf(day.latencies, n);
            java.util.Arrays.sort(sorted);
            p50 = NearestRank.quantile(sorted, 0.50);
            p99 = NearestRank.quantile(sorted, 0.99);
        }
        return new TodayStats(d, top.isEmpty() ? Double.NaN : (double) frauds / k, k, labeled, tps, p50, p99);
    }

    // ---------------------------------------------------------------- plumbing

    private double throughput() {
        long now = clock.instant().getEpochSecond();
        long total = 0;
        for (int i = 0; i < secondStamp.length; i++) {
            if (secondStamp[i] < now && secondStamp[i] >= now - THROUGHPUT_SECONDS) {
                total += secondCount[i];
            }
        }
        return (double) total / THROUGHPUT_SECONDS;
    }

    /**
     * The day's state; an alert's day may become today. Null for a day older than the ones kept (the newest
     * {@code days} event days seen, alerts' or scores').
     */
    private Day day(LocalDate date, boolean alert) {
        if (alert && (today == null || date.isAfter(today))) {
            today = date;
        }
        LocalDate newest = days.isEmpty() || date.isAfter(days.lastKey()) ? date : days.lastKey();
        if (today != null && today.isAfter(newest)) {
            newest = today;
        }
        LocalDate oldest = newest.minusDays(limits.days() - 1L);
        if (date.isBefore(oldest)) {
            return null;
        }
        Day day = days.computeIfAbsent(date, x -> new Day());
        while (days.firstKey().isBefore(oldest)) {
            days.pollFirstEntry();
        }
        return day;
    }

    static LocalDate dayOf(Instant t) {
        return LocalDate.ofInstant(t, ZoneOffset.UTC);
    }

    private static <R> List<String> topReasons(List<R> reasons, java.util.function.Function<R, CharSequence> feature,
            ToDoubleFunction<R> contribution) {
        List<R> sorted = new ArrayList<>(reasons);
        sorted.sort(Comparator.comparingDouble(contribution).reversed());
        List<String> out = new ArrayList<>(TOP_REASONS);
        for (Iterator<R> it = sorted.iterator(); it.hasNext() && out.size() < TOP_REASONS; ) {
            R r = it.next();
            if (contribution.applyAsDouble(r) <= 0) {
                break; // sorted: the rest lowered the score, and a reason to review is what raised it
            }
            out.add(String.format(Locale.ROOT, "%s (%+.3f)", feature.apply(r), contribution.applyAsDouble(r)));
        }
        return out;
    }
}
