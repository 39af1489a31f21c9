package dev.vigil.streams.scoring;

import dev.vigil.model.features.Payment;
import dev.vigil.schemas.avro.Transaction;
import dev.vigil.schemas.serde.AvroSerde;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;

/**
 * Turns a {@code payments.transactions} record into a {@link Payment}, or says exactly why it cannot be scored:
 * <ul>
 *   <li>deserialize: no value, not Confluent-framed Avro, a schema id the registry does not know;</li>
 *   <li>validate: a blank id, a negative amount, an unknown currency, an event time too far in the future, or a record
 *       key that is not the value's card id (the card's state lives on the key's partition: a record keyed otherwise
 *       would be scored against another partition's history).</li>
 * </ul>
 */
public final class TransactionValidator {

    /** How far in the future of the wall clock an event time may be (clock skew between payment systems). */
    public static final Duration DEFAULT_MAX_FUTURE = Duration.ofHours(1);

    private final AvroSerde<Transaction> serde;
    private final String topic;
    private final Duration maxFuture;

    public TransactionValidator(AvroSerde<Transaction> serde, String topic, Duration maxFuture) {
        this.serde = serde;
        this.topic = topic;
        this.maxFuture = maxFuture;
    }

    /** The payment of a record, checked; {@code now} is the wall clock. */
    public Payment validate(byte[] key, byte[] value, Instant now) throws Rejected {
        if (value == null) {
            throw new Rejected(Rejected.Stage.DESERIALIZE, "the record has no value (a tombstone is not a transaction)");
        }
        Transaction t;
        try {
            t = serde.decode(topic, value);
        } catch (RuntimeException e) {
            throw new Rejected(Rejected.Stage.DESERIALIZE, "cannot read the value as a " + topic + " Avro record: "
                    + e.getMessage(), e);
        }
        require(!t.getTransactionId().isBlank(), "transaction_id is blank");
        require(!t.getCardId().isBlank(), "card_id is blank");
        require(!t.getMerchantId().isBlank(), "merchant_id is blank");
        if (key == null) {
            throw new Rejected(Rejected.Stage.VALIDATE, "the record has no key: transactions must be keyed by card_id ("
                    + t.getCardId() + ")");
        }
        String keyText = new String(key, StandardCharsets.UTF_8);
        require(keyText.equals(t.getCardId()), "the record key '" + abbreviate(keyText)
                + "' is not the card_id '" + t.getCardId() + "': transactions must be keyed by card_id");
        require(t.getEventTime() != null && !t.getEventTime().isAfter(now.plus(maxFuture)),
                "event_time " + t.getEventTime() + " is more than " + maxFuture + " ahead of the clock (" + now + ")");
        try {
            return Payment.of(t);
        } catch (RuntimeException e) {
            throw new Rejected(Rejected.Stage.VALIDATE, "transaction " + t.getTransactionId() + ": " + e.getMessage(), e);
        }
    }

    private static void require(boolean ok, String message) throws Rejected {
        if (!ok) {
            throw new Rejected(Rejected.Stage.VALIDATE, message);
        }
    }

    private static String abbreviate(String s) {
        return s.length() <= 64 ? s : s.substring(0, 64) + "...";
    }
}
