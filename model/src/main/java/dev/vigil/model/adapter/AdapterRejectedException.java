package dev.vigil.model.adapter;

import java.util.Locale;
import java.util.Objects;

/**
 * A release on {@code fraud.adapters} that must not go live, with a reason code for metrics and logs and a message
 * for a person. The live adapter stays as it was.
 */
public final class AdapterRejectedException extends Exception {

    /** Why a release was refused; {@link #code()} is the label metrics and logs use. */
    public enum Reason {
        /** The record is larger than {@link dev.vigil.model.adapter.ReleaseRecords#MAX_VALUE_BYTES}; not decoded. */
        OVERSIZED,
        /** The record has no seal headers ({@link dev.vigil.model.adapter.ReleaseRecords}); not decoded. */
        UNSIGNED,
        /** The signer key id (of the seal or of the release) names no trusted key. */
        UNKNOWN_KEY,
        /** The seal or the release's own signature does not verify under the trusted key of that id. */
        BAD_SIGNATURE,
        /** Signed, but for another base model than the one this service scores with. */
        WRONG_BASE_MODEL,
        /** Its sequence is not higher than the live adapter's (an old or replayed release). */
        STALE_SEQUENCE,
        /**
         * Not an error: the release is the one live now (same sequence and version), as when a restart re-reads the
         * compacted topic. The updater neither applies nor counts it as rejected.
         */
        ALREADY_LIVE,
        /** Its tensors do not fit the serving graph's adapter inputs (names, shapes, byte lengths). */
        BAD_SHAPE,
        /** A NaN or infinite value in a tensor or in alpha. */
        NON_FINITE,
        /** Otherwise not a valid adapter (a repeated tensor, a rank or alpha out of range...). */
        MALFORMED,
        /** The record could not be read as an {@code AdapterRelease} at all. */
        UNREADABLE;

        /** Lower-case code, e.g. {@code bad_signature}. */
        public String code() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final Reason reason;
    private final String version;

    public AdapterRejectedException(Reason reason, String version, String message) {
        super(message);
        this.reason = Objects.requireNonNull(reason, "reason");
        this.version = version;
    }

    public AdapterRejectedException(Reason reason, String version, String message, Throwable cause) {
        super(message, cause);
        this.reason = Objects.requireNonNull(reason, "reason");
        this.version = version;
    }

    public Reason reason() {
        return reason;
    }

    /** The rejected release's version, or null if the record could not be read. */
    public String version() {
        return version;
    }
}
