package dev.vigil.model.context;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Retrieved context as known at an instant: the merchant's labeled fraud history and the most similar labeled fraud
 * cases. One interface, two implementations that must answer the same on the same history: the trainer's
 * {@link HistoryContextSource} (in memory, built from the history) and the streams app's OpenSearch source (the
 * {@code cases} index). A test proves they agree.
 *
 * <p>Point in time: every answer as of t uses only labels with label time &lt;= t and cases with event time &lt; t.
 * The definitions are on {@link MerchantContext} and {@link SimilarCases}.
 */
public interface ContextSource {

    /** The merchant's labeled fraud counts, transaction counts and days since its last fraud label, as of asOf. */
    MerchantContext merchant(String merchantId, Instant asOf);

    /** The k fraud cases nearest to the case vector (cosine), as of asOf. */
    SimilarCases similar(float[] caseVector, Instant asOf, int k);

    /** Both, for many payments at once (one round trip for a remote source). Answers in the order of the queries. */
    default List<RetrievedContext> retrieve(List<ContextQuery> queries) {
        List<RetrievedContext> answers = new ArrayList<>(queries.size());
        for (ContextQuery q : queries) {
            answers.add(new RetrievedContext(merchant(q.merchantId(), q.asOf()), similar(q.caseVector(), q.asOf(), q.k())));
        }
        return answers;
    }

    /** What one payment needs retrieved. */
    record ContextQuery(String merchantId, float[] caseVector, Instant asOf, int k) {
    }

    /** What was retrieved for one payment. */
    record RetrievedContext(MerchantContext merchant, SimilarCases similar) {
        /** Retrieval failed altogether. */
        public static RetrievedContext missing(int k) {
            return new RetrievedContext(MerchantContext.MISSING, SimilarCases.missing(k));
        }
    }
}
