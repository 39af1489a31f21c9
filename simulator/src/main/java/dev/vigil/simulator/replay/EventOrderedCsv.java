package dev.vigil.simulator.replay;

import dev.vigil.schemas.csv.CsvTransaction;
import dev.vigil.schemas.csv.TransactionCsv;
import dev.vigil.schemas.csv.TransactionCsv.BadRow;
import dev.vigil.schemas.csv.TransactionCsv.BadRowListener;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * A canonical transaction CSV read in event-time order, whatever the order of its rows, without holding the rows.
 *
 * <p>{@link #scan} reads the file once: it parses every row (so every bad row is reported, with its line number,
 * before anything is published), and for each good row inside the window records only its event time and where its
 * line lies in an {@link EventTimeIndex} (16 bytes a row). If the rows came in event-time order, as the simulator
 * writes them, the index is already sorted; otherwise it is sorted in place. {@link #iterator} then reads the lines
 * back in index order from the memory-mapped file and parses them again: sequential for a sorted file, random access
 * served from the page cache otherwise. Ties keep file order.
 *
 * <p>Lines follow {@link TransactionCsv.Reader}: line 1 is the header, blank lines are skipped but counted, a
 * trailing '\r' is dropped, and a quoted cell cannot span lines.
 */
public final class EventOrderedCsv implements Closeable, Iterable<CsvTransaction> {

    private final Path file;
    private final MappedLines lines;
    private final TransactionCsv.Header header;
    private final EventTimeIndex index;
    private final boolean sortedOnDisk;
    private final long goodRows;
    private final long badRows;
    private final long fraudRowsInWindow;

    private EventOrderedCsv(Path file, MappedLines lines, TransactionCsv.Header header, EventTimeIndex index,
            boolean sortedOnDisk, long goodRows, long badRows, long fraudRowsInWindow) {
        this.file = file;
        this.lines = lines;
        this.header = header;
        this.index = index;
        this.sortedOnDisk = sortedOnDisk;
        this.goodRows = goodRows;
        this.badRows = badRows;
        this.fraudRowsInWindow = fraudRowsInWindow;
    }

    /**
     * Reads the file once, reporting bad rows to {@code badRows}, and indexes the good rows inside the window.
     *
     * @throws IllegalArgumentException when the file is empty or its header lacks a required column
     */
    public static EventOrderedCsv scan(Path file, ReplayWindow window, BadRowListener badRows) throws IOException {
        return scan(file, window, badRows, MappedLines.DEFAULT_SEGMENT_BITS);
    }

    static EventOrderedCsv scan(Path file, ReplayWindow window, BadRowListener badRowListener, int segmentBits)
            throws IOException {
        MappedLines lines = new MappedLines(file, segmentBits);
        try {
            TransactionCsv.Header header = null;
            EventTimeIndex index = new EventTimeIndex();
            long good = 0;
            long bad = 0;
            long fraud = 0;
            long lineNumber = 0;
            long position = 0;
            long size = lines.size();
            while (position < size) {
                long newline = lines.indexOfNewline(position);
                long length = newline - position;
                if (length > 0 && lines.byteAt(newline - 1) == '\r') {
                    length--;
                }
                lineNumber++;
                if (length > EventTimeIndex.MAX_LINE_BYTES) {
                    if (header == null) {
                        throw new IllegalArgumentException(file + ": the header line is longer than "
                                + EventTimeIndex.MAX_LINE_BYTES + " bytes");
                    }
                    bad++;
                    badRowListener.onBadRow(new BadRow(lineNumber, "line is longer than "
                            + EventTimeIndex.MAX_LINE_BYTES + " bytes"));
                } else {
                    String text = lines.line(position, (int) length);
                    if (header == null) {
                        header = new TransactionCsv.Header(text, file.toString());
                    } else if (!text.isBlank()) {
                        CsvTransaction row = null;
                        try {
                            row = header.parse(text);
                        } catch (RuntimeException e) {
                            bad++;
                            badRowListener.onBadRow(new BadRow(lineNumber, e.getMessage()));
                        }
                        if (row != null) {
                            good++;
                            long time = row.eventTime().toEpochMilli();
                            if (window.contains(time)) {
                                index.add(time, position, (int) length);
                                if (row.isFraud()) {
                                    fraud++;
                                }
                            }
                        }
                    }
                }
                position = newline + 1;
            }
            if (header == null) {
                throw new IllegalArgumentException(file + " is empty: expected a header row");
            }
            boolean sortedOnDisk = index.addedInEventTimeOrder();
            index.sort();
            return new EventOrderedCsv(file, lines, header, index, sortedOnDisk, good, bad, fraud);
        } catch (RuntimeException e) {
            lines.close();
            throw e;
        }
    }

    public Path file() {
        return file;
    }

    public TransactionCsv.Header header() {
        return header;
    }

    /** True when the file has a label column, so chargebacks can be derived from it. */
    public boolean hasLabels() {
        return header.has("label");
    }

    /** True when the rows in the window were already in event-time order in the file (no sort was needed). */
    public boolean sortedOnDisk() {
        return sortedOnDisk;
    }

    /** Good rows in the whole file, inside the window or not. */
    public long goodRows() {
        return goodRows;
    }

    public long badRows() {
        return badRows;
    }

    /** Rows {@link #iterator} returns: the good rows inside the window. */
    public int rowsInWindow() {
        return index.size();
    }

    public long fraudRowsInWindow() {
        return fraudRowsInWindow;
    }

    /** The good rows inside the window, by event time, ties in file order. Not thread-safe; one pass at a time. */
    @Override
    public Iterator<CsvTransaction> iterator() {
        return new Iterator<>() {
            private int next;

            @Override
            public boolean hasNext() {
                return next < index.size();
            }

            @Override
            public CsvTransaction next() {
                if (next >= index.size()) {
                    throw new NoSuchElementException();
                }
                int i = next++;
                String text = lines.line(index.offset(i), index.length(i));
                try {
                    return header.parse(text);
                } catch (RuntimeException e) {
                    throw new IllegalStateException(file + " changed while it was being replayed: the row at byte "
                            + index.offset(i) + " no longer parses (" + e.getMessage() + ")", e);
                }
            }
        };
    }

    @Override
    public void close() throws IOException {
        lines.close();
    }
}
