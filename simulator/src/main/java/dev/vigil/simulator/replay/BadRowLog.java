package dev.vigil.simulator.replay;

import dev.vigil.schemas.csv.TransactionCsv.BadRow;
import dev.vigil.schemas.csv.TransactionCsv.BadRowListener;
import java.util.ArrayList;
import java.util.List;

/**
 * Counts the bad rows of a CSV and keeps the first few with their line numbers: enough to find and fix them, bounded
 * however broken the file is. A bad row is never fatal to a replay.
 */
public final class BadRowLog implements BadRowListener {

    public static final int DEFAULT_LISTED = 20;

    private final int listed;
    private final List<BadRow> first = new ArrayList<>();
    private long total;

    public BadRowLog() {
        this(DEFAULT_LISTED);
    }

    /** @param listed how many bad rows to keep with their line number and reason */
    public BadRowLog(int listed) {
        if (listed < 0) {
            throw new IllegalArgumentException("listed must not be negative: " + listed);
        }
        this.listed = listed;
    }

    @Override
    public void onBadRow(BadRow bad) {
        total++;
        if (first.size() < listed) {
            first.add(bad);
        }
    }

    public long total() {
        return total;
    }

    /** The first bad rows in file order, at most the number this log lists. */
    public List<BadRow> first() {
        return List.copyOf(first);
    }

    /** "3 bad rows: line 7: amount is empty; line 9: ..." or "no bad rows". */
    public String summary() {
        if (total == 0) {
            return "no bad rows";
        }
        StringBuilder text = new StringBuilder().append(total).append(total == 1 ? " bad row" : " bad rows");
        String separator = ": ";
        for (BadRow bad : first) {
            text.append(separator).append("line ").append(bad.lineNumber()).append(": ").append(bad.reason());
            separator = "; ";
        }
        if (total > first.size()) {
            text.append("; ... and ").append(total - first.size()).append(" more");
        }
        return text.toString();
    }
}
