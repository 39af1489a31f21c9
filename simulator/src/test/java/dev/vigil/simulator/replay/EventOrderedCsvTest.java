package dev.vigil.simulator.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.schemas.csv.CsvTransaction;
import dev.vigil.schemas.csv.TransactionCsv.BadRow;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EventOrderedCsvTest {

    @TempDir
    Path dir;

    private static List<String> ids(EventOrderedCsv csv) {
        return StreamSupport.stream(csv.spliterator(), false).map(CsvTransaction::transactionId).toList();
    }

    @Test
    void readsAShuffledFileInEventTimeOrderWithTiesInFileOrder() throws IOException {
        List<CsvTransaction> rows = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            rows.add(Rows.row("t" + i, i / 3, "c" + (i % 17), i % 50 == 0 ? 1 : 0)); // three rows per minute
        }
        List<CsvTransaction> shuffled = new ArrayList<>(rows);
        Collections.shuffle(shuffled, new Random(3));
        Path file = Rows.write(dir.resolve("shuffled.csv"), shuffled);

        try (EventOrderedCsv csv = EventOrderedCsv.scan(file, ReplayWindow.ALL, new BadRowLog())) {
            assertThat(csv.sortedOnDisk()).isFalse();
            assertThat(csv.rowsInWindow()).isEqualTo(500);
            assertThat(csv.fraudRowsInWindow()).isEqualTo(10);
            List<CsvTransaction> read = StreamSupport.stream(csv.spliterator(), false).toList();
            List<CsvTransaction> expected = new ArrayList<>(shuffled);
            expected.sort(Comparator.comparing(CsvTransaction::eventTime)); // stable: file order for ties
            assertThat(read).containsExactlyElementsOf(expected);
        }
    }

    @Test
    void streamsAFileAlreadyInOrderWithoutSorting() throws IOException {
        List<CsvTransaction> rows = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            rows.add(Rows.row("t" + i, i / 2, "c" + (i % 7), 0));
        }
        Path file = Rows.write(dir.resolve("sorted.csv"), rows);
        try (EventOrderedCsv csv = EventOrderedCsv.scan(file, ReplayWindow.ALL, new BadRowLog())) {
            assertThat(csv.sortedOnDisk()).isTrue();
            assertThat(StreamSupport.stream(csv.spliterator(), false).toList()).containsExactlyElementsOf(rows);
        }
    }

    @Test
    void keepsOnlyTheRowsOfTheWindow() throws IOException {
        List<CsvTransaction> rows = new ArrayList<>();
        for (int i = 0; i < 48; i++) {
            rows.add(Rows.row("t" + i, 60L * i, "c", i == 5 || i == 30 ? 1 : 0)); // hourly for two days
        }
        Collections.reverse(rows);
        Path file = Rows.write(dir.resolve("two-days.csv"), rows);
        ReplayWindow window = new ReplayWindow(Instant.parse("2026-02-01T06:00:00Z"), Instant.parse("2026-02-02T00:00:00Z"));
        try (EventOrderedCsv csv = EventOrderedCsv.scan(file, window, new BadRowLog())) {
            assertThat(csv.goodRows()).isEqualTo(48);
            assertThat(csv.rowsInWindow()).isEqualTo(18);
            assertThat(csv.fraudRowsInWindow()).isZero();
            assertThat(ids(csv)).first().isEqualTo("t6");
            assertThat(ids(csv)).last().isEqualTo("t23");
        }
    }

    @Test
    void reportsBadRowsWithTheirLineNumbersAndGoesOn() throws IOException {
        Path file = dir.resolve("bad.csv");
        Files.writeString(file, String.join("\n",
                "transaction_id,event_time,card_id,merchant_id,amount,currency,label",
                "t1,2026-02-01T00:02:00Z,c1,m1,10.00,EUR,0",
                "t2,not-a-time,c1,m1,10.00,EUR,0",
                "",
                "t3,2026-02-01T00:01:00Z,c2,m1,,EUR,0",
                "t4,2026-02-01T00:01:00Z,c2,m1,1.5,EUR,1",
                "t5,2026-02-01T00:00:00Z,c3,m1,3.00,EUR,2",
                "t6,2026-02-01T00:03:00Z,c3",
                "t7,2026-02-01T00:00:30Z,c3,m1,3.001,EUR,0") + "\n", StandardCharsets.UTF_8);
        BadRowLog bad = new BadRowLog(3);
        try (EventOrderedCsv csv = EventOrderedCsv.scan(file, ReplayWindow.ALL, bad)) {
            assertThat(ids(csv)).containsExactly("t4", "t1");
            assertThat(csv.badRows()).isEqualTo(5);
        }
        assertThat(bad.total()).isEqualTo(5);
        assertThat(bad.first()).extracting(BadRow::lineNumber).containsExactly(3L, 5L, 7L);
        assertThat(bad.first().get(0).reason()).contains("not-a-time");
        assertThat(bad.first().get(1).reason()).contains("amount");
        assertThat(bad.summary()).startsWith("5 bad rows: line 3: ").contains("line 5: ").endsWith("... and 2 more");
    }

    @Test
    void handlesCrLfByteOrderMarkQuotesAndNoFinalNewline() throws IOException {
        Path file = dir.resolve("crlf.csv");
        Files.writeString(file, "\uFEFFtransaction_id,event_time,card_id,merchant_id,amount,merchant_category\r\n"
                + "t1,2026-02-01T00:02:00Z,c1,m1,10.00,\"books, rare\"\r\n"
                + "t2,2026-02-01T00:01:00Z,c1,m\u00e9,10.00,caf\u00e9", StandardCharsets.UTF_8);
        try (EventOrderedCsv csv = EventOrderedCsv.scan(file, ReplayWindow.ALL, new BadRowLog())) {
            List<CsvTransaction> rows = StreamSupport.stream(csv.spliterator(), false).toList();
            assertThat(rows).extracting(CsvTransaction::transactionId).containsExactly("t2", "t1");
            assertThat(rows.get(0).merchantId()).isEqualTo("m\u00e9");
            assertThat(rows.get(0).merchantCategory()).isEqualTo("caf\u00e9");
            assertThat(rows.get(1).merchantCategory()).isEqualTo("books, rare");
            assertThat(csv.hasLabels()).isFalse();
        }
    }

    @Test
    void readsLinesAcrossMappingSegmentBoundaries() throws IOException {
        List<CsvTransaction> rows = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            rows.add(Rows.row("t" + i, (i * 37) % 300, "c" + i, 0));
        }
        Path file = Rows.write(dir.resolve("segments.csv"), rows);
        // 64-byte segments: most lines (~100 bytes) start in one segment and end in the next.
        try (EventOrderedCsv csv = EventOrderedCsv.scan(file, ReplayWindow.ALL, new BadRowLog(), 6)) {
            List<CsvTransaction> read = StreamSupport.stream(csv.spliterator(), false).toList();
            List<CsvTransaction> expected = new ArrayList<>(rows);
            expected.sort(Comparator.comparing(CsvTransaction::eventTime));
            assertThat(read).containsExactlyElementsOf(expected);
        }
    }

    @Test
    void refusesAFileWithoutItsRequiredColumnsOrAnyHeader() throws IOException {
        Path empty = Files.writeString(dir.resolve("empty.csv"), "");
        assertThatThrownBy(() -> EventOrderedCsv.scan(empty, ReplayWindow.ALL, new BadRowLog()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("is empty");
        Path noAmount = Files.writeString(dir.resolve("no-amount.csv"), "transaction_id,event_time,card_id,merchant_id\n");
        assertThatThrownBy(() -> EventOrderedCsv.scan(noAmount, ReplayWindow.ALL, new BadRowLog()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("amount");
    }
}
