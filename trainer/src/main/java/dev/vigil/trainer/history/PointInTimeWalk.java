package dev.vigil.trainer.history;

import dev.vigil.model.context.CaseLabel;
import dev.vigil.model.features.FeatureEncoder;
import dev.vigil.model.features.FeatureSpec;
import dev.vigil.model.features.ModelInputs;
import dev.vigil.model.features.Payment;
import dev.vigil.model.features.PointInTimeFeatures;
import dev.vigil.schemas.csv.CsvTransaction;
import dev.vigil.trainer.examples.ExampleSet;
import dev.vigil.trainer.examples.NegativeSampling;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The training set, point in time: the history up to the end of the test window goes once, in event-time order,
 * through model/'s {@link PointInTimeFeatures} (the one implementation of the training-side features; serving calls
 * the same encoder, card state and context definitions). For each payment at t it computes the inputs from its
 * card's {@code CardHistory} <em>before</em> the payment and the context retrieved from a
 * {@code HistoryContextSource} as of t, then adds the payment to its card and records it as a case.
 *
 * <p>Labels: the {@code label} column is the truth; each fraud becomes a chargeback with label time = event time +
 * label delay ({@link PointInTimeFeatures#chargebacks}), and only fraud labels are published (in the real world nobody
 * reports a payment as genuine; analysts' reviews exist only at serving time). The context source counts a label
 * only from its label time on, so a payment at t sees exactly the chargebacks published by t, as serving would.
 *
 * <p>What is kept: the inputs of the labeled transactions of the train and test windows. Payments before the train
 * window and in the gap only build up card histories and context. In the train window every fraud is kept and
 * genuine transactions at the {@link NegativeSampling} rate for the base (weight 1 / rate), and every transaction of
 * the adapter window for the adapter. Unlabeled rows are walked and never kept.
 */
public final class PointInTimeWalk {

    /**
     * What the walk produced.
     *
     * @param train the kept train-window examples (base sample and adapter window), in event-time order
     * @param baseIndices examples of {@code train} in the base training set (weights 1 or 1 / rate)
     * @param adapterIndices examples of {@code train} in the adapter window (all of them)
     * @param test the test-window examples, in event-time order
     * @param testRows the test-window transactions, in the order of {@code test}
     */
    public record Result(ExampleSet train, int[] baseIndices, int[] adapterIndices, ExampleSet test,
            List<CsvTransaction> testRows, Counts counts, double seconds) {}

    /**
     * @param walked transactions walked (everything up to the end of the test window)
     * @param chargebacks fraud labels published to the context source (label time = event time + delay)
     */
    public record Counts(long walked, long trainTransactions, long trainFrauds, long baseExamples, long baseFrauds,
            long adapterExamples, long adapterFrauds, long testTransactions, long testFrauds, long unlabeledSkipped,
            long chargebacks, int cards) {}

    private final FeatureEncoder encoder;
    private final TrainingWindows windows;
    private final NegativeSampling sampling;
    private final int threads;

    public PointInTimeWalk(FeatureEncoder encoder, TrainingWindows windows, NegativeSampling sampling, int threads) {
        this.encoder = encoder;
        this.windows = windows;
        this.sampling = sampling;
        this.threads = Math.max(1, threads);
    }

    /** Walks {@code transactions}, sorted in {@link TransactionHistory#REPLAY_ORDER}. */
    public Result run(List<CsvTransaction> transactions) {
        long started = System.nanoTime();
        List<CsvTransaction> walked = new ArrayList<>();
        for (CsvTransaction row : transactions) {
            if (windows.roleOf(row.eventTime()) == TrainingWindows.Role.AFTER) {
                break;
            }
            walked.add(row);
        }
        List<Payment> payments = new ArrayList<>(walked.size());
        walked.forEach(row -> payments.add(Payment.of(row)));
        List<CaseLabel> chargebacks = PointInTimeFeatures.chargebacks(walked, windows.labelDelay());

        FeatureSpec spec = encoder.spec();
        Collector collector = new Collector(walked, spec);
        new PointInTimeFeatures(encoder, threads).run(payments, chargebacks, collector::accept);
        if (collector.next != walked.size()) {
            throw new IllegalStateException("the feature pipeline returned " + collector.next + " of "
                    + walked.size() + " payments");
        }
        Counts counts = new Counts(walked.size(), collector.trainTransactions, collector.trainFrauds,
                collector.base.size, collector.baseFrauds, collector.adapter.size, collector.adapterFrauds,
                collector.test.size(), collector.testFrauds, collector.unlabeled, chargebacks.size(),
                (int) walked.stream().map(CsvTransaction::cardId).distinct().count());
        return new Result(collector.train, collector.base.toArray(), collector.adapter.toArray(), collector.test,
                List.copyOf(collector.testRows), counts, (System.nanoTime() - started) / 1e9);
    }

    /** Receives the inputs in replay order (the rows' order) and keeps what the windows ask for. */
    private final class Collector {
        final List<CsvTransaction> rows;
        final ExampleSet train;
        final ExampleSet test;
        final List<CsvTransaction> testRows = new ArrayList<>();
        final IntList base = new IntList();
        final IntList adapter = new IntList();
        long trainTransactions;
        long trainFrauds;
        long baseFrauds;
        long adapterFrauds;
        long testFrauds;
        long unlabeled;
        int next;

        Collector(List<CsvTransaction> rows, FeatureSpec spec) {
            this.rows = rows;
            this.train = new ExampleSet(spec.seqLen(), spec.seqFeatureCount(), spec.denseFeatureCount());
            this.test = new ExampleSet(spec.seqLen(), spec.seqFeatureCount(), spec.denseFeatureCount());
        }

        void accept(Payment payment, ModelInputs inputs) {
            CsvTransaction row = rows.get(next++);
            if (!row.transactionId().equals(payment.transactionId())) {
                throw new IllegalStateException("the feature pipeline replayed " + payment.transactionId()
                        + " where " + row.transactionId() + " was expected: the history must be in replay order");
            }
            Instant t = row.eventTime();
            TrainingWindows.Role role = windows.roleOf(t);
            if (role != TrainingWindows.Role.TRAIN && role != TrainingWindows.Role.TEST) {
                return;
            }
            if (row.label() == null) {
                unlabeled++;
                return;
            }
            boolean fraud = row.isFraud();
            if (role == TrainingWindows.Role.TEST) {
                test.add(inputs.seq(), inputs.seqMask(), inputs.dense(), fraud, 1f);
                testRows.add(row);
                testFrauds += fraud ? 1 : 0;
                return;
            }
            trainTransactions++;
            trainFrauds += fraud ? 1 : 0;
            boolean inBase = sampling.keep(row.transactionId(), fraud);
            boolean inAdapter = windows.inAdapterWindow(t);
            if (!inBase && !inAdapter) {
                return;
            }
            int index = train.add(inputs.seq(), inputs.seqMask(), inputs.dense(), fraud,
                    inBase ? sampling.weight(fraud) : 1f);
            if (inBase) {
                base.add(index);
                baseFrauds += fraud ? 1 : 0;
            }
            if (inAdapter) {
                adapter.add(index);
                adapterFrauds += fraud ? 1 : 0;
            }
        }
    }

    /** A growable int array (indices of the base and adapter sets). */
    private static final class IntList {
        private int[] values = new int[1024];
        private int size;

        void add(int value) {
            if (size == values.length) {
                values = Arrays.copyOf(values, size * 2);
            }
            values[size++] = value;
        }

        int[] toArray() {
            return Arrays.copyOf(values, size);
        }
    }
}
