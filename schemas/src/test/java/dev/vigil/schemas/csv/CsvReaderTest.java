package dev.vigil.schemas.csv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shared CSV pieces, through a two-column file of its own: {@code name} (required) and {@code note}. */
class CsvReaderTest {

    record Entry(String name, String note) {}

    static final List<String> COLUMNS = List.of("name", "note");

    static final class EntryReader extends CsvReader<Entry> {
        EntryReader(BufferedReader in) throws IOException {
            super(in, "entries.csv", "a header with name",
                    line -> new CsvColumns(line, COLUMNS, 1, "entries.csv", "required is name"));
        }

        @Override
        protected Entry parse(CsvColumns.Row row) {
            return new Entry(row.required(0), row.optional(1));
        }
    }

    static final class EntryWriter extends CsvWriter<Entry> {
        EntryWriter(Path file) throws IOException {
            super(file, String.join(",", COLUMNS));
        }

        @Override
        protected void format(Entry e, StringBuilder line) {
            CsvLine.appendCell(line, e.name()).append(',');
            CsvLine.appendCell(line, e.note());
        }
    }

    @Test
    void columnsAreFoundByNameWhateverTheirOrderCaseOrAByteOrderMark() throws IOException {
        List<Entry> read = readAll("\uFEFF extra , NOTE ,Name\nx, hello ,ann\ny,,bob\n", new ArrayList<>());
        assertThat(read).containsExactly(new Entry("ann", "hello"), new Entry("bob", null));
    }

    @Test
    void anOptionalColumnMayBeAbsent() throws IOException {
        try (EntryReader reader = new EntryReader(new BufferedReader(new StringReader("name\ncy\n")))) {
            assertThat(reader.columns().has("name")).isTrue();
            assertThat(reader.columns().has("note")).isFalse();
            assertThat(reader.columns().has("unknown")).isFalse();
            assertThat(reader.next(bad -> { })).isEqualTo(new Entry("cy", null));
        }
    }

    @Test
    void badRowsGoToTheListenerWithTheirLineNumbersAndTheReadGoesOn() throws IOException {
        List<TransactionCsv.BadRow> bad = new ArrayList<>();
        List<Entry> read = readAll("name,note\n,empty name\n\nshort\n\"open,x\nok,fine\n", bad);
        assertThat(read).containsExactly(new Entry("ok", "fine"));
        assertThat(bad).extracting(TransactionCsv.BadRow::lineNumber).containsExactly(2L, 4L, 5L);
        assertThat(bad.get(0).reason()).isEqualTo("name is empty");
        assertThat(bad.get(1).reason()).isEqualTo("expected 2 columns, found 1");
        assertThat(bad.get(2).reason()).isEqualTo("unterminated quote");
    }

    @Test
    void anEmptyFileOrAMissingRequiredColumnIsAClearErrorAndTheFileIsClosed() {
        AtomicBoolean closed = new AtomicBoolean();
        assertThatThrownBy(() -> new EntryReader(closing("", closed)))
                .hasMessage("entries.csv is empty: expected a header with name");
        assertThat(closed).isTrue();
        closed.set(false);
        assertThatThrownBy(() -> new EntryReader(closing("note\nx\n", closed)))
                .hasMessage("entries.csv: the header lacks required column(s) [name]; required is name");
        assertThat(closed).isTrue();
    }

    @Test
    void whatTheWriterWritesReadsBack(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("sub/entries.csv");
        List<Entry> entries = List.of(new Entry("a, b", "say \"hi\""), new Entry("c", null));
        try (EntryWriter writer = new EntryWriter(file)) {
            for (Entry e : entries) {
                writer.write(e);
            }
        }
        assertThat(readAll(Files.readString(file), new ArrayList<>())).isEqualTo(entries);
    }

    private static List<Entry> readAll(String text, List<TransactionCsv.BadRow> bad) throws IOException {
        List<Entry> read = new ArrayList<>();
        try (EntryReader reader = new EntryReader(new BufferedReader(new StringReader(text)))) {
            Entry e;
            while ((e = reader.next(bad::add)) != null) {
                read.add(e);
            }
        }
        return read;
    }

    private static BufferedReader closing(String text, AtomicBoolean closed) {
        return new BufferedReader(new StringReader(text)) {
            @Override
            public void close() throws IOException {
                closed.set(true);
                super.close();
            }
        };
    }
}
