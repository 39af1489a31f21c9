package dev.vigil.model.context;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * The k nearest fraud cases (cosine similarity of case vectors) known at an instant t: cases labeled fraud with label
 * time &lt;= t and event time &lt; t (so never the payment itself), most similar first, ties by transaction id.
 * Only fraud-labeled cases are searched, in training and at serving alike: the training history has only fraud labels
 * (chargebacks), analysts' genuine labels exist only at serving time, so searching them would make the two worlds differ.
 *
 * @param neighbours at most {@code k}, in {@link SimilarCase} order
 * @param k how many were asked for
 * @param missing true only for {@link #missing(int)}: retrieval failed, nothing is known
 */
public record SimilarCases(List<SimilarCase> neighbours, int k, boolean missing) {

    /** The order of {@link #neighbours}. */
    public static final Comparator<SimilarCase> ORDER = SimilarCase::order;

    public SimilarCases {
        neighbours = List.copyOf(Objects.requireNonNull(neighbours, "neighbours"));
        if (k <= 0) {
            throw new IllegalArgumentException("k must be positive: " + k);
        }
        if (neighbours.size() > k) {
            throw new IllegalArgumentException(neighbours.size() + " neighbours for k = " + k);
        }
        if (missing && !neighbours.isEmpty()) {
            throw new IllegalArgumentException("missing similar cases cannot have neighbours");
        }
    }

    /** Retrieval failed: the encoder writes zeros and sets the {@code similar_cases_missing} flag. */
    public static SimilarCases missing(int k) {
        return new SimilarCases(List.of(), k, true);
    }

    /** Nothing similar was found (no fraud case known yet, or a zero query vector). */
    public static SimilarCases none(int k) {
        return new SimilarCases(List.of(), k, false);
    }

    /** Sorts candidates into {@link #ORDER} and keeps the first k. */
    public static SimilarCases ofCandidates(List<SimilarCase> candidates, int k) {
        List<SimilarCase> sorted = new ArrayList<>(candidates);
        sorted.sort(ORDER);
        return new SimilarCases(sorted.subList(0, Math.min(k, sorted.size())), k, false);
    }

    public int found() {
        return neighbours.size();
    }

    /** Similarity of the nearest neighbour; 0 when none was found. */
    public double top1() {
        return neighbours.isEmpty() ? 0.0 : neighbours.get(0).similarity();
    }

    /** Mean similarity of the neighbours found (at most k); 0 when none was found. */
    public double meanSimilarity() {
        if (neighbours.isEmpty()) {
            return 0.0;
        }
        double sum = 0;
        for (SimilarCase n : neighbours) {
            sum += n.similarity();
        }
        return sum / neighbours.size();
    }

    /** Neighbours (among the k) with similarity &gt;= threshold. */
    public int countAtLeast(double threshold) {
        int count = 0;
        for (SimilarCase n : neighbours) {
            if (n.similarity() >= threshold) {
                count++;
            }
        }
        return count;
    }
}
