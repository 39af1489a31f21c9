package dev.vigil.schemas.csv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.schemas.Money;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TransactionCsvTest {

    @TempDir
    Path dir;

    @Test
    void writesAndReadsBackEveryColumn() throws IOException {
        Path file = dir.resolve("t.csv");
        CsvTransaction full = new CsvTransaction("t1", Instant.parse("2026-03-01T12:00:00.250Z"), "c1", "m1",
                new Money(1234, "EUR"), "grocery, organic", "FR", "card_present", "d\"9", 48.85, 2.35, 1, "large_amount");
        CsvTransaction sparse = new CsvTransaction("t2", Instant.parse("2026-03-01T12:00:01Z"), "c2", "m2",
                new Money(5, "USD"), null, null, null, null, null, null, null, null);
        try (TransactionCsv.Writer w = TransactionCsv.create(file)) {
            w.write(full);
            w.write(sparse);
        }
        List<CsvTransaction> rows = readAll(file, new ArrayList<>());
        assertThat(rows).containsExactly(full, sparse);
    }

    @Test
    void readsAFileWithOnlyTheRequiredColumnsInAnyOrderAndIgnoresUnknownOnes() throws IOException {
        Path file = dir.resolve("min.csv");
        Files.writeString(file, """
                amount,extra,card_id,event_time,merchant_id,transaction_id
                10.50,x,c9,2018-04-01 00:00:31,m7,42
                """);
        List<CsvTransaction> rows = readAll(file, new ArrayList<>());
        assertThat(rows).hasSize(1);
        CsvTransaction t = rows.get(0);
        assertThat(t.transactionId()).isEqualTo("42");
        assertThat(t.eventTime()).isEqualTo(Instant.parse("2018-04-01T00:00:31Z"));
        assertThat(t.amount()).isEqualTo(new Money(1050, "EUR"));
        assertThat(t.label()).isNull();
        assertThat(t.channel()).isNull();
    }

    @Test
    void reportsBadRowsWithTheirLineNumbersAndKeepsReading() throws IOException {
        Path file = dir.resolve("bad.csv");
        Files.writeString(file, """
                transaction_id,event_time,card_id,merchant_id,amount,label
                t1,2026-01-01T00:00:00Z,c1,m1,1.00,0
                t2,yesterday,c1,m1,1.00,0
                t3,2026-01-01T00:00:02Z,c1,m1,1.005,0

                t4,2026-01-01T00:00:03Z,,m1,1.00,0
                t5,2026-01-01T00:00:04Z,c1,m1,2.00,7
                t6,2026-01-01T00:00:05+02:00,c1,m1,3.00,1
                """);
        List<TransactionCsv.BadRow> bad = new ArrayList<>();
        List<CsvTransaction> rows = readAll(file, bad);
        assertThat(rows).extracting(CsvTransaction::transactionId).containsExactly("t1", "t6");
        assertThat(rows.get(1).eventTime()).isEqualTo(Instant.parse("2026-01-01T00:00:05Z").minusSeconds(7200));
        assertThat(bad).extracting(TransactionCsv.BadRow::lineNumber).containsExactly(3L, 4L, 6L, 7L);
        assertThat(bad.get(0).reason()).contains("event_time");
        assertThat(bad.get(1).reason()).contains("decimals");
        assertThat(bad.get(2).reason()).contains("card_id is empty");
        assertThat(bad.get(3).reason()).contains("label");
    }

    @Test
    void aCellWithALineBreakIsRefusedBecauseNoReaderCouldReadItBack() throws IOException {
        CsvTransaction broken = new CsvTransaction("t1", Instant.parse("2026-03-01T12:00:00Z"), "c1", "m1",
                new Money(100, "EUR"), "grocery\nnight", null, null, null, null, null, null, null);
        try (TransactionCsv.Writer w = TransactionCsv.create(dir.resolve("nl.csv"))) {
            assertThatThrownBy(() -> w.write(broken)).hasMessageContaining("line break");
        }
    }

    @Test
    void aHeaderWithoutARequiredColumnIsAClearError() throws IOException {
        Path file = dir.resolve("nohdr.csv");
        Files.writeString(file, "transaction_id,card_id,amount\n1,c,1.00\n");
        assertThatThrownBy(() -> TransactionCsv.open(file))
                .hasMessageContaining("lacks required column(s) [event_time, merchant_id]");
    }

    private static List<CsvTransaction> readAll(Path file, List<TransactionCsv.BadRow> bad) throws IOException {
        List<CsvTransaction> rows = new ArrayList<>();
        try (TransactionCsv.Reader r = TransactionCsv.open(file)) {
            CsvTransaction t;
            while ((t = r.next(bad::add)) != null) {
                rows.add(t);
            }
        }
        return rows;
    }
}
