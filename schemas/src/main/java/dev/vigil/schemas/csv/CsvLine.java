package dev.vigil.schemas.csv;

import java.util.ArrayList;
import java.util.List;

/** One line of a CSV file, as every CSV Vigil reads is written: RFC 4180 quoting, one record per line. */
public final class CsvLine {

    private CsvLine() {
    }

    /** Splits one line (RFC 4180 quoting; a quoted cell may hold commas and doubled quotes). */
    public static List<String> split(String line) {
        List<String> cells = new ArrayList<>(16);
        StringBuilder cell = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '"') {
                    if (i + 1 < line.length() && line.charAt(i + 1) == '"') {
                        cell.append('"');
                        i++;
                    } else {
                        quoted = false;
                    }
                } else {
                    cell.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                cells.add(cell.toString());
                cell.setLength(0);
            } else {
                cell.append(c);
            }
        }
        if (quoted) {
            throw new IllegalArgumentException("unterminated quote");
        }
        cells.add(cell.toString());
        return cells;
    }

    /**
     * Appends one cell, quoted only when it holds a comma or a quote. A line break is refused: every reader here reads
     * one record per line, so such a cell could not be read back.
     */
    public static StringBuilder appendCell(StringBuilder line, String value) {
        if (value == null) {
            return line;
        }
        if (value.indexOf('\n') >= 0 || value.indexOf('\r') >= 0) {
            throw new IllegalArgumentException("a CSV cell cannot hold a line break: '" + value + "'");
        }
        if (value.indexOf(',') < 0 && value.indexOf('"') < 0) {
            return line.append(value);
        }
        return line.append('"').append(value.replace("\"", "\"\"")).append('"');
    }
}
