package dev.vigil.model.context;

import java.util.Objects;

/**
 * One neighbour found by the similar-case search: a fraud-labeled past case and its cosine similarity to the query
 * vector, as computed by {@link CaseSimilarity#cosine} (both context sources report that same double).
 */
public record SimilarCase(String transactionId, double similarity) {

    public SimilarCase {
        Objects.requireNonNull(transactionId, "transactionId");
    }

    /** Most similar first; on equal similarity, the smaller transaction id first: the order of every source. */
    static int order(SimilarCase a, SimilarCase b) {
        int bySimilarity = Double.compare(b.similarity, a.similarity);
        return bySimilarity != 0 ? bySimilarity : a.transactionId.compareTo(b.transactionId);
    }
}
