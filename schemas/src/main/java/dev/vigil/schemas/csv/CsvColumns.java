package dev.vigil.schemas.csv;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The columns a reader knows, found by name in a CSV file's header row: case and surrounding spaces do not matter, a
 * byte-order mark is dropped, unknown columns are ignored and the first of a repeated name wins. The reader's own list
 * orders them, required ones first, and it asks for a cell by its position in that list, whatever the file's order.
 */
public final class CsvColumns {

    private final List<String> known;
    private final int[] index;
    private final int width;

    /**
     * @param known       the columns the reader knows, the required ones first
     * @param required    how many of {@code known}, from the first, a file must have
     * @param source      names the file in the message
     * @param requirement ends the message when a required column is missing, e.g. {@code required are [...]}
     * @throws IllegalArgumentException naming the required columns the header lacks
     */
    public CsvColumns(String headerLine, List<String> known, int required, String source, String requirement) {
        List<String> names = CsvLine.split(headerLine.startsWith("\uFEFF") ? headerLine.substring(1) : headerLine);
        Map<String, Integer> positions = new HashMap<>();
        for (int i = 0; i < names.size(); i++) {
            positions.putIfAbsent(names.get(i).trim().toLowerCase(Locale.ROOT), i);
        }
        this.known = List.copyOf(known);
        this.index = new int[known.size()];
        List<String> missing = new ArrayList<>();
        for (int c = 0; c < known.size(); c++) {
            Integer at = positions.get(known.get(c));
            index[c] = at == null ? -1 : at;
            if (at == null && c < required) {
                missing.add(known.get(c));
            }
        }
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException(source + ": the header lacks required column(s) " + missing + "; "
                    + requirement);
        }
        this.width = names.size();
    }

    /** True when the header has {@code column} (false for a column the reader does not know). */
    public boolean has(String column) {
        int c = known.indexOf(column);
        return c >= 0 && index[c] >= 0;
    }

    /** The cells of a data line; throws IllegalArgumentException when it has fewer cells than the header. */
    public Row row(String line) {
        List<String> cells = CsvLine.split(line);
        if (cells.size() < width) {
            throw new IllegalArgumentException("expected " + width + " columns, found " + cells.size());
        }
        return new Row(cells);
    }

    /** One data line's cells, asked for by the column's position in the reader's list. */
    public final class Row {
        private final List<String> cells;

        private Row(List<String> cells) {
            this.cells = cells;
        }

        /** The trimmed cell; throws IllegalArgumentException naming the column when it is empty. */
        public String required(int column) {
            String value = cells.get(index[column]).trim();
            if (value.isEmpty()) {
                throw new IllegalArgumentException(known.get(column) + " is empty");
            }
            return value;
        }

        /** The trimmed cell, or null when it is empty or the file has no such column. */
        public String optional(int column) {
            int at = index[column];
            if (at < 0) {
                return null;
            }
            String value = cells.get(at).trim();
            return value.isEmpty() ? null : value;
        }
    }
}
