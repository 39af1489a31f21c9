package dev.vigil.evaluation;

import dev.vigil.schemas.csv.CsvLine;
import dev.vigil.schemas.csv.TransactionCsv;
import dev.vigil.schemas.csv.TransactionCsv.BadRow;
import dev.vigil.schemas.csv.TransactionCsv.BadRowListener;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The scores CSV: one row per scored transaction, header exactly {@link #HEADER}. {@code event_time} is ISO-8601 UTC,
 * {@code score} a number in [0, 1] written so it reads back to the same double, {@code alerted} true or false.
 *
 * <p>Reading streams row by row, like {@link TransactionCsv}: columns are found by name (unknown ones ignored; the two
 * version columns may be absent), and a bad row goes to the {@link BadRowListener} with its line number instead of
 * ending the read. Cells may be RFC 4180 quoted; a row must fit on one line.
 */
public final class ScoresCsv {

    public static final List<String> COLUMNS = List.of(
            "transaction_id", "event_time", "card_id", "score", "alerted", "model_version", "adapter_version");
    public static final String HEADER = String.join(",", COLUMNS);
    /** Columns a file must have; the version columns are optional on read. */
    public static final List<String> REQUIRED = COLUMNS.subList(0, 5);

    private ScoresCsv() {
    }

    public static Reader open(Path file) throws IOException {
        return new Reader(Files.newBufferedReader(file, StandardCharsets.UTF_8), file.toString());
    }

    /** Reads from any source; {@code source} names it in error messages. */
    public static Reader read(BufferedReader in, String source) throws IOException {
        return new Reader(in, source);
    }

    public static Writer create(Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        return new Writer(Files.newBufferedWriter(file, StandardCharsets.UTF_8));
    }

    /** Reads rows one at a time; {@link #next} returns null at the end. */
    public static final class Reader implements Closeable {
        private final BufferedReader in;
        private final int[] index = new int[COLUMNS.size()];
        private final int width;
        private long lineNumber = 1;
        private long badRows;

        Reader(BufferedReader in, String source) throws IOException {
            this.in = in;
            String first = in.readLine();
            if (first == null) {
                in.close();
                throw new IllegalArgumentException(source + " is empty: expected the header " + HEADER);
            }
            List<String> names = CsvLine.split(first.startsWith("\uFEFF") ? first.substring(1) : first);
            Map<String, Integer> positions = new HashMap<>();
            for (int i = 0; i < names.size(); i++) {
                positions.putIfAbsent(names.get(i).trim().toLowerCase(Locale.ROOT), i);
            }
            List<String> missing = new ArrayList<>();
            for (int c = 0; c < COLUMNS.size(); c++) {
                Integer at = positions.get(COLUMNS.get(c));
                index[c] = at == null ? -1 : at;
                if (at == null && c < REQUIRED.size()) {
                    missing.add(COLUMNS.get(c));
                }
            }
            if (!missing.isEmpty()) {
                in.close();
                throw new IllegalArgumentException(source + ": the header lacks required column(s) " + missing
                        + "; a scores file starts with " + HEADER);
            }
            this.width = names.size();
        }

        /** The next good row, or null at the end; each bad row on the way goes to the listener. */
        public ScoreRecord next(BadRowListener listener) {
            try {
                String line;
                while ((line = in.readLine()) != null) {
                    lineNumber++;
                    if (line.isBlank()) {
                        continue;
                    }
                    try {
                        return parse(line);
                    } catch (RuntimeException e) {
                        badRows++;
                        listener.onBadRow(new BadRow(lineNumber, e.getMessage()));
                    }
                }
                return null;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private ScoreRecord parse(String line) {
            List<String> cells = CsvLine.split(line);
            if (cells.size() < width) {
                throw new IllegalArgumentException("expected " + width + " columns, found " + cells.size());
            }
            return new ScoreRecord(required(cells, 0), TransactionCsv.parseTime(required(cells, 1)),
                    required(cells, 2), parseScore(required(cells, 3)), parseAlerted(required(cells, 4)),
                    optional(cells, 5), optional(cells, 6));
        }

        private String required(List<String> cells, int column) {
            String value = cells.get(index[column]).trim();
            if (value.isEmpty()) {
                throw new IllegalArgumentException(COLUMNS.get(column) + " is empty");
            }
            return value;
        }

        private String optional(List<String> cells, int column) {
            if (index[column] < 0) {
                return null;
            }
            String value = cells.get(index[column]).trim();
            return value.isEmpty() ? null : value;
        }

        /** The line number of the row {@link #next} returned last. */
        public long lineNumber() {
            return lineNumber;
        }

        public long badRows() {
            return badRows;
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }

    /** Writes rows in {@link #COLUMNS} order. */
    public static final class Writer implements Closeable {
        private final BufferedWriter out;
        private final StringBuilder line = new StringBuilder(160);

        Writer(BufferedWriter out) throws IOException {
            this.out = out;
            out.write(HEADER);
            out.newLine();
        }

        public void write(ScoreRecord r) throws IOException {
            line.setLength(0);
            cell(r.transactionId()).append(',');
            line.append(r.eventTime()).append(',');
            cell(r.cardId()).append(',');
            // Double.toString is the shortest text that parses back to the same double: the round trip is exact.
            line.append(r.score()).append(',');
            line.append(r.alerted()).append(',');
            cell(r.modelVersion()).append(',');
            cell(r.adapterVersion());
            out.append(line);
            out.newLine();
        }

        private StringBuilder cell(String value) {
            return CsvLine.appendCell(line, value);
        }

        public void flush() throws IOException {
            out.flush();
        }

        @Override
        public void close() throws IOException {
            out.close();
        }
    }

    static double parseScore(String text) {
        double score;
        try {
            score = Double.parseDouble(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("score is not a number: '" + text + "'");
        }
        if (!(score >= 0.0 && score <= 1.0)) {
            throw new IllegalArgumentException("score must be in [0, 1]: '" + text + "'");
        }
        return score;
    }

    static boolean parseAlerted(String text) {
        if (text.equalsIgnoreCase("true")) {
            return true;
        }
        if (text.equalsIgnoreCase("false")) {
            return false;
        }
        throw new IllegalArgumentException("alerted must be true or false: '" + text + "'");
    }
}
