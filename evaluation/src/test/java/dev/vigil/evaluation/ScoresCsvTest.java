package dev.vigil.evaluation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.schemas.csv.TransactionCsv.BadRow;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScoresCsvTest {

    @TempDir
    Path dir;

    @Test
    void writesTheExactHeaderAndReadsBackEveryFieldExactly() throws IOException {
        List<ScoreRecord> records = List.of(
                new ScoreRecord("tx-1", Instant.parse("2026-02-01T00:00:00Z"), "card-1", 0.1 + 0.2, true,
                        "base-2026-01", "adapter-7"),
                new ScoreRecord("tx,\"2\"", Instant.parse("2026-02-01T12:34:56.789123Z"), "card 2", 1e-7, false,
                        null, null),
                new ScoreRecord("tx-3", Instant.parse("2026-02-02T23:59:59Z"), "c3", 0.0, false, "m", null),
                new ScoreRecord("tx-4", Instant.parse("2026-02-03T00:00:00Z"), "c4", 1.0, true, null, "a"));
        Path file = dir.resolve("scores.csv");
        try (ScoresCsv.Writer writer = ScoresCsv.create(file)) {
            for (ScoreRecord r : records) {
                writer.write(r);
            }
        }
        List<String> lines = Files.readAllLines(file);
        assertThat(lines.get(0)).isEqualTo("transaction_id,event_time,card_id,score,alerted,model_version,"
                + "adapter_version");
        assertThat(lines.get(1)).isEqualTo("tx-1,2026-02-01T00:00:00Z,card-1,0.30000000000000004,true,"
                + "base-2026-01,adapter-7");
        assertThat(lines.get(2)).startsWith("\"tx,\"\"2\"\"\",");

        List<ScoreRecord> read = new ArrayList<>();
        List<BadRow> bad = new ArrayList<>();
        try (ScoresCsv.Reader reader = ScoresCsv.open(file)) {
            ScoreRecord r;
            while ((r = reader.next(bad::add)) != null) {
                read.add(r);
            }
        }
        assertThat(bad).isEmpty();
        assertThat(read).isEqualTo(records); // record equality compares the doubles bit for bit
    }

    @Test
    void reportsBadRowsWithTheirLineNumbersAndReadsOn() throws IOException {
        Path file = write("""
                transaction_id,event_time,card_id,score,alerted,model_version,adapter_version
                a,2026-02-01T00:00:00Z,c,0.5,true,,
                b,2026-02-01T00:00:00Z,c,1.5,true,,
                c,2026-02-01T00:00:00Z,c,high,true,,
                d,2026-02-01T00:00:00Z,c,0.5,yes,,

                e,yesterday,c,0.5,false,,
                f,2026-02-01T00:00:00Z,c,0.5
                ,2026-02-01T00:00:00Z,c,0.5,false,,
                g,2026-02-01T00:00:00Z,c,NaN,false,,
                h,2026-02-01T00:00:00Z,c,0.25,FALSE,,
                """);
        List<BadRow> bad = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        try (ScoresCsv.Reader reader = ScoresCsv.open(file)) {
            ScoreRecord r;
            while ((r = reader.next(bad::add)) != null) {
                ids.add(r.transactionId());
            }
            assertThat(reader.badRows()).isEqualTo(7);
        }
        assertThat(ids).containsExactly("a", "h");
        assertThat(bad).extracting(BadRow::lineNumber).containsExactly(3L, 4L, 5L, 7L, 8L, 9L, 10L);
        assertThat(bad.get(0).reason()).contains("score must be in [0, 1]");
        assertThat(bad.get(1).reason()).contains("score is not a number");
        assertThat(bad.get(2).reason()).contains("alerted must be true or false");
        assertThat(bad.get(3).reason()).contains("event_time");
        assertThat(bad.get(4).reason()).contains("expected 7 columns, found 4");
        assertThat(bad.get(5).reason()).contains("transaction_id is empty");
        assertThat(bad.get(6).reason()).contains("score must be in [0, 1]");
    }

    @Test
    void findsColumnsByNameAndAcceptsAFileWithoutTheVersionColumns() throws IOException {
        Path file = write("""
                alerted,score,extra,card_id,event_time,transaction_id
                false,0.75,x,c9,2026-02-01 10:00:00,t9
                """);
        try (ScoresCsv.Reader reader = ScoresCsv.open(file)) {
            assertThat(reader.next(b -> { })).isEqualTo(new ScoreRecord("t9", Instant.parse("2026-02-01T10:00:00Z"),
                    "c9", 0.75, false, null, null));
            assertThat(reader.next(b -> { })).isNull();
        }
    }

    @Test
    void refusesAHeaderWithoutARequiredColumnOrAnEmptyFile() throws IOException {
        Path noScore = write("transaction_id,event_time,card_id,alerted\n");
        assertThatThrownBy(() -> ScoresCsv.open(noScore)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("[score]");
        Path empty = write("");
        assertThatThrownBy(() -> ScoresCsv.open(empty)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("is empty");
    }

    @Test
    void aScoreOutsideZeroToOneIsNotARecord() {
        assertThatThrownBy(() -> new ScoreRecord("t", Instant.EPOCH, "c", -0.1, false, null, null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ScoreRecord("t", Instant.EPOCH, "c", Double.NaN, false, null, null))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private Path write(String text) throws IOException {
        Path file = Files.createTempFile(dir, "scores", ".csv");
        Files.writeString(file, text, StandardCharsets.UTF_8);
        return file;
    }
}
