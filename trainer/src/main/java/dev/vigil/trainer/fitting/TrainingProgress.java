package dev.vigil.trainer.fitting;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * Progress lines of a training phase: epoch, step, running loss, throughput and time left, at most one line every
 * {@code intervalNanos} plus one at the end of every epoch.
 *
 * <pre>
 * base     epoch 2/6  step  120/190  loss 0.03121  2,954 ex/s  ETA 1m12s
 * </pre>
 */
public final class TrainingProgress {

    private final PrintWriter out;
    private final LongSupplier clock;
    private final long intervalNanos;
    private String phase = "";
    private int epochs;
    private int stepsPerEpoch;
    private long totalExamples;
    private long examplesDone;
    private long started;
    private long lastPrint;

    public TrainingProgress(PrintWriter out, LongSupplier clock, long intervalNanos) {
        this.out = out;
        this.clock = clock;
        this.intervalNanos = intervalNanos;
    }

    /** Prints to {@code out} at most every 5 seconds of wall time. */
    public static TrainingProgress every5Seconds(PrintWriter out) {
        return new TrainingProgress(out, System::nanoTime, 5_000_000_000L);
    }

    /** Silent (tests). */
    public static TrainingProgress silent() {
        return new TrainingProgress(null, System::nanoTime, Long.MAX_VALUE);
    }

    void start(String phaseName, int epochCount, int steps, long examplesPerEpoch) {
        phase = phaseName;
        epochs = epochCount;
        stepsPerEpoch = steps;
        totalExamples = examplesPerEpoch * epochCount;
        examplesDone = 0;
        started = clock.getAsLong();
        lastPrint = started;
    }

    void step(int epoch, int step, int batchExamples, double runningLoss) {
        examplesDone += batchExamples;
        long now = clock.getAsLong();
        boolean epochEnd = step == stepsPerEpoch;
        if (out != null && (epochEnd || now - lastPrint >= intervalNanos)) {
            lastPrint = now;
            out.println(line(epoch, step, runningLoss, now));
            out.flush();
        }
    }

    /** One progress line; package-private for tests. */
    String line(int epoch, int step, double runningLoss, long now) {
        double seconds = (now - started) / 1e9;
        double rate = seconds > 0 ? examplesDone / seconds : 0;
        double left = rate > 0 ? (totalExamples - examplesDone) / rate : Double.NaN;
        return String.format(Locale.ROOT, "%-8s epoch %d/%d  step %4d/%d  loss %.5f  %,.0f ex/s  ETA %s",
                phase, epoch, epochs, step, stepsPerEpoch, runningLoss, rate, duration(left));
    }

    static String duration(double seconds) {
        if (Double.isNaN(seconds)) {
            return "?";
        }
        long s = Math.round(seconds);
        return s >= 60 ? (s / 60) + "m" + String.format(Locale.ROOT, "%02d", s % 60) + "s" : s + "s";
    }
}
