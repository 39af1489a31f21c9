package dev.vigil.evaluation;

import dev.vigil.schemas.csv.CsvColumns;
import dev.vigil.schemas.csv.CsvLine;
import dev.vigil.schemas.csv.CsvReader;
import dev.vigil.schemas.csv.CsvWriter;
import dev.vigil.schemas.csv.TransactionCsv;
import dev.vigil.schemas.csv.TransactionCsv.BadRowListener;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The scores CSV: one row per scored transaction, header exactly {@link #HEADER}. {@code event_time} is ISO-8601 UTC,
 * {@code score} a number in [0, 1] written so it reads back to the same double, {@code alerted} true or false.
 *
 * <p>Reading streams row by row with the same {@link CsvReader} as {@link TransactionCsv}: columns are found by name
 * (unknown ones ignored; the two version columns may be absent), and a bad row goes to the {@link BadRowListener}
 * with its line number instead of ending the read. Cells may be RFC 4180 quoted; a row must fit on one line.
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
        return new Writer(file);
    }

    /** Reads rows one at a time; {@link #next} returns null at the end. */
    public static final class Reader extends CsvReader<ScoreRecord> {

        Reader(BufferedReader in, String source) throws IOException {
            super(in, source, "the header " + HEADER, line -> new CsvColumns(line, COLUMNS, REQUIRED.size(), source,
                    "a scores file starts with " + HEADER));
        }

        @Override
        protected ScoreRecord parse(CsvColumns.Row cells) {
            return new ScoreRecord(cells.required(0), TransactionCsv.parseTime(cells.required(1)),
                    cells.required(2), parseScore(cells.required(3)), parseAlerted(cells.required(4)),
                    cells.optional(5), cells.optional(6));
        }
    }

    /** Writes rows in {@link #COLUMNS} order. */
    public static final class Writer extends CsvWriter<ScoreRecord> {

        Writer(Path file) throws IOException {
            super(file, HEADER);
        }

        @Override
        protected void format(ScoreRecord r, StringBuilder line) {
            CsvLine.appendCell(line, r.transactionId()).append(',');
            line.append(r.eventTime()).append(',');
            CsvLine.appendCell(line, r.cardId()).append(',');
            // Double.toString is the shortest text that parses back to the same double: the round trip is exact.
            line.append(r.score()).append(',');
            line.append(r.alerted()).append(',');
            CsvLine.appendCell(line, r.modelVersion()).append(',');
            CsvLine.appendCell(line, r.adapterVersion());
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
