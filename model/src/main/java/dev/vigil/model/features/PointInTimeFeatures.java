package dev.vigil.model.features;

import dev.vigil.model.context.CaseLabel;
import dev.vigil.model.context.HistoryContextSource;
import dev.vigil.schemas.csv.CsvTransaction;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ForkJoinPool;
import java.util.function.IntConsumer;
import java.util.stream.IntStream;

/**
 * The training set's features, point in time: every payment of a history gets the inputs that serving would have
 * computed for it at its event time. The trainer calls this; serving calls the same {@link FeatureEncoder},
 * {@link CardHistory} and (through OpenSearch) the same context definitions.
 *
 * <ol>
 *   <li>Payments are taken in event-time order (ties by transaction id), and all labels are recorded into a
 *       {@link HistoryContextSource} first: it answers "as of t" whatever it holds, so knowing the future cannot leak
 *       (a label waits for its case and counts only from its label time).</li>
 *   <li>In chunks: one thread walks the chunk, computing each payment's {@link CardFeatures} from its card's state
 *       before it, updating the state, and recording the payment as a case; then the chunk's context queries (the
 *       costly part: merchant windows and an exact similar-case scan) run in parallel, since they only read.</li>
 *   <li>The sink receives (payment, inputs) in event-time order. Same history, same inputs, bit for bit, with any
 *       parallelism.</li>
 * </ol>
 */
public final class PointInTimeFeatures {

    /** Receives each payment's inputs, in event-time order. */
    @FunctionalInterface
    public interface Sink {
        void accept(Payment payment, ModelInputs inputs);
    }

    /** The order the history is replayed in: event time, then transaction id. */
    public static final Comparator<Payment> REPLAY_ORDER =
            Comparator.comparing(Payment::eventTime).thenComparing(Payment::transactionId);

    private static final int CHUNK = 4096;

    private final FeatureEncoder encoder;
    private final int parallelism;

    /** @param parallelism threads for the context queries (1 runs everything on the calling thread) */
    public PointInTimeFeatures(FeatureEncoder encoder, int parallelism) {
        if (parallelism < 1) {
            throw new IllegalArgumentException("parallelism must be at least 1: " + parallelism);
        }
        this.encoder = encoder;
        this.parallelism = parallelism;
    }

    public PointInTimeFeatures(FeatureEncoder encoder) {
        this(encoder, Runtime.getRuntime().availableProcessors());
    }

    /** Chargeback labels for the fraud rows of a history CSV: known {@code delay} after the payment. */
    public static List<CaseLabel> chargebacks(List<CsvTransaction> rows, Duration delay) {
        List<CaseLabel> labels = new ArrayList<>();
        for (CsvTransaction row : rows) {
            if (row.isFraud()) {
                labels.add(CaseLabel.chargeback(row.transactionId(), row.eventTime(), delay));
            }
        }
        return labels;
    }

    /**
     * Encodes every payment of the history. Returns the context source, holding the whole history and labels (e.g. to
     * look at it, or to keep going with later payments).
     */
    public HistoryContextSource run(List<Payment> history, List<CaseLabel> labels, Sink sink) {
        List<Payment> payments = new ArrayList<>(history);
        payments.sort(REPLAY_ORDER);
        HistoryContextSource context = new HistoryContextSource(encoder.spec().caseVectorDimension());
        for (CaseLabel label : labels) {
            context.recordLabel(label);
        }
        Map<String, CardHistory> cards = new HashMap<>();
        int k = encoder.spec().similarK();
        ForkJoinPool pool = parallelism > 1 ? new ForkJoinPool(parallelism) : null;
        try {
            for (int start = 0; start < payments.size(); start += CHUNK) {
                int end = Math.min(payments.size(), start + CHUNK);
                int n = end - start;
                CardFeatures[] card = new CardFeatures[n];
                for (int i = 0; i < n; i++) {
                    Payment p = payments.get(start + i);
                    CardHistory state = cards.computeIfAbsent(p.cardId(), id -> encoder.emptyHistory());
                    card[i] = encoder.cardFeatures(p, state);
                    state.update(p);
                    context.recordTransaction(p.toCase(card[i].caseVector()));
                }
                ModelInputs[] inputs = new ModelInputs[n];
                int offset = start;
                IntConsumer encode = i -> { // reads only: the chunk's cases are recorded, nothing changes meanwhile
                    Payment p = payments.get(offset + i);
                    inputs[i] = encoder.encode(card[i], context.merchant(p.merchantId(), p.eventTime()),
                            context.similar(card[i].caseVector(), p.eventTime(), k));
                };
                if (pool == null) {
                    for (int i = 0; i < n; i++) {
                        encode.accept(i);
                    }
                } else {
                    pool.submit(() -> IntStream.range(0, n).parallel().forEach(encode)).get();
                }
                for (int i = 0; i < n; i++) {
                    sink.accept(payments.get(start + i), inputs[i]);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while encoding the history", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("encoding the history failed", e.getCause());
        } finally {
            if (pool != null) {
                pool.shutdown();
            }
        }
        return context;
    }

    /** Every payment's inputs by transaction id (for tests and small histories). */
    public Map<String, ModelInputs> encodeAll(List<Payment> history, List<CaseLabel> labels) {
        Map<String, ModelInputs> all = new HashMap<>();
        run(history, labels, (p, inputs) -> all.put(p.transactionId(), inputs));
        return all;
    }
}
