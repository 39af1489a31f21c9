package dev.vigil.simulator.analysts;

import dev.vigil.schemas.csv.CsvTransaction;
import dev.vigil.schemas.csv.TransactionCsv;
import dev.vigil.schemas.csv.TransactionCsv.BadRowListener;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

/**
 * What an analyst finds when reviewing a transaction: the label in the labeled CSV. Only the ids of the fraud rows are
 * kept (fraud is a small minority, a few MB for 10M rows); a transaction not among them is genuine, which is also the
 * answer for a transaction the CSV does not have.
 */
public final class FraudTruth {

    private final Set<String> fraudTransactionIds;
    private final long rows;

    public FraudTruth(Set<String> fraudTransactionIds, long rows) {
        this.fraudTransactionIds = Set.copyOf(fraudTransactionIds);
        this.rows = rows;
    }

    /**
     * Streams the CSV once, keeping the fraud ids.
     *
     * @throws IllegalArgumentException when the CSV has no label column: the truth must come from labeled data
     */
    public static FraudTruth load(Path csv, BadRowListener badRows) throws IOException {
        Set<String> fraud = new HashSet<>();
        long rows = 0;
        try (TransactionCsv.Reader reader = TransactionCsv.open(csv)) {
            if (!reader.header().has("label")) {
                throw new IllegalArgumentException(csv + " has no label column: the analyst simulator needs a labeled "
                        + "CSV (the simulator's output, or history with a 0/1 label column)");
            }
            CsvTransaction row;
            while ((row = reader.next(badRows)) != null) {
                rows++;
                if (row.isFraud()) {
                    fraud.add(row.transactionId());
                }
            }
        }
        return new FraudTruth(fraud, rows);
    }

    public boolean isFraud(String transactionId) {
        return fraudTransactionIds.contains(transactionId);
    }

    public int fraudCount() {
        return fraudTransactionIds.size();
    }

    /** Good rows of the CSV the truth was read from. */
    public long rows() {
        return rows;
    }
}
