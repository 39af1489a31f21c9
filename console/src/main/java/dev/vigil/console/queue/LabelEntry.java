package dev.vigil.console.queue;

import java.time.Instant;

/**
 * A label of one payment as the console shows it: {@code verdict} fraud, genuine or unsure (unsure is the console's
 * own, never on the topic), who gave it ({@code analyst}: an analyst id, or the issuer for a chargeback), when, the
 * note, and the source (ANALYST, CHARGEBACK, UNKNOWN).
 */
public record LabelEntry(String transactionId, String cardId, String verdict, String analyst, Instant labeledTime,
                         String note, String source, Instant transactionTime) {

    public boolean learnable() {
        return "fraud".equals(verdict) || "genuine".equals(verdict);
    }
}
