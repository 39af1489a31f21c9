package dev.vigil.cli.demo;

import dev.vigil.schemas.avro.FraudScore;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Every score of the live days, with the frozen first adapter's score of the same logged inputs next to it (scored
 * in batches as the scores come, so no inputs are kept). Only the reader thread touches it until the run is over.
 */
final class LiveScoreLog {

    private static final int BATCH = 256;

    /** One live payment: the loop's (live) score and the frozen adapter's score of the same inputs (NaN: none). */
    record Entry(String transactionId, String cardId, Instant eventTime, long amountMinor, String currency,
                 double loopScore, boolean alerted, boolean fraud, double frozenScore) {}

    private final FrozenAdapterScorer frozen;
    private final List<Entry> entries = new ArrayList<>();
    private final List<Integer> pendingRows = new ArrayList<>();
    private final List<byte[]> pendingInputs = new ArrayList<>();
    private long withoutInputs;

    /** @param frozen null: no frozen comparison */
    LiveScoreLog(FrozenAdapterScorer frozen) {
        this.frozen = frozen;
    }

    void add(FraudScore s, boolean fraud) {
        entries.add(new Entry(s.getTransactionId(), s.getCardId(), s.getEventTime(), s.getAmountMinor(),
                s.getCurrency(), s.getScore(), s.getAlerted(), fraud, Double.NaN));
        ByteBuffer inputs = s.getModelInputs();
        byte[] bytes = null;
        if (inputs != null) {
            bytes = new byte[inputs.remaining()];
            inputs.duplicate().get(bytes);
        }
        if (frozen == null || !frozen.fits(bytes)) {
            withoutInputs++;
            return;
        }
        pendingRows.add(entries.size() - 1);
        pendingInputs.add(bytes);
        if (pendingInputs.size() >= BATCH) {
            flush();
        }
    }

    /** Scores what waits for the frozen adapter. */
    void flush() {
        if (pendingInputs.isEmpty()) {
            return;
        }
        float[] scores = frozen.score(pendingInputs);
        for (int i = 0; i < scores.length; i++) {
            int row = pendingRows.get(i);
            Entry e = entries.get(row);
            entries.set(row, new Entry(e.transactionId(), e.cardId(), e.eventTime(), e.amountMinor(), e.currency(),
                    e.loopScore(), e.alerted(), e.fraud(), scores[i]));
        }
        pendingRows.clear();
        pendingInputs.clear();
    }

    List<Entry> entries() {
        return entries;
    }

    /** Live scores whose inputs were not logged (or not for this model): no frozen score for them. */
    long withoutInputs() {
        return withoutInputs;
    }
}
