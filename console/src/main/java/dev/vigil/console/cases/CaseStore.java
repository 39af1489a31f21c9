package dev.vigil.console.cases;

import java.util.List;
import java.util.Optional;

/**
 * The store of past cases the console searches: the {@code cases} index the scorer's case indexer writes
 * ({@link OpenSearchCases}). A failure to reach it is a {@link CaseStoreException}.
 */
public interface CaseStore {

    /** The indexed case, if there is one. */
    Optional<IndexedCase> find(String transactionId);

    /** How many of the merchant's cases are labeled fraud and genuine. */
    MerchantHistory merchantHistory(String merchantId);

    /** The past cases labeled fraud most like this one (by its case vector), most similar first; none without a vector. */
    List<IndexedCase> similarFrauds(String transactionId, int k);

    /** The cases that pass every filter given, newest first, at most {@code filter.limit()}. */
    List<IndexedCase> search(SearchFilter filter);

    /** A store with nothing in it (a console started without OpenSearch, and tests). */
    CaseStore EMPTY = new CaseStore() {
        @Override
        public Optional<IndexedCase> find(String transactionId) {
            return Optional.empty();
        }

        @Override
        public MerchantHistory merchantHistory(String merchantId) {
            return new MerchantHistory(merchantId, 0, 0);
        }

        @Override
        public List<IndexedCase> similarFrauds(String transactionId, int k) {
            return List.of();
        }

        @Override
        public List<IndexedCase> search(SearchFilter filter) {
            return List.of();
        }
    };
}
