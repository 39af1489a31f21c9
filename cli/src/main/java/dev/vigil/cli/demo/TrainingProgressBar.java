package dev.vigil.cli.demo;

import java.io.PrintWriter;
import java.io.Writer;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns the trainer's progress lines ({@code base     epoch 2/6  step  120/190  loss 0.03121  2,954 ex/s  ETA 1m12s})
 * into a progress bar: redrawn in place on a terminal, one line per tenth of a phase otherwise. It is the writer the
 * trainer's {@code TrainingProgress} prints to, so the trainer stays unaware of how its progress is shown.
 */
final class TrainingProgressBar extends Writer {

    private static final Pattern LINE = Pattern.compile(
            "^(\\S+)\\s+epoch (\\d+)/(\\d+)\\s+step\\s+(\\d+)/(\\d+)\\s+loss ([0-9.eE+-]+|NaN)\\s+([0-9,]+) ex/s\\s+ETA (\\S+)");
    private static final int WIDTH = 30;

    private final PrintWriter out;
    private final boolean redraw;
    private final StringBuilder pending = new StringBuilder();
    private String phase = "";
    private int lastTenth = -1;
    private boolean drawn;

    TrainingProgressBar(PrintWriter out, boolean redraw) {
        this.out = out;
        this.redraw = redraw;
    }

    @Override
    public synchronized void write(char[] buffer, int offset, int length) {
        for (int i = offset; i < offset + length; i++) {
            char c = buffer[i];
            if (c == '\n') {
                line(pending.toString());
                pending.setLength(0);
            } else if (c != '\r') {
                pending.append(c);
            }
        }
    }

    private void line(String text) {
        Matcher m = LINE.matcher(text.trim());
        if (!m.find()) {
            return;
        }
        String name = m.group(1);
        int epoch = Integer.parseInt(m.group(2));
        int epochs = Integer.parseInt(m.group(3));
        int step = Integer.parseInt(m.group(4));
        int steps = Integer.parseInt(m.group(5));
        double fraction = Math.min(1.0, ((epoch - 1) * (double) steps + step) / ((double) epochs * steps));
        if (!name.equals(phase)) {
            if (drawn && redraw) {
                out.println();
            }
            phase = name;
            lastTenth = -1;
        }
        int filled = (int) Math.round(fraction * WIDTH);
        String bar = String.format(Locale.ROOT, "      %-8s [%s%s] %3.0f%%  epoch %d/%d  loss %s  %s ex/s  ETA %s",
                name, "#".repeat(filled), ".".repeat(WIDTH - filled), 100 * fraction, epoch, epochs, m.group(6),
                m.group(7), m.group(8));
        if (redraw) {
            out.print("\r" + bar + "\u001b[K");
            drawn = true;
        } else {
            int tenth = (int) Math.floor(fraction * 10);
            if (tenth == lastTenth) {
                return;
            }
            lastTenth = tenth;
            out.println(bar);
        }
        out.flush();
    }

    /** Ends the bar's line. */
    void finish() {
        if (drawn && redraw) {
            out.println();
            out.flush();
        }
        drawn = false;
    }

    @Override
    public void flush() {
        out.flush();
    }

    @Override
    public void close() {
        finish();
    }
}
