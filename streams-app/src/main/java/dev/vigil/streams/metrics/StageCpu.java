package dev.vigil.streams.metrics;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * Where the stream threads' CPU goes, stage by stage: the thread's own CPU time (not wall time, which on a shared
 * machine counts the time the thread waited for a core) read at each boundary between two stages of a batch, summed
 * per stage over every batch and every stream thread.
 *
 * <p>Reading a thread's CPU clock costs about 1.5 us here (a system call), so it is read at the stage boundaries of
 * one batch in {@link #BATCH_SAMPLE} (nine reads), whose times count for the batches not timed, and the per-record
 * step ({@link Stage#BUFFER}, in {@code ScoringProcessor.process}) is timed on one record in {@link #BUFFER_SAMPLE}.
 * Timing every batch cost 14 us a batch: more than the batch itself at the one or two payments a batch holds when
 * payments arrive slowly.
 * Whatever a stream thread does outside the scoring processor (polling, committing, flushing the stores and their
 * changelogs, Kafka Streams' own loop) is not here: it is the thread's total CPU minus the sum of these stages, which
 * the pipeline bench prints as "commit, poll and Streams' loop".
 *
 * <p>Thread-safe; a {@link Lap} belongs to one thread.
 */
public final class StageCpu {

    /** One record in this many is timed in {@link Stage#BUFFER}. */
    public static final int BUFFER_SAMPLE = 16;
    /** One batch in this many is timed, stage by stage. */
    public static final int BATCH_SAMPLE = 4;

    /** The stages of scoring, in the order a batch goes through them. */
    public enum Stage {
        BUFFER("buffer", "read and buffer (pending store)"),
        DECODE("decode_validate", "decode and validate"),
        CARD_STATE("card_state", "card state (store reads and writes)"),
        FEATURES("features", "features"),
        CONTEXT("context", "context"),
        INFERENCE("inference", "inference"),
        DECISION("decision_reasons", "decision and reasons"),
        ENCODE_PRODUCE("encode_produce", "encode and produce");

        private final String tag;
        private final String label;

        Stage(String tag, String label) {
            this.tag = tag;
            this.label = label;
        }

        /** The metric tag, e.g. {@code card_state}. */
        public String tag() {
            return tag;
        }

        /** What a person reads, e.g. {@code card state (store reads and writes)}. */
        public String label() {
            return label;
        }
    }

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private final boolean enabled;
    private final Map<Stage, LongAdder> nanos = new EnumMap<>(Stage.class);

    /** Counting when the JVM can read a thread's CPU time. */
    public StageCpu() {
        this(THREADS.isCurrentThreadCpuTimeSupported());
    }

    StageCpu(boolean enabled) {
        this.enabled = enabled;
        for (Stage s : Stage.values()) {
            nanos.put(s, new LongAdder());
        }
    }

    /** Whether stages are counted at all (false where the JVM cannot read a thread's CPU time). */
    public boolean enabled() {
        return enabled;
    }

    /** CPU nanoseconds counted for {@code stage} so far. */
    public long nanos(Stage stage) {
        return nanos.get(stage).sum();
    }

    /** Adds {@code n} nanoseconds to a stage (a sampled measurement scaled up). */
    public void add(Stage stage, long n) {
        nanos.get(stage).add(n);
    }

    /** The current thread's CPU time in nanoseconds, or 0 when not counting. */
    public long now() {
        return enabled ? THREADS.getCurrentThreadCpuTime() : 0;
    }

    /**
     * Starts timing a batch on the current thread: each {@link Lap#end} charges the time since the last one, counted
     * {@code weight} times (the batches it stands for); a weight of 0 times nothing and reads no clock.
     */
    public Lap lap(int weight) {
        return new Lap(enabled ? weight : 0);
    }

    /** The stages of one batch on one thread. */
    public final class Lap {
        private final int weight;
        private long last;

        private Lap(int weight) {
            this.weight = weight;
            this.last = weight > 0 ? THREADS.getCurrentThreadCpuTime() : 0;
        }

        /** Charges the CPU time since the previous boundary to {@code stage}. */
        public void end(Stage stage) {
            if (weight == 0) {
                return;
            }
            long t = THREADS.getCurrentThreadCpuTime();
            nanos.get(stage).add((t - last) * weight);
            last = t;
        }
    }
}
