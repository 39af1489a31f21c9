package dev.vigil.model.context;

import dev.vigil.schemas.avro.LabelSource;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * The trainer's context source: the history in memory, answering "as of t" exactly by the definitions of
 * {@link MerchantContext} and {@link SimilarCases}, whatever was recorded after t. That is what makes training point in
 * time: the trainer may record the whole history first and then ask about any instant, and gets what serving would
 * have retrieved then.
 *
 * <ul>
 *   <li>Per merchant, two sorted arrays: its transactions' event times and its fraud labels' label times. A window
 *       count is two binary searches.</li>
 *   <li>The fraud cases, sorted by label time, their vectors in one contiguous array: "labeled by t" is a prefix found
 *       by binary search, scanned exactly (brute-force cosine, {@link CaseSimilarity}), keeping the top k. Fraud is a
 *       few percent of cases, so a scan is tens of thousands of dot products at most.</li>
 *   <li>A label may arrive before its case (a chargeback for a payment not recorded yet): it waits and applies when
 *       the case is recorded.</li>
 * </ul>
 * Recording in event-time order is the fast path (appends); any order gives the same answers.
 *
 * <p>Not thread-safe for writes: record everything, then query from as many threads as you like (queries only read).
 */
public final class HistoryContextSource implements ContextSource {

    private static final byte NO_LABEL = 0;
    private static final byte FRAUD = 1;
    private static final byte GENUINE = 2;

    private final int dimension;

    // Cases, by index.
    private final Map<String, Integer> caseIndex = new HashMap<>();
    private String[] ids = new String[16];
    private int[] merchantOf = new int[16];
    private long[] eventTimes = new long[16];
    private float[][] vectors = new float[16][];
    private byte[] labels = new byte[16];
    private long[] labelTimes = new long[16];
    private LabelSource[] labelSources = new LabelSource[16];
    private int cases;
    private long newestEventTime = Long.MIN_VALUE;

    // Merchants.
    private final Map<String, Integer> merchantIndex = new HashMap<>();
    private SortedLongs[] merchantTransactions = new SortedLongs[16];
    private SortedLongs[] merchantFraudLabels = new SortedLongs[16];
    private int merchants;

    private final FraudCases fraud;
    private final Map<String, CaseLabel> pendingLabels = new HashMap<>();

    /** @param dimension of the case vectors ({@code FeatureSpec.caseVectorDimension()}) */
    public HistoryContextSource(int dimension) {
        if (dimension <= 0) {
            throw new IllegalArgumentException("dimension must be positive: " + dimension);
        }
        this.dimension = dimension;
        this.fraud = new FraudCases(dimension);
    }

    public int dimension() {
        return dimension;
    }

    /** Cases recorded. */
    public int size() {
        return cases;
    }

    /** Cases labeled fraud now (whatever their label times). */
    public int fraudCases() {
        return fraud.size;
    }

    /** Labels waiting for their case. */
    public int pendingLabels() {
        return pendingLabels.size();
    }

    /**
     * Records a scored transaction. Recording the same case again is a no-op; the same transaction id with other
     * content is an error (the cases index would silently overwrite it, and the two sources would then differ).
     */
    public void recordTransaction(Case c) {
        record(c.transactionId(), c.merchantId(), c.eventTime().toEpochMilli(), c.vector());
    }

    private void record(String transactionId, String merchantId, long time, float[] vector) {
        if (vector.length != dimension) {
            throw new IllegalArgumentException("case " + transactionId + " has a vector of dimension "
                    + vector.length + ", expected " + dimension);
        }
        Integer known = caseIndex.get(transactionId);
        int merchant = merchant(merchantId);
        if (known != null) {
            int i = known;
            if (merchantOf[i] != merchant || eventTimes[i] != time || !Arrays.equals(vectors[i], vector)) {
                throw new IllegalArgumentException("transaction " + transactionId
                        + " recorded twice with different merchant, event time or vector");
            }
            return;
        }
        int i = cases++;
        grow(cases);
        caseIndex.put(transactionId, i);
        ids[i] = transactionId;
        merchantOf[i] = merchant;
        eventTimes[i] = time;
        vectors[i] = vector;
        labels[i] = NO_LABEL;
        merchantTransactions[merchant].add(time);
        newestEventTime = Math.max(newestEventTime, time);
        CaseLabel pending = pendingLabels.remove(transactionId);
        if (pending != null) {
            applyLabel(i, pending);
        }
    }

    /** Whether a case with this transaction id is recorded. */
    public boolean knows(String transactionId) {
        return caseIndex.containsKey(transactionId);
    }

    /** The newest event time of the cases recorded (epoch ms), or {@code Long.MIN_VALUE} when there is none. */
    public long newestEventTime() {
        return newestEventTime;
    }

    /**
     * A copy holding only what answers as of {@code cutoff} + 30 days or later can still use: the cases with event time
     * at or after {@code cutoff}, every case labeled fraud (a neighbour at any age; its label counts in the merchant's
     * windows and its days since the last fraud), with their labels, and the labels still waiting for their case whose
     * label time is at or after {@code cutoff}. For every such query the copy answers exactly as this source does
     * (the merchant windows reach back 30 days at most); what is dropped is the unlabeled and genuine cases older than
     * the cutoff. A label that arrives later for one of those finds no case (it waits, as any label before its case).
     */
    public HistoryContextSource retainedSince(Instant cutoff) {
        long from = cutoff.toEpochMilli();
        HistoryContextSource copy = new HistoryContextSource(dimension);
        String[] merchantNames = new String[merchants];
        merchantIndex.forEach((name, m) -> merchantNames[m] = name);
        for (int i = 0; i < cases; i++) {
            if (eventTimes[i] < from && labels[i] != FRAUD) {
                continue;
            }
            copy.record(ids[i], merchantNames[merchantOf[i]], eventTimes[i], vectors[i]);
            if (labels[i] != NO_LABEL) {
                copy.recordLabel(new CaseLabel(ids[i], labels[i] == FRAUD, Instant.ofEpochMilli(labelTimes[i]),
                        labelSources[i]));
            }
        }
        pendingLabels.values().stream().filter(l -> l.labelTime().toEpochMilli() >= from).forEach(copy::recordLabel);
        return copy;
    }

    /** Records a label: from its label time on, a fraud label counts for the merchant and makes the case searchable. */
    public void recordLabel(CaseLabel label) {
        Integer i = caseIndex.get(label.transactionId());
        if (i == null) {
            pendingLabels.merge(label.transactionId(), label,
                    (old, now) -> replaces(now, old.isFraud(), old.labelTime().toEpochMilli()) ? now : old);
            return;
        }
        applyLabel(i, label);
    }

    /** Shorthand for {@link #recordLabel(CaseLabel)} with source UNKNOWN. */
    public void recordLabel(String transactionId, boolean isFraud, Instant labelTime) {
        recordLabel(new CaseLabel(transactionId, isFraud, labelTime, LabelSource.UNKNOWN));
    }

    /**
     * Whether {@code label} replaces a case's label of value {@code currentFraud} known since {@code currentLabelTime}:
     * a label of the other value replaces it if it is at or after it (the latest label wins, in any recording order);
     * a label of the same value only if it is earlier (a chargeback confirming a cardholder's report does not make the
     * fraud known later).
     */
    private static boolean replaces(CaseLabel label, boolean currentFraud, long currentLabelTime) {
        long time = label.labelTime().toEpochMilli();
        return label.isFraud() == currentFraud ? time < currentLabelTime : time >= currentLabelTime;
    }

    private void applyLabel(int i, CaseLabel label) {
        if (labels[i] != NO_LABEL && !replaces(label, labels[i] == FRAUD, labelTimes[i])) {
            return;
        }
        if (labels[i] == FRAUD) {
            merchantFraudLabels[merchantOf[i]].remove(labelTimes[i]);
            fraud.remove(i, labelTimes[i]);
        }
        long time = label.labelTime().toEpochMilli();
        labels[i] = label.isFraud() ? FRAUD : GENUINE;
        labelTimes[i] = time;
        labelSources[i] = label.source();
        if (label.isFraud()) {
            merchantFraudLabels[merchantOf[i]].add(time);
            double norm = CaseSimilarity.norm(vectors[i]);
            if (norm > 0) {
                fraud.add(i, time, eventTimes[i], vectors[i], norm);
            }
        }
    }

    @Override
    public MerchantContext merchant(String merchantId, Instant asOf) {
        Integer m = merchantIndex.get(merchantId);
        if (m == null) {
            return MerchantContext.NOTHING_KNOWN;
        }
        long t = asOf.toEpochMilli();
        SortedLongs transactions = merchantTransactions[m];
        SortedLongs frauds = merchantFraudLabels[m];
        long[] fraudCounts = new long[3];
        long[] transactionCounts = new long[3];
        int fraudKnown = frauds.countAtMost(t);
        int transactionsBefore = transactions.countBelow(t);
        for (int w = 0; w < 3; w++) {
            long from = t - MerchantContext.WINDOW_DAYS[w] * MerchantContext.DAY_MILLIS;
            fraudCounts[w] = fraudKnown - frauds.countAtMost(from);          // label time in (t - w, t]
            transactionCounts[w] = transactionsBefore - transactions.countAtMost(from); // event time in (t - w, t)
        }
        long last = fraudKnown == 0 ? Long.MIN_VALUE : frauds.get(fraudKnown - 1);
        return new MerchantContext(fraudCounts[0], fraudCounts[1], fraudCounts[2],
                transactionCounts[0], transactionCounts[1], transactionCounts[2],
                MerchantContext.daysSince(last, t), false);
    }

    @Override
    public SimilarCases similar(float[] caseVector, Instant asOf, int k) {
        if (caseVector.length != dimension) {
            throw new IllegalArgumentException("query vector of dimension " + caseVector.length + ", expected " + dimension);
        }
        if (k <= 0) {
            throw new IllegalArgumentException("k must be positive: " + k);
        }
        double queryNorm = CaseSimilarity.norm(caseVector);
        if (queryNorm == 0) {
            return SimilarCases.none(k);
        }
        long t = asOf.toEpochMilli();
        int labeledByT = fraud.countLabeledAtMost(t);
        TopK top = new TopK(k);
        float[] rows = fraud.rows;
        float[] inverseNorms = fraud.inverseNorms;
        float queryInverse = (float) (1.0 / queryNorm);
        for (int j = 0; j < labeledByT; j++) {
            if (fraud.eventTimes[j] >= t) {
                continue;
            }
            // Once k cases are held, a float estimate of the cosine screens out the candidates that cannot enter
            // the top k; the survivors get the exact double cosine. The estimate is within 2e-6 of the cosine (a
            // float dot of 12 products is within 12 units of float rounding of |a||b|, whatever the norms), so
            // with a margin of 1e-5 no candidate of the exact top k is screened out: the brute-force answer, for
            // about two thirds of the work when most fraud cases are far (measured: 12,000 fraud cases, 129 -> 88 us).
            if (top.size == k && screen(caseVector, rows, j * dimension) * inverseNorms[j] * queryInverse
                    < top.similarity[k - 1] - SCREEN_MARGIN) {
                continue;
            }
            double dot = CaseSimilarity.dot(caseVector, rows, j * dimension, dimension);
            top.offer(CaseSimilarity.cosine(dot, queryNorm, fraud.norms[j]), fraud.caseOf[j]);
        }
        return top.result(ids, k);
    }

    /** The dot product in float, four interleaved sums: only ever compared with a margin, never reported. */
    private float screen(float[] a, float[] rows, int offset) {
        float s0 = 0;
        float s1 = 0;
        float s2 = 0;
        float s3 = 0;
        int i = 0;
        for (; i + 3 < dimension; i += 4) {
            s0 += a[i] * rows[offset + i];
            s1 += a[i + 1] * rows[offset + i + 1];
            s2 += a[i + 2] * rows[offset + i + 2];
            s3 += a[i + 3] * rows[offset + i + 3];
        }
        for (; i < dimension; i++) {
            s0 += a[i] * rows[offset + i];
        }
        return (s0 + s1) + (s2 + s3);
    }

    /** How far below the k-th best a float estimate must be to screen a candidate out (see {@link #similar}). */
    private static final double SCREEN_MARGIN = 1e-5;

    private int merchant(String merchantId) {
        Integer m = merchantIndex.get(merchantId);
        if (m != null) {
            return m;
        }
        int i = merchants++;
        if (i == merchantTransactions.length) {
            merchantTransactions = Arrays.copyOf(merchantTransactions, i * 2);
            merchantFraudLabels = Arrays.copyOf(merchantFraudLabels, i * 2);
        }
        merchantTransactions[i] = new SortedLongs();
        merchantFraudLabels[i] = new SortedLongs();
        merchantIndex.put(merchantId, i);
        return i;
    }

    private void grow(int needed) {
        if (needed <= ids.length) {
            return;
        }
        int capacity = Math.max(needed, ids.length + (ids.length >> 1));
        ids = Arrays.copyOf(ids, capacity);
        merchantOf = Arrays.copyOf(merchantOf, capacity);
        eventTimes = Arrays.copyOf(eventTimes, capacity);
        vectors = Arrays.copyOf(vectors, capacity);
        labels = Arrays.copyOf(labels, capacity);
        labelTimes = Arrays.copyOf(labelTimes, capacity);
        labelSources = Arrays.copyOf(labelSources, capacity);
    }

    /** The fraud-labeled cases with a direction, sorted by label time (stable), vectors copied into one array. */
    private static final class FraudCases {
        final int dimension;
        long[] labelTimes = new long[16];
        long[] eventTimes = new long[16];
        int[] caseOf = new int[16];
        double[] norms = new double[16];
        float[] inverseNorms = new float[16];
        float[] rows;
        int size;

        FraudCases(int dimension) {
            this.dimension = dimension;
            this.rows = new float[16 * dimension];
        }

        void add(int caseIndex, long labelTime, long eventTime, float[] vector, double norm) {
            if (size == labelTimes.length) {
                int capacity = size * 2;
                labelTimes = Arrays.copyOf(labelTimes, capacity);
                eventTimes = Arrays.copyOf(eventTimes, capacity);
                caseOf = Arrays.copyOf(caseOf, capacity);
                norms = Arrays.copyOf(norms, capacity);
                inverseNorms = Arrays.copyOf(inverseNorms, capacity);
                rows = Arrays.copyOf(rows, capacity * dimension);
            }
            int at = size;
            while (at > 0 && labelTimes[at - 1] > labelTime) {
                at--;
            }
            shift(at, at + 1, size - at);
            labelTimes[at] = labelTime;
            eventTimes[at] = eventTime;
            caseOf[at] = caseIndex;
            norms[at] = norm;
            inverseNorms[at] = (float) (1.0 / norm);
            System.arraycopy(vector, 0, rows, at * dimension, dimension);
            size++;
        }

        void remove(int caseIndex, long labelTime) {
            for (int at = countLabeledAtMost(labelTime) - 1; at >= 0 && labelTimes[at] == labelTime; at--) {
                if (caseOf[at] == caseIndex) {
                    shift(at + 1, at, size - at - 1);
                    size--;
                    return;
                }
            }
        }

        private void shift(int from, int to, int count) {
            System.arraycopy(labelTimes, from, labelTimes, to, count);
            System.arraycopy(eventTimes, from, eventTimes, to, count);
            System.arraycopy(caseOf, from, caseOf, to, count);
            System.arraycopy(norms, from, norms, to, count);
            System.arraycopy(inverseNorms, from, inverseNorms, to, count);
            System.arraycopy(rows, from * dimension, rows, to * dimension, count * dimension);
        }

        int countLabeledAtMost(long t) {
            int lo = 0;
            int hi = size;
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (labelTimes[mid] <= t) {
                    lo = mid + 1;
                } else {
                    hi = mid;
                }
            }
            return lo;
        }
    }

    /** The k best (similarity desc, then transaction id asc) of a stream of candidates. */
    private final class TopK {
        final double[] similarity;
        final int[] caseIndex;
        int size;

        TopK(int k) {
            similarity = new double[k];
            caseIndex = new int[k];
        }

        void offer(double s, int c) {
            int k = similarity.length;
            if (size == k && !before(s, c, similarity[k - 1], caseIndex[k - 1])) {
                return;
            }
            int at = size == k ? k - 1 : size++;
            while (at > 0 && before(s, c, similarity[at - 1], caseIndex[at - 1])) {
                similarity[at] = similarity[at - 1];
                caseIndex[at] = caseIndex[at - 1];
                at--;
            }
            similarity[at] = s;
            caseIndex[at] = c;
        }

        private boolean before(double s, int c, double otherS, int otherC) {
            int bySimilarity = Double.compare(s, otherS);
            return bySimilarity != 0 ? bySimilarity > 0 : ids[c].compareTo(ids[otherC]) < 0;
        }

        SimilarCases result(String[] names, int k) {
            SimilarCase[] found = new SimilarCase[size];
            for (int i = 0; i < size; i++) {
                found[i] = new SimilarCase(names[caseIndex[i]], similarity[i]);
            }
            return new SimilarCases(Arrays.asList(found), k, false);
        }
    }
}
