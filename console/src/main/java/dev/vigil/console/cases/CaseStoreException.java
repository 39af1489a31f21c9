package dev.vigil.console.cases;

/** The case store did not answer, or answered with something unusable; the message says which. */
public final class CaseStoreException extends RuntimeException {
    public CaseStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
