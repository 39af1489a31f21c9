package dev.vigil.schemas.csv;

import dev.vigil.schemas.Money;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The canonical transaction CSV (docs/architecture.md): a header row; required columns {@link #REQUIRED}; optional
 * columns {@link #OPTIONAL}; unknown columns ignored; rows in any order. Reading streams row by row, so a file of any
 * size fits in memory, and a bad row is reported with its line number instead of ending the read.
 */
public final class TransactionCsv {

    public static final List<String> REQUIRED = List.of("transaction_id", "event_time", "card_id", "merchant_id", "amount");
    public static final List<String> OPTIONAL = List.of(
            "currency", "merchant_category", "country", "channel", "device_id", "lat", "lon", "label", "scenario");
    /** The column order this project writes. */
    public static final List<String> ALL_COLUMNS;

    static {
        List<String> all = new ArrayList<>(REQUIRED);
        all.addAll(OPTIONAL);
        ALL_COLUMNS = List.copyOf(all);
    }

    private TransactionCsv() {
    }

    /** A row that could not be read, with its 1-based line number in the file. */
    public record BadRow(long lineNumber, String reason) {
    }

    /** Receives the bad rows of a read; the read goes on after each. */
    @FunctionalInterface
    public interface BadRowListener {
        void onBadRow(BadRow bad);
    }

    public static Reader open(Path file) throws IOException {
        return new Reader(Files.newBufferedReader(file, StandardCharsets.UTF_8), file.toString());
    }

    public static Writer create(Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        return new Writer(Files.newBufferedWriter(file, StandardCharsets.UTF_8));
    }

    /** Maps column names to positions; parses one data line into a row. */
    public static final class Header {
        private final int[] index = new int[ALL_COLUMNS.size()];
        private final int width;

        public Header(String headerLine, String source) {
            List<String> names = CsvLine.split(headerLine.startsWith("\uFEFF") ? headerLine.substring(1) : headerLine);
            Map<String, Integer> positions = new HashMap<>();
            for (int i = 0; i < names.size(); i++) {
                positions.putIfAbsent(names.get(i).trim().toLowerCase(Locale.ROOT), i);
            }
            List<String> missing = new ArrayList<>();
            for (int c = 0; c < ALL_COLUMNS.size(); c++) {
                Integer at = positions.get(ALL_COLUMNS.get(c));
                index[c] = at == null ? -1 : at;
                if (at == null && c < REQUIRED.size()) {
                    missing.add(ALL_COLUMNS.get(c));
                }
            }
            if (!missing.isEmpty()) {
                throw new IllegalArgumentException(source + ": the header lacks required column(s) " + missing
                        + "; required are " + REQUIRED);
            }
            this.width = names.size();
        }

        public boolean has(String column) {
            return index[ALL_COLUMNS.indexOf(column)] >= 0;
        }

        /** Parses a data line; throws IllegalArgumentException with a reason a person can act on. */
        public CsvTransaction parse(String line) {
            List<String> cells = CsvLine.split(line);
            if (cells.size() < width) {
                throw new IllegalArgumentException("expected " + width + " columns, found " + cells.size());
            }
            String id = required(cells, 0);
            Instant time = parseTime(required(cells, 1));
            String card = required(cells, 2);
            String merchant = required(cells, 3);
            Money amount = Money.parse(required(cells, 4), optional(cells, 5));
            return new CsvTransaction(id, time, card, merchant, amount,
                    optional(cells, 6), optional(cells, 7), optional(cells, 8), optional(cells, 9),
                    parseDouble(optional(cells, 10), "lat"), parseDouble(optional(cells, 11), "lon"),
                    parseLabel(optional(cells, 12)), optional(cells, 13));
        }

        private String required(List<String> cells, int column) {
            String value = cells.get(index[column]).trim();
            if (value.isEmpty()) {
                throw new IllegalArgumentException(ALL_COLUMNS.get(column) + " is empty");
            }
            return value;
        }

        private String optional(List<String> cells, int column) {
            int at = index[column];
            if (at < 0) {
                return null;
            }
            String value = cells.get(at).trim();
            return value.isEmpty() ? null : value;
        }
    }

    /** Reads rows one at a time; {@link #next} returns null at the end of the file. */
    public static final class Reader implements Closeable {
        private final BufferedReader in;
        private final Header header;
        private long lineNumber = 1;
        private long badRows;

        Reader(BufferedReader in, String source) throws IOException {
            this.in = in;
            String first = in.readLine();
            if (first == null) {
                in.close();
                throw new IllegalArgumentException(source + " is empty: expected a header row");
            }
            this.header = new Header(first, source);
        }

        public Header header() {
            return header;
        }

        /** The next good row, or null at the end; each bad row on the way goes to the listener. */
        public CsvTransaction next(BadRowListener listener) {
            try {
                String line;
                while ((line = in.readLine()) != null) {
                    lineNumber++;
                    if (line.isBlank()) {
                        continue;
                    }
                    try {
                        return header.parse(line);
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

    /** Writes rows in {@link #ALL_COLUMNS} order; amounts exactly, in major units with the currency column. */
    public static final class Writer implements Closeable {
        private final BufferedWriter out;
        private final StringBuilder line = new StringBuilder(256);

        Writer(BufferedWriter out) throws IOException {
            this.out = out;
            out.write(String.join(",", ALL_COLUMNS));
            out.newLine();
        }

        public void write(CsvTransaction t) throws IOException {
            line.setLength(0);
            cell(t.transactionId()).append(',');
            line.append(t.eventTime()).append(',');
            cell(t.cardId()).append(',');
            cell(t.merchantId()).append(',');
            line.append(t.amount().toDecimalString()).append(',');
            line.append(t.amount().currency()).append(',');
            cell(t.merchantCategory()).append(',');
            cell(t.country()).append(',');
            cell(t.channel()).append(',');
            cell(t.deviceId()).append(',');
            if (t.lat() != null) {
                line.append(t.lat());
            }
            line.append(',');
            if (t.lon() != null) {
                line.append(t.lon());
            }
            line.append(',');
            if (t.label() != null) {
                line.append(t.label());
            }
            line.append(',');
            cell(t.scenario());
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

    /** ISO-8601 in UTC: "2026-03-01T12:00:00Z"; a time without a zone ("2026-03-01 12:00:00") is read as UTC. */
    public static Instant parseTime(String text) {
        try {
            if (text.endsWith("Z") || text.endsWith("z")) {
                return Instant.parse(text.replace(' ', 'T').toUpperCase(Locale.ROOT));
            }
            int t = Math.max(text.indexOf('T'), text.indexOf(' '));
            boolean hasOffset = t > 0 && (text.indexOf('+', t) > 0 || text.indexOf('-', t) > 0);
            if (hasOffset) {
                return java.time.OffsetDateTime.parse(text.replace(' ', 'T')).toInstant();
            }
            return LocalDateTime.parse(text.replace(' ', 'T')).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("event_time is not an ISO-8601 time: '" + text + "'");
        }
    }

    private static Double parseDouble(String text, String column) {
        if (text == null) {
            return null;
        }
        try {
            double v = Double.parseDouble(text);
            if (!Double.isFinite(v)) {
                throw new NumberFormatException();
            }
            return v;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(column + " is not a finite number: '" + text + "'");
        }
    }

    private static Integer parseLabel(String text) {
        if (text == null) {
            return null;
        }
        return switch (text) {
            case "0" -> 0;
            case "1" -> 1;
            default -> throw new IllegalArgumentException("label must be 0 or 1: '" + text + "'");
        };
    }
}
