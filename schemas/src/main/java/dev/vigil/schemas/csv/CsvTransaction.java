package dev.vigil.schemas.csv;

import dev.vigil.schemas.Money;
import java.time.Instant;
import java.util.Objects;

/**
 * One row of the canonical transaction CSV: the exchange format of import, replay and training.
 * The first five fields are required; the rest may be null when the column is absent or empty.
 *
 * @param label    1 fraud, 0 genuine, null unlabeled
 * @param scenario the simulator's fraud scenario tag ("legit" for genuine rows); null outside simulated data
 */
public record CsvTransaction(
        String transactionId,
        Instant eventTime,
        String cardId,
        String merchantId,
        Money amount,
        String merchantCategory,
        String country,
        String channel,
        String deviceId,
        Double lat,
        Double lon,
        Integer label,
        String scenario) {

    public CsvTransaction {
        Objects.requireNonNull(transactionId, "transaction_id");
        Objects.requireNonNull(eventTime, "event_time");
        Objects.requireNonNull(cardId, "card_id");
        Objects.requireNonNull(merchantId, "merchant_id");
        Objects.requireNonNull(amount, "amount");
        if (label != null && label != 0 && label != 1) {
            throw new IllegalArgumentException("label must be 0 or 1: " + label);
        }
    }

    /** The same row with another card id (its token). */
    public CsvTransaction withCardId(String id) {
        return new CsvTransaction(transactionId, eventTime, id, merchantId, amount, merchantCategory, country, channel,
                deviceId, lat, lon, label, scenario);
    }

    public boolean isFraud() {
        return label != null && label == 1;
    }
}
