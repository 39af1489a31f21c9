package dev.vigil.streams.scoring;

import dev.vigil.streams.scoring.DecisionPolicy.Decision;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * One scorer task's share of the analysts' daily budget ({@link DecisionPolicy}): the review band's threshold and the
 * exploration probability, both following the stream online.
 *
 * <p>The task counts the scores of the last 24 hours of event time in {@value #BINS} bins over the logit range
 * [{@value #LOGIT_MIN}, {@value #LOGIT_MAX}], one histogram per hour (the oldest hour is dropped as a new one starts).
 * A whole day, not a decayed one: scores follow the time of day, and a window that favoured the last hours would set
 * the band by them. From the window the task knows, without a sort:
 * <ul>
 *   <li>its payments a day, {@code V}: the window's count over the event time it covers;</li>
 *   <li>the score above which {@code (1 - share) * k / partitions * }{@value #QUEUE_SLACK}{@code  * r} payments a day
 *       fall: the band's threshold (linear within a bin; never above the alert threshold). The budget is in cards and a
 *       risky card often pays more than once a day, so {@code r} is the payments per distinct card among those the
 *       band and the alerts sent the day before (1 until a day has been seen). The band sends a quarter more cards
 *       than the budget ({@link #QUEUE_SLACK}): the analysts review the top {@code k} of what is sent, so the extra
 *       cards cost a longer queue, not reviews, and they fill the budget on a day that is riskier or quieter than the
 *       window says;</li>
 *   <li>the exploration probability {@code share * k / partitions / V}.</li>
 * </ul>
 * Cards are hashed to partitions, so each task sees about {@code 1 / partitions} of the payments and reviews that share
 * of the budget. Both numbers are computed once per batch, from the payments before it, then the batch's scores are
 * added: the same stream in the same order gives the same decisions. The processor writes the state ({@link #toBytes}:
 * the bins that hold a count) to its changelogged store every {@value #SAVE_EVERY} payments, in the transaction of the
 * batch, so a restart or a move to another instance continues from nearly the same numbers (the window misses at most
 * those payments). A payment older than the window is decided but not counted.
 *
 * <p>Until the task has seen {@link #WARM_UP_MILLIS} of event time and {@value #WARM_UP_PAYMENTS} payments, the band
 * is the alert threshold and nothing is explored: the rate is not known yet.
 */
public final class ReviewBudget {

    static final int BINS = 1024;
    static final double LOGIT_MIN = -16;
    static final double LOGIT_MAX = 16;
    static final double BIN_WIDTH = (LOGIT_MAX - LOGIT_MIN) / BINS;
    static final long HOUR_MILLIS = 3_600_000L;
    static final long DAY_MILLIS = 24 * HOUR_MILLIS;
    static final int HOURS = 24;
    static final long WARM_UP_MILLIS = HOUR_MILLIS;
    static final int WARM_UP_PAYMENTS = 100;
    /**
     * The band aims at this many times the budget's cards. Aimed at exactly the budget, the analysts reviewed 67-100
     * cards of 100 a day in {@code ./vigil bench feedback} and 81-100 in the demo: a day's risky payments differ from
     * the last 24 hours' and from the day before's payments per card. Sent a quarter more, they review their top k.
     */
    static final double QUEUE_SLACK = 1.25;
    /** Payments between two saves of the state (a restart loses at most these from the window). */
    static final int SAVE_EVERY = 2_000;
    private static final byte FORMAT = 3;
    private static final int HEADER = 1 + 4 + 3 * Long.BYTES + Double.BYTES + 4;

    private final DecisionPolicy policy;
    private final double cardsPerDay; // this task's share of the budget
    /** Per hour of the window (slot = hour % 24): the counts per bin, and which hour the slot holds (-1: none). */
    private final int[][] hourly = new int[HOURS][];
    private final long[] slotHour = new long[HOURS];
    /** The sum of the hourly counts. */
    private final long[] window = new long[BINS];
    private long windowCount;
    private long first = Long.MAX_VALUE;
    private long latest = Long.MIN_VALUE;
    private long seen;
    private long savedAt = -1;
    private double threshold;
    private double exploreProbability;
    /** Payments sent per distinct card sent, as measured on the last whole day (1 until then). */
    private double paymentsPerCard = 1;
    /** The day being measured: its UTC day, payments sent by risk, and the distinct cards among them. */
    private long sentDay = Long.MIN_VALUE;
    private long sentToday;
    private final java.util.Set<String> cardsToday = new java.util.HashSet<>();

    /** @param partitions the input topic's partitions (the task's share of the budget is {@code 1 / partitions}) */
    public ReviewBudget(DecisionPolicy policy, int partitions) {
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions must be at least 1: " + partitions);
        }
        this.policy = policy;
        this.cardsPerDay = (double) policy.reviewCardsPerDay() / partitions;
        java.util.Arrays.fill(slotHour, -1);
        recompute();
    }

    /**
     * Decides a batch with the band and exploration probability of the moment, then counts its scores.
     *
     * @param cardIds     each payment's card
     * @param eventMillis each payment's event time
     */
    public Decision[] decide(List<String> transactionIds, List<String> cardIds, long[] eventMillis, float[] scores) {
        int n = transactionIds.size();
        Decision[] decisions = new Decision[n];
        for (int i = 0; i < n; i++) {
            decisions[i] = policy.decide(transactionIds.get(i), scores[i], threshold, exploreProbability);
        }
        for (int i = 0; i < n; i++) {
            observe(eventMillis[i], scores[i]);
            String name = decisions[i].name();
            if (DecisionPolicy.ALERT.equals(name) || DecisionPolicy.REVIEW.equals(name)) {
                countSent(cardIds.get(i));
            }
        }
        recompute();
        return decisions;
    }

    /** The review band's lower edge now (the alert threshold while warming up or with no budget). */
    public double reviewThreshold() {
        return threshold;
    }

    /** The exploration probability now. */
    public double exploreProbability() {
        return exploreProbability;
    }

    /** This task's payments a day as estimated now; NaN while warming up. */
    public double paymentsPerDay() {
        if (!warm()) {
            return Double.NaN;
        }
        long windowStart = (Math.floorDiv(latest, HOUR_MILLIS) - (HOURS - 1)) * HOUR_MILLIS;
        long covered = latest - Math.max(first, windowStart);
        return windowCount * (double) DAY_MILLIS / Math.max(covered, 1);
    }

    /** Counts a payment sent by risk on the latest day; at a new day, the last one's payments per card are kept. */
    private void countSent(String cardId) {
        long day = Math.floorDiv(latest, DAY_MILLIS);
        if (day != sentDay) {
            if (sentDay != Long.MIN_VALUE && day == sentDay + 1 && !cardsToday.isEmpty()) {
                paymentsPerCard = (double) sentToday / cardsToday.size();
            }
            sentDay = day;
            sentToday = 0;
            cardsToday.clear();
        }
        sentToday++;
        cardsToday.add(cardId);
    }

    /** Payments per distinct card among those sent by risk on the last whole day (1 until one has been seen). */
    public double paymentsPerCard() {
        return paymentsPerCard;
    }

    private void observe(long eventMillis, double score) {
        long hour = Math.floorDiv(eventMillis, HOUR_MILLIS);
        if (latest != Long.MIN_VALUE && hour <= Math.floorDiv(latest, HOUR_MILLIS) - HOURS) {
            return; // older than the window
        }
        int slot = (int) Math.floorMod(hour, (long) HOURS);
        if (slotHour[slot] != hour) {
            if (slotHour[slot] > hour) {
                return; // its slot already holds a later hour: older than the window
            }
            drop(slot);
            slotHour[slot] = hour;
            hourly[slot] = new int[BINS];
        }
        int bin = bin(score);
        hourly[slot][bin]++;
        window[bin]++;
        windowCount++;
        first = Math.min(first, eventMillis);
        if (eventMillis > latest) {
            latest = eventMillis;
            dropOlderThan(hour - HOURS);
        }
        seen++;
    }

    /** Drops the slots holding an hour at or before {@code hour}. */
    private void dropOlderThan(long hour) {
        for (int slot = 0; slot < HOURS; slot++) {
            if (slotHour[slot] >= 0 && slotHour[slot] <= hour) {
                drop(slot);
            }
        }
    }

    private void drop(int slot) {
        if (hourly[slot] != null) {
            int[] counts = hourly[slot];
            for (int b = 0; b < BINS; b++) {
                window[b] -= counts[b];
                windowCount -= counts[b];
            }
        }
        hourly[slot] = null;
        slotHour[slot] = -1;
    }

    private boolean warm() {
        return seen >= WARM_UP_PAYMENTS && latest - first >= WARM_UP_MILLIS;
    }

    private void recompute() {
        if (cardsPerDay <= 0 || !warm() || windowCount == 0) {
            threshold = policy.alertThreshold();
            exploreProbability = 0;
            return;
        }
        double perDay = paymentsPerDay();
        double share = policy.exploreShare();
        exploreProbability = Math.min(1.0, share * cardsPerDay / perDay);
        double tailFraction = (1 - share) * cardsPerDay * QUEUE_SLACK * paymentsPerCard / perDay;
        threshold = Math.min(policy.alertThreshold(), quantileAbove(tailFraction));
    }

    /** The score above which {@code fraction} of the window's payments lie (linear within a bin). */
    private double quantileAbove(double fraction) {
        if (fraction >= 1) {
            return 0;
        }
        double target = fraction * windowCount;
        double above = 0;
        for (int b = BINS - 1; b >= 0; b--) {
            if (above + window[b] >= target) {
                double inside = window[b] > 0 ? (target - above) / window[b] : 0; // share of this bin taken, from the top
                return sigmoid(LOGIT_MIN + (b + 1 - inside) * BIN_WIDTH);
            }
            above += window[b];
        }
        return 0;
    }

    static int bin(double score) {
        double p = Math.min(Math.max(score, 1e-12), 1 - 1e-12);
        double logit = Math.log(p / (1 - p));
        int b = (int) Math.floor((logit - LOGIT_MIN) / BIN_WIDTH);
        return Math.min(BINS - 1, Math.max(0, b));
    }

    private static double sigmoid(double logit) {
        return 1 / (1 + Math.exp(-logit));
    }

    /** Whether {@value #SAVE_EVERY} payments have been counted since the state was last saved ({@link #toBytes}). */
    public boolean dueForSave() {
        return savedAt < 0 || seen - savedAt >= SAVE_EVERY;
    }

    /** The state, for the processor's changelogged store: per hour of the window, the bins that hold a count. */
    public byte[] toBytes() {
        int size = HEADER;
        for (int slot = 0; slot < HOURS; slot++) {
            if (hourly[slot] != null) {
                size += Long.BYTES + Integer.BYTES;
                for (int c : hourly[slot]) {
                    size += c > 0 ? Short.BYTES + Integer.BYTES : 0;
                }
            }
        }
        ByteBuffer b = ByteBuffer.allocate(size);
        int hours = 0;
        for (int[] h : hourly) {
            hours += h != null ? 1 : 0;
        }
        b.put(FORMAT).putInt(BINS).putLong(first).putLong(latest).putLong(seen).putDouble(paymentsPerCard)
                .putInt(hours);
        for (int slot = 0; slot < HOURS; slot++) {
            if (hourly[slot] == null) {
                continue;
            }
            int used = 0;
            for (int c : hourly[slot]) {
                used += c > 0 ? 1 : 0;
            }
            b.putLong(slotHour[slot]).putInt(used);
            for (int bin = 0; bin < BINS; bin++) {
                if (hourly[slot][bin] > 0) {
                    b.putShort((short) bin).putInt(hourly[slot][bin]);
                }
            }
        }
        savedAt = seen;
        return b.array();
    }

    /**
     * The budget as {@link #toBytes} left it, with this policy and partitions; a fresh one (warming up again) when the
     * bytes are not a state of this format.
     */
    public static ReviewBudget restore(DecisionPolicy policy, int partitions, byte[] bytes) {
        ReviewBudget fresh = new ReviewBudget(policy, partitions);
        if (bytes == null || bytes.length < HEADER) {
            return fresh;
        }
        try {
            ByteBuffer b = ByteBuffer.wrap(bytes);
            if (b.get() != FORMAT || b.getInt() != BINS) {
                return fresh;
            }
            ReviewBudget budget = new ReviewBudget(policy, partitions);
            budget.first = b.getLong();
            budget.latest = b.getLong();
            budget.seen = b.getLong();
            double perCard = b.getDouble();
            if (!(perCard >= 1) || Double.isInfinite(perCard)) {
                return fresh;
            }
            budget.paymentsPerCard = perCard;
            int hours = b.getInt();
            if (hours < 0 || hours > HOURS) {
                return fresh;
            }
            for (int i = 0; i < hours; i++) {
                long hour = b.getLong();
                int used = b.getInt();
                int slot = (int) Math.floorMod(hour, (long) HOURS);
                if (hour < 0 || used < 0 || used > BINS || budget.hourly[slot] != null) {
                    return fresh;
                }
                budget.hourly[slot] = new int[BINS];
                budget.slotHour[slot] = hour;
                for (int j = 0; j < used; j++) {
                    int bin = b.getShort();
                    int count = b.getInt();
                    if (bin < 0 || bin >= BINS || count <= 0) {
                        return fresh;
                    }
                    budget.hourly[slot][bin] = count;
                    budget.window[bin] += count;
                    budget.windowCount += count;
                }
            }
            if (b.hasRemaining()) {
                return fresh;
            }
            budget.savedAt = budget.seen;
            budget.recompute();
            return budget;
        } catch (java.nio.BufferUnderflowException e) {
            return fresh;
        }
    }

    @Override
    public String toString() {
        double perDay = paymentsPerDay();
        return String.format(java.util.Locale.ROOT, "review band from %.6f, explore p %.3g, %s, %.2f per card sent "
                + "(%,d seen)", threshold, exploreProbability, Double.isNaN(perDay) ? "no payments a day counted yet"
                : String.format(java.util.Locale.ROOT, "%.0f payments a day", perDay), paymentsPerCard, seen);
    }
}
