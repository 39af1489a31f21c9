package dev.vigil.schemas.csv;

import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes a CSV file: the header row, then one line per record, text cells through {@link CsvLine#appendCell} (quoted
 * when needed; a line break refused, since every reader here reads one record per line).
 *
 * @param <T> the record of one line
 */
public abstract class CsvWriter<T> implements Closeable {

    private final BufferedWriter out;
    private final StringBuilder line = new StringBuilder(256);

    /** Creates {@code file} (and its parent directories) and writes {@code header}. */
    protected CsvWriter(Path file, String header) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        this.out = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
        out.write(header);
        out.newLine();
    }

    /** Appends the cells of {@code row}, comma-separated, to {@code line} (empty on the call). */
    protected abstract void format(T row, StringBuilder line);

    public void write(T row) throws IOException {
        line.setLength(0);
        format(row, line);
        out.append(line);
        out.newLine();
    }

    public void flush() throws IOException {
        out.flush();
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}
