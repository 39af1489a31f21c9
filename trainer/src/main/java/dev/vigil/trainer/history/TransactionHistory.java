package dev.vigil.trainer.history;

import dev.vigil.schemas.csv.CsvTransaction;
import dev.vigil.schemas.csv.TransactionCsv;
import dev.vigil.schemas.digest.Sha256;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A labeled transaction history read from the canonical transaction CSV, in replay order: event time, then
 * transaction id (rows may come in any order; this is the order of model/'s {@code PointInTimeFeatures}, so the walk
 * is deterministic). Only the required columns and {@code label} are needed; whichever optional columns the file
 * has are recorded. A transaction id seen again is a duplicate: the first row wins, the others are counted and
 * skipped (a case id must be unique in the context sources).
 *
 * @param transactions in replay order
 * @param optionalColumns the optional columns the header has
 * @param badRows rows that could not be read (reported and skipped)
 * @param duplicates rows whose transaction id an earlier row already had (skipped)
 * @param unlabeled rows without a label (walked: they are history, but never training or test examples)
 */
public record TransactionHistory(Path path, String sha256, List<CsvTransaction> transactions,
        List<String> optionalColumns, long badRows, long duplicates, long unlabeled, long frauds) {

    /** Event time, then transaction id: the order model/'s {@code PointInTimeFeatures} replays payments in. */
    public static final Comparator<CsvTransaction> REPLAY_ORDER =
            Comparator.comparing(CsvTransaction::eventTime).thenComparing(CsvTransaction::transactionId);

    /** Bad rows printed one by one before only the count is given. */
    private static final int BAD_ROWS_SHOWN = 10;

    /**
     * Reads and sorts {@code path}; bad rows go to {@code errors} (the first ten). Fails when the file has no
     * {@code label} column: training needs the truth.
     */
    public static TransactionHistory read(Path path, PrintWriter errors) throws IOException {
        List<CsvTransaction> rows = new ArrayList<>();
        List<String> optional = new ArrayList<>();
        long bad;
        try (TransactionCsv.Reader reader = TransactionCsv.open(path)) {
            for (String column : TransactionCsv.OPTIONAL) {
                if (reader.header().has(column)) {
                    optional.add(column);
                }
            }
            if (!optional.contains("label")) {
                throw new IllegalArgumentException(path + " has no label column: training needs labeled history"
                        + " (0 genuine, 1 fraud)");
            }
            long[] shown = {0};
            CsvTransaction row;
            while ((row = reader.next(badRow -> {
                if (shown[0]++ < BAD_ROWS_SHOWN && errors != null) {
                    errors.println("train: " + path + ":" + badRow.lineNumber() + ": skipped, " + badRow.reason());
                }
            })) != null) {
                rows.add(row);
            }
            bad = reader.badRows();
        }
        return of(path, Sha256.hexOfFile(path), rows, optional, bad, errors);
    }

    /** A history from rows in memory (tests); sorted and de-duplicated like {@link #read}. */
    public static TransactionHistory of(List<CsvTransaction> rows) {
        return of(null, null, rows, List.of("label"), 0, null);
    }

    private static TransactionHistory of(Path path, String sha256, List<CsvTransaction> rows, List<String> optional,
            long bad, PrintWriter errors) {
        java.util.Set<String> ids = new java.util.HashSet<>(rows.size() * 2);
        List<CsvTransaction> unique = new ArrayList<>(rows.size());
        long duplicates = 0;
        for (CsvTransaction row : rows) {
            if (ids.add(row.transactionId())) {
                unique.add(row);
            } else if (duplicates++ < BAD_ROWS_SHOWN && errors != null) {
                errors.println("train: skipped a second row with transaction_id " + row.transactionId());
            }
        }
        unique.sort(REPLAY_ORDER);
        long unlabeled = unique.stream().filter(t -> t.label() == null).count();
        long frauds = unique.stream().filter(CsvTransaction::isFraud).count();
        return new TransactionHistory(path, sha256, List.copyOf(unique), List.copyOf(optional), bad, duplicates,
                unlabeled, frauds);
    }

    public Instant firstEventTime() {
        return transactions.isEmpty() ? null : transactions.get(0).eventTime();
    }

    public Instant lastEventTime() {
        return transactions.isEmpty() ? null : transactions.get(transactions.size() - 1).eventTime();
    }
}
