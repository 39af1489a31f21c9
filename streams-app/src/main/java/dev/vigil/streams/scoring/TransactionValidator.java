package dev.vigil.streams.scoring;

import dev.vigil.model.features.Payment;
import dev.vigil.schemas.avro.Transaction;
import dev.vigil.schemas.cards.CardTokens;
import dev.vigil.schemas.cli.Setting;
import dev.vigil.schemas.serde.AvroSerde;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Currency;
import java.util.Map;

/**
 * Turns a {@code payments.transactions} record into a {@link Payment}, or says exactly why it cannot be scored:
 * <ul>
 *   <li>deserialize: no value, not Confluent-framed Avro, a schema id the registry does not know, a length field that
 *       claims more than Avro's limits allow ({@link dev.vigil.schemas.serde.AvroLimits});</li>
 *   <li>validate: a blank or over-long id ({@link Limits#maxIdLength}), an amount outside its bounds, an unknown
 *       currency or an ISO 4217 code that is not money (XXX, XTS, the metals), an event time too far in the future or
 *       before {@link Limits#earliestEventTime}, or a record key that is not the value's card id (the card's state
 *       lives on the key's partition: a record keyed otherwise would be scored against another partition's history).
 *       </li>
 * </ul>
 * With {@link CardTokens}, the door is also where card ids become tokens: the payment this returns carries the card's
 * token, so card state, scores, alerts, the context and everything downstream see only tokens; {@link #redact} does
 * the same to a record that goes to the dead-letter topic. No message of this class ever holds a card id, tokens on or
 * off: a rejection says which field is wrong, not what the card is.
 */
public final class TransactionValidator {

    /** How far in the future of the wall clock an event time may be (clock skew between payment systems). */
    public static final Duration DEFAULT_MAX_FUTURE = Duration.ofHours(1);

    /**
     * What a transaction must satisfy beyond its schema.
     *
     * @param maxIdLength         the longest transaction, card, merchant or device id (characters)
     * @param minAmountMinor      the smallest amount in minor units (1: a zero-amount card check is not a payment)
     * @param maxAmountMinor      the largest amount in minor units, for any currency without its own bound
     * @param maxAmountByCurrency the largest amount in minor units for the currencies that have their own
     * @param maxFuture           how far ahead of the wall clock an event time may be
     * @param earliestEventTime   the earliest event time accepted (replays of history are older than any live window,
     *                            so this is a floor against zero and garbage timestamps, not an age limit)
     * @param duplicateWindow     how long (wall clock) a scored transaction id is remembered: a second record with the
     *                            same id within it gets no score and no alert, it is a dead letter {@code duplicate}
     */
    public record Limits(int maxIdLength, long minAmountMinor, long maxAmountMinor,
                         Map<String, Long> maxAmountByCurrency, Duration maxFuture, Instant earliestEventTime,
                         Duration duplicateWindow) {

        public static final Setting<Long> MIN_AMOUNT = Setting.of("min-amount", 1L,
                "Smallest amount accepted, in minor units (0 scores zero-amount card checks too).")
                .must("at least 0", v -> v != null && v >= 0);
        public static final Setting<Long> MAX_AMOUNT = Setting.of("max-amount", 1_000_000_000_000L,
                "Largest amount accepted, in minor units, for every currency without its own --max-amount-for.")
                .must("at least --min-amount", v -> v != null && v >= 0);
        public static final Setting<Instant> EARLIEST_EVENT_TIME = Setting.of("earliest-event-time",
                Instant.parse("2000-01-01T00:00:00Z"),
                "Event times before this are refused (a zero or garbage timestamp).");
        public static final Setting<Integer> DUPLICATE_WINDOW_HOURS = Setting.atLeast("duplicate-window-hours", 24, 1,
                "How long a scored transaction id is remembered: a second record with that id within it is a dead "
                        + "letter 'duplicate' (no second score or alert).");

        public Limits {
            if (maxIdLength < 1) {
                throw new IllegalArgumentException("ids must be allowed at least 1 character: " + maxIdLength);
            }
            MIN_AMOUNT.check(minAmountMinor);
            if (maxAmountMinor < minAmountMinor) {
                throw MAX_AMOUNT.invalid(maxAmountMinor + " (--min-amount " + minAmountMinor + ")");
            }
            if (duplicateWindow.compareTo(Duration.ofMinutes(1)) < 0) {
                throw new IllegalArgumentException("the duplicate window (" + DUPLICATE_WINDOW_HOURS.flag()
                        + ") must be at least a minute: " + duplicateWindow);
            }
            maxAmountByCurrency = Map.copyOf(maxAmountByCurrency);
        }

        /**
         * Ids up to 128 characters; amounts from 1 to 10^12 minor units (ten billion euros; every currency's largest
         * real card payment is far below); event times from 2000-01-01 to an hour ahead of the clock; duplicates
         * within 24 hours.
         */
        public static Limits defaults() {
            return new Limits(128, MIN_AMOUNT.defaultValue(), MAX_AMOUNT.defaultValue(), Map.of(), DEFAULT_MAX_FUTURE,
                    EARLIEST_EVENT_TIME.defaultValue(), Duration.ofHours(DUPLICATE_WINDOW_HOURS.defaultValue()));
        }

        public long maxAmount(String currency) {
            return maxAmountByCurrency.getOrDefault(currency, maxAmountMinor);
        }
    }

    private final AvroSerde<Transaction> serde;
    private final String topic;
    private final Limits limits;
    private final CardTokens tokens;

    public TransactionValidator(AvroSerde<Transaction> serde, String topic, Limits limits) {
        this(serde, topic, limits, null);
    }

    /** @param tokens turns card ids into tokens at the door; null: card ids pass as they are */
    public TransactionValidator(AvroSerde<Transaction> serde, String topic, Limits limits, CardTokens tokens) {
        this.serde = serde;
        this.topic = topic;
        this.limits = limits;
        this.tokens = tokens;
    }

    /**
     * A record's key and value as a dead letter may keep them; {@code note} (null when there is nothing to say) tells
     * a reader of the dead letter what was changed or withheld.
     */
    public record Redacted(byte[] key, byte[] value, String note) {}

    /**
     * A record as the dead-letter topic may keep it: without tokens, as it came; with tokens, the key (the card id, as
     * upstream keys transactions) as its token, and a value that is a transaction re-encoded with its card's token. A
     * value that cannot be read as a transaction is kept as it came (nothing in it can be found to replace). A
     * transaction that cannot be written back (its schema not registered for the topic) is withheld rather than kept
     * with the card in clear: it is still on the input topic, at the offset the dead letter names.
     */
    public Redacted redact(byte[] key, byte[] value) {
        if (tokens == null) {
            return new Redacted(key, value, null);
        }
        byte[] redactedKey = key == null ? null
                : tokens.token(new String(key, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);
        if (value == null) {
            return new Redacted(redactedKey, null, null);
        }
        Transaction t;
        try {
            t = serde.decode(topic, value);
        } catch (RuntimeException notATransaction) {
            return new Redacted(redactedKey, value, null); // kept as it came (see above)
        }
        if (t.getCardId() == null) {
            return new Redacted(redactedKey, value, null);
        }
        t.setCardId(tokens.token(t.getCardId()));
        try {
            return new Redacted(redactedKey, serde.encode(topic, t), null);
        } catch (RuntimeException cannotWrite) {
            return new Redacted(redactedKey, null, "the value is withheld: it names a card in clear and could not be "
                    + "written back with the card's token (" + cannotWrite.getClass().getSimpleName()
                    + "); it is still on the input topic at this offset");
        }
    }

    /** The tokens card ids become at the door, or null when they are not tokenized. */
    public CardTokens tokens() {
        return tokens;
    }

    public Limits limits() {
        return limits;
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
        String id = t.getTransactionId();
        requireId("transaction_id", id);
        requireCardId(t.getCardId());
        requireId("merchant_id", t.getMerchantId());
        if (t.getDeviceId() != null) {
            require(t.getDeviceId().length() <= limits.maxIdLength(), "transaction " + abbreviate(id)
                    + ": device_id is " + t.getDeviceId().length() + " characters (at most " + limits.maxIdLength() + ")");
        }
        if (key == null) {
            throw new Rejected(Rejected.Stage.VALIDATE, "transaction " + abbreviate(id) + ": the record has no key: "
                    + "transactions must be keyed by card_id");
        }
        String keyText = new String(key, StandardCharsets.UTF_8);
        require(keyText.equals(t.getCardId()), "transaction " + abbreviate(id) + ": the record key (" + key.length
                + " bytes) is not the card_id: transactions must be keyed by card_id");
        require(t.getEventTime() != null && !t.getEventTime().isAfter(now.plus(limits.maxFuture())),
                "event_time " + t.getEventTime() + " is more than " + limits.maxFuture() + " ahead of the clock (" + now
                        + ")");
        require(!t.getEventTime().isBefore(limits.earliestEventTime()), "transaction " + id + ": event_time "
                + t.getEventTime() + " is before " + limits.earliestEventTime() + " (a zero or garbage timestamp)");
        String currency = t.getCurrency();
        require(currency != null && isMoney(currency), "transaction " + id + ": " + (currency != null
                && currency.length() == 3 && known(currency) ? "'" + currency + "' is an ISO 4217 code but not money"
                : "unknown currency: '" + abbreviate(String.valueOf(currency)) + "'"));
        long amount = t.getAmountMinor();
        require(amount >= limits.minAmountMinor() && amount <= limits.maxAmount(currency), "transaction " + id
                + ": amount " + amount + " minor units of " + currency + " is outside " + limits.minAmountMinor() + ".."
                + limits.maxAmount(currency));
        try {
            Payment p = Payment.of(t);
            return tokens == null ? p : p.withCardId(tokens.token(p.cardId()));
        } catch (RuntimeException e) {
            throw new Rejected(Rejected.Stage.VALIDATE, "transaction " + id + ": " + e.getMessage(), e);
        }
    }

    /** A code of a currency payments are made in: known to ISO 4217 and with minor units (not XXX, XTS, XAU, XDR...). */
    public static boolean isMoney(String code) {
        if (code.length() != 3 || !known(code)) {
            return false;
        }
        return Currency.getInstance(code).getDefaultFractionDigits() >= 0 && !"XTS".equals(code);
    }

    private static boolean known(String code) {
        try {
            Currency.getInstance(code);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** As {@link #requireId}, without the value in the message: a card id is never written anywhere in clear. */
    private void requireCardId(String value) throws Rejected {
        require(!value.isBlank(), "card_id is blank");
        require(value.length() <= limits.maxIdLength(), "card_id is " + value.length() + " characters (at most "
                + limits.maxIdLength() + ")");
    }

    private void requireId(String field, String value) throws Rejected {
        require(!value.isBlank(), field + " is blank");
        require(value.length() <= limits.maxIdLength(), field + " is " + value.length() + " characters (at most "
                + limits.maxIdLength() + "): '" + abbreviate(value) + "'");
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
