package dev.vigil.model.features;

import static dev.vigil.model.features.FeatureSpec.*;

import dev.vigil.model.context.MerchantContext;
import dev.vigil.model.context.SimilarCases;
import java.util.Arrays;

/**
 * Feature encoding: the one implementation that the trainer and the streams app both call. A payment, its card's
 * state before it, and the retrieved context become the network's inputs ({@link ModelInputs}); every feature is
 * defined in model/FEATURES.md and named in {@link FeatureSpec}.
 *
 * <p><b>Point in time by construction.</b> The features of a payment at t read only card entries with event time
 * &lt; t, whatever the state holds (so a state that already holds later payments, or the payment itself, changes
 * nothing), and only context answered "as of t" by a {@link dev.vigil.model.context.ContextSource}.
 *
 * <p><b>Deterministic.</b> The same inputs give the same floats, bit for bit, on any JVM: transcendental functions
 * come from {@link StrictMath} or tables filled with it, sums run in a fixed order, and every value a feature reads
 * from the state is already in the state's own (float) precision, so a state decoded from RocksDB gives what the
 * trainer's in-memory state gives.
 *
 * <p><b>Bounded.</b> Every feature is a log, a ratio, a flag or a sin/cos, clipped to a few units; no input is NaN or
 * infinite, whatever is missing.
 *
 * <p>Thread-safe (stateless apart from the spec).
 */
public final class FeatureEncoder {

    static final long HOUR_MILLIS = 3_600_000L;
    static final long DAY_MILLIS = 24 * HOUR_MILLIS;
    private static final double LOG_30_DAYS_SECONDS = StrictMath.log1p(30 * 86_400.0);
    private static final double LOG_30_DAYS_HOURS = StrictMath.log1p(30 * 24.0);
    private static final long[] CARD_WINDOWS = {HOUR_MILLIS, DAY_MILLIS, 7 * DAY_MILLIS, 30 * DAY_MILLIS};
    private static final int CARD_PRESENT = PaymentChannel.CARD_PRESENT.ordinal();
    private static final int ONLINE = PaymentChannel.ONLINE.ordinal();

    private final FeatureSpec spec;
    private final int seqLen;
    private final int fs;
    private final int fd;
    private final int[] caseFrom;
    private final double[] caseCenter;
    private final double[] caseScale;

    /** An encoder for a spec; only the spec this code defines is accepted ({@link FeatureSpec#requireSupported()}). */
    public FeatureEncoder(FeatureSpec spec) {
        this.spec = spec.requireSupported();
        this.seqLen = spec.seqLen();
        this.fs = spec.seqFeatureCount();
        this.fd = spec.denseFeatureCount();
        int dim = spec.caseVectorDimension();
        caseFrom = new int[dim];
        caseCenter = new double[dim];
        caseScale = new double[dim];
        for (int i = 0; i < dim; i++) {
            FeatureSpec.CaseDimension d = spec.caseVector().get(i);
            caseFrom[i] = spec.denseFeatures().indexOf(d.from());
            caseCenter[i] = d.center();
            caseScale[i] = d.scale();
        }
    }

    /** The encoder of {@link FeatureSpec#standard()} (L = 16). */
    public static FeatureEncoder standard() {
        return new FeatureEncoder(FeatureSpec.standard());
    }

    public FeatureSpec spec() {
        return spec;
    }

    /** A card's state before its first payment, sized for this spec. */
    public CardHistory emptyHistory() {
        return CardHistory.empty(spec);
    }

    /** All of a payment's inputs: {@link #cardFeatures} then {@link #encode(CardFeatures, MerchantContext, SimilarCases)}. */
    public ModelInputs encode(Payment current, CardHistory before, MerchantContext merchant, SimilarCases similar) {
        return encode(cardFeatures(current, before), merchant, similar);
    }

    /** The case vector alone (the similar-case search's query, and what is stored with the case). */
    public float[] caseVector(Payment current, CardHistory before) {
        return cardFeatures(current, before).caseVector();
    }

    /** Completes card features with the retrieved context. MISSING context gives zeros and sets its flag. */
    public ModelInputs encode(CardFeatures card, MerchantContext merchant, SimilarCases similar) {
        float[] dense = card.dense().clone();
        writeContext(dense, merchant, similar);
        return new ModelInputs(card.seq(), card.seqMask(), dense);
    }

    /** Like {@link #encode(CardFeatures, MerchantContext, SimilarCases)}, straight into row {@code row} of a batch. */
    public void encodeInto(CardFeatures card, MerchantContext merchant, SimilarCases similar, int row,
                           float[] batchSeq, float[] batchMask, float[] batchDense) {
        System.arraycopy(card.seq(), 0, batchSeq, row * seqLen * fs, seqLen * fs);
        System.arraycopy(card.seqMask(), 0, batchMask, row * seqLen, seqLen);
        float[] dense = card.dense().clone();
        writeContext(dense, merchant, similar);
        System.arraycopy(dense, 0, batchDense, row * fd, fd);
    }

    /** What is known without retrieval: the sequence, the card and payment features, the case vector. */
    public CardFeatures cardFeatures(Payment current, CardHistory before) {
        long t = current.eventMillis();
        int pastCount = before.recentBefore(t);
        int shown = Math.min(pastCount, seqLen - 1);
        int first = pastCount - shown; // recent index of the oldest payment shown
        int windowEnd = before.windowBefore(t);
        int window30 = before.windowAtMost(t - 30 * DAY_MILLIS);

        float amount = (float) current.amountMajor();
        double logAmount = StrictMath.log1p(amount);
        double usual = Double.NaN; // mean ln(1 + amount) of the card's usual payments
        if (windowEnd > window30) {
            double sum = 0;
            for (int i = window30; i < windowEnd; i++) {
                sum += StrictMath.log1p(before.windowAmount[i]);
            }
            usual = sum / (windowEnd - window30);
        } else if (shown > 0) {
            double sum = 0;
            for (int r = first; r < pastCount; r++) {
                sum += StrictMath.log1p(before.recentAmount[r]);
            }
            usual = sum / shown;
        }

        // The card's usual location: the median of the shown past payments' locations (robust to a few odd ones).
        double usualLat = Double.NaN;
        double usualLon = Double.NaN;
        float[] lats = new float[shown];
        float[] lons = new float[shown];
        int located = 0;
        for (int r = first; r < pastCount; r++) {
            if (!Float.isNaN(before.recentLat[r])) {
                lats[located] = before.recentLat[r];
                lons[located] = before.recentLon[r];
                located++;
            }
        }
        if (located > 0) {
            usualLat = median(lats, located);
            usualLon = median(lons, located);
        }

        int merchant = StableHash.of(current.merchantId());
        int category = StableHash.of(current.merchantCategory());
        int country = StableHash.of(current.country());
        int device = StableHash.of(current.deviceId());
        float lat = current.hasLocation() ? (float) (double) current.lat() : Float.NaN;
        float lon = current.hasLocation() ? (float) (double) current.lon() : Float.NaN;
        int channel = current.channelKind().ordinal();

        float[] seq = new float[seqLen * fs];
        float[] mask = new float[seqLen];
        int pad = seqLen - 1 - shown;
        for (int k = 0; k < shown; k++) {
            int r = first + k;
            long time = before.recentTime[r];
            long previous = r > 0 ? before.recentTime[r - 1] : previousInWindow(before, time);
            int d = before.recentDevice[r];
            boolean deviceNew = d != StableHash.ABSENT && before.deviceFirstUseBefore(d, t) == time;
            position(seq, (pad + k) * fs, t, time, previous, before.recentAmount[r], usual, before.recentChannel[r],
                    before.recentMerchant[r] == merchant, d != StableHash.ABSENT, deviceNew,
                    before.recentLat[r], before.recentLon[r], usualLat, usualLon, before.recentCategory[r], false);
            mask[pad + k] = 1f;
        }
        long previous = pastCount > 0 ? before.recentTime[pastCount - 1] : Long.MIN_VALUE;
        boolean deviceNew = device != StableHash.ABSENT && before.deviceFirstUseBefore(device, t) == Long.MAX_VALUE;
        position(seq, (seqLen - 1) * fs, t, t, previous, amount, usual, channel, true, device != StableHash.ABSENT,
                deviceNew, lat, lon, usualLat, usualLon, category, true);
        mask[seqLen - 1] = 1f;

        float[] dense = new float[fd];
        // the card's aggregates over (t - w, t)
        double[] counts = new double[CARD_WINDOWS.length];
        double[] sums = new double[CARD_WINDOWS.length];
        double max30 = -1;
        for (int w = 0; w < CARD_WINDOWS.length; w++) {
            int from = before.windowAtMost(t - CARD_WINDOWS[w]);
            counts[w] = windowEnd - from;
            double sum = 0;
            for (int i = from; i < windowEnd; i++) {
                sum += before.windowAmount[i];
                if (w == 3) {
                    max30 = Math.max(max30, before.windowAmount[i]);
                }
            }
            sums[w] = sum;
        }
        dense[D_CARD_COUNT_1H] = count(counts[0], 3);
        dense[D_CARD_COUNT_1D] = count(counts[1], 3);
        dense[D_CARD_COUNT_7D] = count(counts[2], 3);
        dense[D_CARD_COUNT_30D] = count(counts[3], 3);
        dense[D_CARD_AMOUNT_1D] = count(sums[1], 4);
        dense[D_CARD_AMOUNT_7D] = count(sums[2], 4);
        dense[D_CARD_AMOUNT_30D] = count(sums[3], 4);
        dense[D_HOURS_SINCE_LAST] = previous == Long.MIN_VALUE ? 1f
                : (float) Math.min(1.0, StrictMath.log1p((t - previous) / (double) HOUR_MILLIS) / LOG_30_DAYS_HOURS);
        dense[D_NO_HISTORY] = pastCount == 0 ? 1f : 0f;
        dense[D_AMOUNT_VS_USUAL] = amountVs(logAmount, usual);
        dense[D_AMOUNT_VS_MAX_30D] = max30 < 0 ? 0f : amountVs(logAmount, StrictMath.log1p(max30));

        int at = (seqLen - 1) * fs; // the current payment's position
        dense[D_LOG_AMOUNT] = seq[at + S_LOG_AMOUNT];
        dense[D_AMOUNT_WHOLE] = current.wholeAmount() ? 1f : 0f;
        dense[D_HOUR_SIN] = seq[at + S_HOUR_SIN];
        dense[D_HOUR_COS] = seq[at + S_HOUR_COS];
        dense[D_DOW_SIN] = seq[at + S_DOW_SIN];
        dense[D_DOW_COS] = seq[at + S_DOW_COS];
        dense[D_ONLINE] = seq[at + S_ONLINE];
        dense[D_CARD_PRESENT] = seq[at + S_CARD_PRESENT];
        dense[D_HAS_DEVICE] = seq[at + S_HAS_DEVICE];
        dense[D_DEVICE_NEW] = seq[at + S_DEVICE_NEW];
        dense[D_DISTANCE] = seq[at + S_DISTANCE];
        dense[D_DISTANCE_UNKNOWN] = seq[at + S_DISTANCE_UNKNOWN];
        boolean merchantSeen = false;
        boolean categorySeen = false;
        boolean countrySeen = false;
        for (int r = first; r < pastCount; r++) {
            merchantSeen |= before.recentMerchant[r] == merchant;
            categorySeen |= before.recentCategory[r] == category;
            countrySeen |= before.recentCountry[r] == country;
        }
        dense[D_MERCHANT_NEW] = merchantSeen ? 0f : 1f;
        dense[D_CATEGORY_NEW] = category != StableHash.ABSENT && !categorySeen ? 1f : 0f;
        dense[D_COUNTRY_NEW] = country != StableHash.ABSENT && !countrySeen ? 1f : 0f;

        float[] caseVector = new float[caseFrom.length];
        for (int i = 0; i < caseFrom.length; i++) {
            caseVector[i] = clip((dense[caseFrom[i]] - caseCenter[i]) / caseScale[i], -3, 3);
        }
        return new CardFeatures(seq, mask, dense, caseVector);
    }

    private void position(float[] seq, int at, long now, long time, long previous, float amount, double usual,
                          int channel, boolean sameMerchant, boolean hasDevice, boolean deviceNew, float lat, float lon,
                          double usualLat, double usualLon, int category, boolean isCurrent) {
        double logAmount = StrictMath.log1p(amount);
        seq[at + S_LOG_AMOUNT] = logAmount(logAmount);
        seq[at + S_AMOUNT_VS_USUAL] = amountVs(logAmount, usual);
        seq[at + S_GAP_TO_PREVIOUS] = previous == Long.MIN_VALUE ? 1f
                : (float) Math.min(1.0, StrictMath.log1p((time - previous) / 1000.0) / LOG_30_DAYS_SECONDS);
        seq[at + S_HOURS_BEFORE_CURRENT] =
                (float) Math.min(1.5, StrictMath.log1p((now - time) / (double) HOUR_MILLIS) / LOG_30_DAYS_HOURS);
        long local = DayCycle.localMillis(time, lon);
        seq[at + S_HOUR_SIN] = DayCycle.hourSin(local);
        seq[at + S_HOUR_COS] = DayCycle.hourCos(local);
        seq[at + S_DOW_SIN] = DayCycle.dowSin(local);
        seq[at + S_DOW_COS] = DayCycle.dowCos(local);
        seq[at + S_ONLINE] = channel == ONLINE ? 1f : 0f;
        seq[at + S_CARD_PRESENT] = channel == CARD_PRESENT ? 1f : 0f;
        seq[at + S_SAME_MERCHANT] = sameMerchant ? 1f : 0f;
        seq[at + S_HAS_DEVICE] = hasDevice ? 1f : 0f;
        seq[at + S_DEVICE_NEW] = deviceNew ? 1f : 0f;
        boolean distanceKnown = !Float.isNaN(lat) && !Double.isNaN(usualLat);
        seq[at + S_DISTANCE] = distanceKnown ? distance(lat, lon, usualLat, usualLon) : 0f;
        seq[at + S_DISTANCE_UNKNOWN] = distanceKnown ? 0f : 1f;
        if (category != StableHash.ABSENT) {
            seq[at + S_CATEGORY_BUCKET_0 + Math.floorMod(category, CATEGORY_BUCKETS)] = 1f;
        }
        seq[at + S_IS_CURRENT] = isCurrent ? 1f : 0f;
    }

    private void writeContext(float[] dense, MerchantContext merchant, SimilarCases similar) {
        Arrays.fill(dense, D_FIRST_CONTEXT, fd, 0f);
        if (merchant.missing()) {
            dense[D_MERCHANT_MISSING] = 1f;
        } else {
            for (int w = 0; w < 3; w++) {
                dense[D_MERCHANT_FRAUD_1D + w] = count(merchant.fraud(w), 2);
                dense[D_MERCHANT_TX_1D + w] = count(merchant.transactions(w), 3);
                dense[D_MERCHANT_RATIO_1D + w] = (float) Math.min(2.0, merchant.fraudRatio(w));
            }
            dense[D_MERCHANT_DAYS_SINCE_FRAUD] = (float) (merchant.daysSinceLastFraud() / 30.0);
        }
        if (similar.missing()) {
            dense[D_SIMILAR_MISSING] = 1f;
        } else {
            if (similar.k() != spec.similarK()) {
                throw new IllegalArgumentException("similar cases searched with k = " + similar.k()
                        + ", the feature spec says " + spec.similarK());
            }
            dense[D_SIMILAR_TOP1] = (float) similar.top1();
            dense[D_SIMILAR_MEAN] = (float) similar.meanSimilarity();
            dense[D_SIMILAR_ABOVE] = (float) similar.countAtLeast(spec.similarThreshold()) / spec.similarK();
            dense[D_SIMILAR_FOUND] = (float) similar.found() / spec.similarK();
        }
    }

    /** The previous payment's time from the window (for the oldest payment shown), or MIN_VALUE if not kept. */
    private static long previousInWindow(CardHistory h, long time) {
        int before = h.windowBefore(time);
        return before > 0 ? h.windowTime[before - 1] : Long.MIN_VALUE;
    }

    /** (ln(1 + amount) - 3) / 2, in [-2, 4]: 0 near 20 units, 1 near 150, 2 near 1,100. */
    private static float logAmount(double logAmount) {
        return clip((logAmount - 3.0) / 2.0, -2, 4);
    }

    /** Half the log ratio of (1 + amount) to the card's usual, in [-2.5, 2.5]; 0 when the card has no usual yet. */
    private static float amountVs(double logAmount, double usual) {
        return Double.isNaN(usual) ? 0f : clip((logAmount - usual) / 2.0, -2.5, 2.5);
    }

    /** ln(1 + x) / divisor, at most 4. */
    private static float count(double x, double divisor) {
        return (float) Math.min(4.0, StrictMath.log1p(x) / divisor);
    }

    /** ln(1 + km) / 5, at most 2 (about 22,000 km). */
    private static float distance(float lat, float lon, double usualLat, double usualLon) {
        return (float) Math.min(2.0, StrictMath.log1p(GreatCircle.km(lat, lon, usualLat, usualLon)) / 5.0);
    }

    private static float clip(double x, double lo, double hi) {
        return (float) Math.max(lo, Math.min(hi, x));
    }

    private static double median(float[] values, int n) {
        float[] sorted = Arrays.copyOf(values, n);
        Arrays.sort(sorted);
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + (double) sorted[n / 2]) / 2.0;
    }
}
