package dev.vigil.schemas.csv;

import dev.vigil.schemas.Money;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

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
        return new Writer(file);
    }

    /** Maps column names to positions; parses one data line into a row. */
    public static final class Header {
        private final CsvColumns columns;

        public Header(String headerLine, String source) {
            this(columns(headerLine, source));
        }

        private Header(CsvColumns columns) {
            this.columns = columns;
        }

        public boolean has(String column) {
            return columns.has(column);
        }

        /** Parses a data line; throws IllegalArgumentException with a reason a person can act on. */
        public CsvTransaction parse(String line) {
            return parse(columns.row(line));
        }

        private CsvTransaction parse(CsvColumns.Row cells) {
            String id = cells.required(0);
            Instant time = parseTime(cells.required(1));
            String card = cells.required(2);
            String merchant = cells.required(3);
            Money amount = Money.parse(cells.required(4), cells.optional(5));
            return new CsvTransaction(id, time, card, merchant, amount,
                    cells.optional(6), cells.optional(7), cells.optional(8), cells.optional(9),
                    parseDouble(cells.optional(10), "lat"), parseDouble(cells.optional(11), "lon"),
                    parseLabel(cells.optional(12)), cells.optional(13));
        }

        private static CsvColumns columns(String headerLine, String source) {
            return new CsvColumns(headerLine, ALL_COLUMNS, REQUIRED.size(), source, "required are " + REQUIRED);
        }
    }

    /** Reads rows one at a time; {@link #next} returns null at the end of the file. */
    public static final class Reader extends CsvReader<CsvTransaction> {
        private final Header header;

        Reader(BufferedReader in, String source) throws IOException {
            super(in, source, "a header row", line -> Header.columns(line, source));
            this.header = new Header(columns());
        }

        public Header header() {
            return header;
        }

        @Override
        protected CsvTransaction parse(CsvColumns.Row row) {
            return header.parse(row);
        }
    }

    /** Writes rows in {@link #ALL_COLUMNS} order; amounts exactly, in major units with the currency column. */
    public static final class Writer extends CsvWriter<CsvTransaction> {

        Writer(Path file) throws IOException {
            super(file, String.join(",", ALL_COLUMNS));
        }

        @Override
        protected void format(CsvTransaction t, StringBuilder line) {
            CsvLine.appendCell(line, t.transactionId()).append(',');
            line.append(t.eventTime()).append(',');
            CsvLine.appendCell(line, t.cardId()).append(',');
            CsvLine.appendCell(line, t.merchantId()).append(',');
            line.append(t.amount().toDecimalString()).append(',');
            line.append(t.amount().currency()).append(',');
            CsvLine.appendCell(line, t.merchantCategory()).append(',');
            CsvLine.appendCell(line, t.country()).append(',');
            CsvLine.appendCell(line, t.channel()).append(',');
            CsvLine.appendCell(line, t.deviceId()).append(',');
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
            CsvLine.appendCell(line, t.scenario());
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
