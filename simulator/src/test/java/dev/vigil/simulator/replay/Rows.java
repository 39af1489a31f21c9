package dev.vigil.simulator.replay;

import dev.vigil.schemas.Money;
import dev.vigil.schemas.csv.CsvTransaction;
import dev.vigil.schemas.csv.TransactionCsv;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/** Test rows of the canonical CSV. */
final class Rows {

    static final Instant T0 = Instant.parse("2026-02-01T00:00:00Z");

    private Rows() {
    }

    static CsvTransaction row(String id, Instant time, String card, Integer label) {
        return new CsvTransaction(id, time, card, "m-" + card, new Money(1234, "EUR"), "grocery", "FR",
                "card_present", null, 48.85, 2.35, label, label == null ? null : label == 1 ? "stolen" : "legit");
    }

    static CsvTransaction row(String id, long minutesAfterT0, String card, Integer label) {
        return row(id, T0.plusSeconds(60 * minutesAfterT0), card, label);
    }

    static Path write(Path file, List<CsvTransaction> rows) throws IOException {
        try (TransactionCsv.Writer writer = TransactionCsv.create(file)) {
            for (CsvTransaction row : rows) {
                writer.write(row);
            }
        }
        return file;
    }
}
