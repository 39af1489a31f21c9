package dev.vigil.cli.chaos;

import dev.vigil.cli.report.LatencyPercentiles;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the chaos run sent and what came back, with wall-clock times: every payment produced (id, when), every score
 * read with read_committed (id, partition, when it became visible, degraded or not, adapter) and every dead letter
 * (stage, when). {@link #row} cuts it by fault window. Thread-safe: the feeder and the readers write, the run reads.
 */
final class Ledger {

    /** A payment that waited longer than this for its score counts toward a fault's recovery time. */
    static final long SLOW_MILLIS = 1_000;

    record Score(String id, int partition, long visibleMillis, boolean degraded, String adapter) {}

    record DeadLetterSeen(String stage, String message, long visibleMillis) {}

    /**
     * One fault's line of the table.
     *
     * @param recoveryMillis from the fault until the last payment produced in its window that waited over
     *                       {@link #SLOW_MILLIS} had its score (0: none waited that long)
     * @param contextBackMillis from the heal until the last degraded score of the window (0: none after the heal)
     */
    record Row(String fault, int produced, int scored, int missing, int duplicated, Map<String, Integer> deadLetters,
               double degradedShare, long p99Millis, long maxWaitMillis, long largestGapMillis, long recoveryMillis,
               long contextBackMillis, boolean resumed, String note) {}

    private final Map<String, Long> produced = new ConcurrentHashMap<>();
    private final List<Score> scores = java.util.Collections.synchronizedList(new ArrayList<>());
    private final List<DeadLetterSeen> deadLetters = java.util.Collections.synchronizedList(new ArrayList<>());

    void produced(String id, long atMillis) {
        produced.put(id, atMillis);
    }

    void scored(Score score) {
        scores.add(score);
    }

    void deadLetter(DeadLetterSeen letter) {
        deadLetters.add(letter);
    }

    int producedCount() {
        return produced.size();
    }

    /** How many of the produced payments have at least one score. */
    int scoredCount() {
        Map<String, Integer> counts = counts();
        return (int) produced.keySet().stream().filter(counts::containsKey).count();
    }

    /** Produced payments without a score. */
    int missing() {
        return producedCount() - scoredCount();
    }

    /** Payments scored more than once, and scores of ids never produced as payments (both exactly-once breaks). */
    int duplicated() {
        int extra = 0;
        for (Map.Entry<String, Integer> e : counts().entrySet()) {
            extra += produced.containsKey(e.getKey()) ? e.getValue() - 1 : e.getValue();
        }
        return extra;
    }

    List<Score> scores() {
        synchronized (scores) {
            return List.copyOf(scores);
        }
    }

    private Map<String, Integer> counts() {
        Map<String, Integer> counts = new HashMap<>();
        for (Score s : scores()) {
            counts.merge(s.id(), 1, Integer::sum);
        }
        return counts;
    }

    /**
     * The line of a fault injected at {@code faultMillis} and healed at {@code healedMillis}, over the payments
     * produced in [{@code startMillis}, {@code endMillis}) and the dead letters and score gaps seen then.
     */
    Row row(String fault, long startMillis, long faultMillis, long healedMillis, long endMillis, String note) {
        List<Score> all = scores();
        Map<String, List<Score>> byId = new HashMap<>();
        all.forEach(s -> byId.computeIfAbsent(s.id(), k -> new ArrayList<>()).add(s));
        int producedHere = 0;
        int scoredHere = 0;
        int duplicatedHere = 0;
        int degraded = 0;
        long lastSlowVisible = 0;
        boolean resumed = false;
        List<Double> waits = new ArrayList<>();
        boolean producedAfterHeal = false;
        long lastDegradedAfterHeal = 0;
        for (Map.Entry<String, Long> p : produced.entrySet()) {
            long at = p.getValue();
            if (at < startMillis || at >= endMillis) {
                continue;
            }
            producedHere++;
            List<Score> mine = byId.getOrDefault(p.getKey(), List.of());
            if (at >= healedMillis) {
                producedAfterHeal = true;
            }
            if (mine.isEmpty()) {
                continue;
            }
            scoredHere++;
            duplicatedHere += mine.size() - 1;
            Score first = mine.get(0);
            if (first.degraded()) {
                degraded++;
                if (at >= healedMillis) {
                    lastDegradedAfterHeal = Math.max(lastDegradedAfterHeal, first.visibleMillis());
                }
            }
            waits.add((double) (first.visibleMillis() - at));
            if (first.visibleMillis() - at > SLOW_MILLIS) {
                lastSlowVisible = Math.max(lastSlowVisible, first.visibleMillis());
            }
            if (at >= healedMillis) {
                resumed = true;
            }
        }
        LatencyPercentiles waitP99 = LatencyPercentiles.of(waits.stream().mapToDouble(Double::doubleValue).toArray());
        Map<String, Integer> letters = new TreeMap<>();
        synchronized (deadLetters) {
            for (DeadLetterSeen d : deadLetters) {
                if (d.visibleMillis() >= startMillis && d.visibleMillis() < endMillis) {
                    letters.merge(d.stage(), 1, Integer::sum);
                }
            }
        }
        return new Row(fault, producedHere, scoredHere, producedHere - scoredHere, duplicatedHere, letters,
                scoredHere == 0 ? 0 : (double) degraded / scoredHere, waitP99.samples() == 0 ? 0 : (long) waitP99.p99(),
                waitP99.samples() == 0 ? 0 : (long) waitP99.max(),
                largestGap(all, startMillis, endMillis),
                lastSlowVisible == 0 ? 0 : lastSlowVisible - faultMillis,
                lastDegradedAfterHeal == 0 ? 0 : lastDegradedAfterHeal - healedMillis,
                resumed || !producedAfterHeal, note);
    }

    /**
     * The longest time any one partition of the scores topic went without a new visible score, for gaps that end
     * inside the window (payments arrive on every partition many times a second, so a gap is a stall).
     */
    private static long largestGap(List<Score> all, long startMillis, long endMillis) {
        Map<Integer, List<Long>> byPartition = new HashMap<>();
        for (Score s : all) {
            byPartition.computeIfAbsent(s.partition(), k -> new ArrayList<>()).add(s.visibleMillis());
        }
        long gap = 0;
        for (List<Long> times : byPartition.values()) {
            times.sort(Comparator.naturalOrder());
            for (int i = 1; i < times.size(); i++) {
                long t = times.get(i);
                if (t >= startMillis && t < endMillis) {
                    gap = Math.max(gap, t - times.get(i - 1));
                }
            }
        }
        return gap;
    }
}
