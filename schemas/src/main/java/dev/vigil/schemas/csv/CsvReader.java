package dev.vigil.schemas.csv;

import dev.vigil.schemas.csv.TransactionCsv.BadRow;
import dev.vigil.schemas.csv.TransactionCsv.BadRowListener;
import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.function.Function;

/**
 * Reads a CSV file with a header row one record at a time, streaming, so a file of any size fits in memory. Every
 * later line is one record (a quoted cell cannot span lines); blank lines are skipped but counted, and a line that
 * cannot be read goes to a {@link BadRowListener} with its 1-based line number instead of ending the read.
 *
 * @param <T> the record of one line
 */
public abstract class CsvReader<T> implements Closeable {

    private final BufferedReader in;
    private final CsvColumns columns;
    private long lineNumber = 1;
    private long badRows;

    /**
     * Reads the header row. Closes {@code in} and throws IllegalArgumentException when the file is empty (the message
     * ends {@code expected <expected>}) or {@code header} refuses the header line.
     *
     * @param header the file's columns from its header line
     */
    protected CsvReader(BufferedReader in, String source, String expected, Function<String, CsvColumns> header)
            throws IOException {
        this.in = in;
        try {
            String first = in.readLine();
            if (first == null) {
                throw new IllegalArgumentException(source + " is empty: expected " + expected);
            }
            this.columns = header.apply(first);
        } catch (IOException | RuntimeException e) {
            in.close();
            throw e;
        }
    }

    /** The file's columns, as its header names them. */
    protected final CsvColumns columns() {
        return columns;
    }

    /** One record from a data line's cells; throws IllegalArgumentException with a reason a person can act on. */
    protected abstract T parse(CsvColumns.Row row);

    /** The next good record, or null at the end; each bad row on the way goes to the listener. */
    public T next(BadRowListener listener) {
        try {
            String line;
            while ((line = in.readLine()) != null) {
                lineNumber++;
                if (line.isBlank()) {
                    continue;
                }
                try {
                    return parse(columns.row(line));
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

    /** The line number of the record {@link #next} returned last. */
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
