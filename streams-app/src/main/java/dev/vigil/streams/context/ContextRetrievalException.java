package dev.vigil.streams.context;

/**
 * OpenSearch did not answer usefully. {@link #reason()} is what the scoring path reports as the degraded reason of a
 * score made without context ({@code fraud.scores.degraded_reasons}).
 */
public final class ContextRetrievalException extends RuntimeException {

    /** Why retrieval failed. */
    public enum Reason {
        /** No answer within the request timeout. */
        TIMEOUT("context_timeout"),
        /** Not reachable, or a server-side error (5xx). */
        UNAVAILABLE("context_unavailable"),
        /** An answer that could not be used: a 4xx, or a body of an unexpected shape (a bug or a wrong index). */
        BAD_RESPONSE("context_bad_response");

        private final String code;

        Reason(String code) {
            this.code = code;
        }

        /** The value written into {@code degraded_reasons}. */
        public String code() {
            return code;
        }
    }

    private final Reason reason;

    public ContextRetrievalException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public ContextRetrievalException(Reason reason, String message) {
        this(reason, message, null);
    }

    public Reason reason() {
        return reason;
    }
}
