package dev.vigil.streams.scoring;

import static dev.vigil.streams.ScoringDriver.START;
import static dev.vigil.streams.ScoringDriver.bytes;
import static dev.vigil.streams.ScoringDriver.payment;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.vigil.schemas.DeadLetters;
import dev.vigil.schemas.Topics;
import dev.vigil.schemas.avro.DeadLetter;
import dev.vigil.schemas.avro.FraudScore;
import dev.vigil.schemas.avro.Transaction;
import dev.vigil.streams.ScoringApp;
import dev.vigil.streams.ScoringDriver;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.apache.kafka.streams.KeyValue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What cannot be scored is a dead letter on {@code fraud.dlq}, never a stream failure: its stage ({@code deserialize}
 * or {@code validate}), a reason that names the problem, where it came from and its original bytes; the payments after
 * it are scored. (Duplicates and scoring failures: {@link DuplicatesTest}, {@link ScoringFailureTest}.)
 */
class DeadLettersTest {

    /** The defaults, but EUR amounts capped at 50,000.00 (as with {@code --max-amount-for EUR=5000000}). */
    static final TransactionValidator.Limits LIMITS = new TransactionValidator.Limits(128, 1, 1_000_000_000_000L,
            Map.of("EUR", 5_000_000L), TransactionValidator.DEFAULT_MAX_FUTURE, Instant.parse("2000-01-01T00:00:00Z"),
            Duration.ofHours(24));

    static final UnaryOperator<ScoringApp.Config> ONE_AT_A_TIME =
            c -> c.withBatching(1, Duration.ofHours(1)).withLimits(LIMITS);

    @TempDir
    Path state;

    /** A record the scorer must refuse: how to make it, and the stage and words of its dead letter. */
    record Refused(String what, String stage, String reason, Function<ScoringDriver, KeyValue<byte[], byte[]>> record) {
        @Override
        public String toString() {
            return what;
        }
    }

    static Stream<Refused> refused() {
        Transaction good = payment("bad", "c-1", 10);
        byte[] card = "c-1".getBytes(UTF_8);
        return Stream.of(
                new Refused("a tombstone", "deserialize", "the record has no value (a tombstone is not a transaction)",
                        s -> KeyValue.pair(card, null)),
                new Refused("bytes that are not Avro", "deserialize",
                        "does not start with the Confluent magic byte 0x00 (found 0x6e)",
                        s -> KeyValue.pair(card, "not avro at all".getBytes(UTF_8))),
                new Refused("fewer bytes than the header", "deserialize",
                        "is 3 bytes, shorter than the 5-byte Confluent wire-format header",
                        s -> KeyValue.pair(card, new byte[] {0, 0, 0})),
                new Refused("a schema id the registry does not know", "deserialize",
                        "writer schema id 9999 is unknown to the registry",
                        s -> KeyValue.pair(card, withSchemaId(s.encode(good), 9999))),
                new Refused("a string that claims 2 GB", "deserialize", "2000000000",
                        s -> KeyValue.pair(card, lengthBomb(s.encode(good)))),
                new Refused("bytes after the transaction", "deserialize", "trailing bytes after the Transaction body",
                        s -> KeyValue.pair(card, Arrays.copyOf(s.encode(good), s.encode(good).length + 1))),
                // the messages never name a card: a dead letter's reason is logged and shown to people
                new Refused("no key", "validate",
                        "transaction bad: the record has no key: transactions must be keyed by card_id",
                        s -> KeyValue.pair(null, s.encode(good))),
                new Refused("a key that is not the card", "validate",
                        "transaction bad: the record key (3 bytes) is not the card_id: transactions must be keyed by card_id",
                        s -> KeyValue.pair("c-2".getBytes(UTF_8), s.encode(good))),
                refusedValue("a blank transaction id", "transaction_id is blank", b -> b.setTransactionId(" ")),
                refusedValue("a card id over 128 characters", "card_id is 129 characters (at most 128)",
                        b -> b.setCardId("c".repeat(129))),
                refusedValue("a merchant id over 128 characters", "merchant_id is 129 characters (at most 128)",
                        b -> b.setMerchantId("m".repeat(129))),
                refusedValue("a device id over 128 characters", "device_id is 129 characters (at most 128)",
                        b -> b.setDeviceId("d".repeat(129))),
                refusedValue("an event time two hours ahead", "is more than PT1H ahead of the clock",
                        b -> b.setEventTime(START.plus(Duration.ofHours(2)))),
                refusedValue("an event time in 1971", "is before 2000-01-01T00:00:00Z (a zero or garbage timestamp)",
                        b -> b.setEventTime(Instant.parse("1971-01-01T00:00:00Z"))),
                refusedValue("an unknown currency", "unknown currency: 'XQQ'", b -> b.setCurrency("XQQ")),
                refusedValue("a currency code that is not money", "'XXX' is an ISO 4217 code but not money",
                        b -> b.setCurrency("XXX")),
                refusedValue("an amount of zero", "amount 0 minor units of EUR is outside 1..5000000",
                        b -> b.setAmountMinor(0)),
                refusedValue("an amount over its currency's own bound",
                        "amount 5000001 minor units of EUR is outside 1..5000000", b -> b.setAmountMinor(5_000_001)),
                refusedValue("an amount over the bound of every other currency",
                        "amount 1000000000001 minor units of USD is outside 1..1000000000000",
                        b -> b.setCurrency("USD").setAmountMinor(1_000_000_000_001L)));
    }

    /** A payment of card c-1, keyed by its card, with one field made invalid. */
    private static Refused refusedValue(String what, String reason, UnaryOperator<Transaction.Builder> change) {
        Transaction bad = change.apply(Transaction.newBuilder(payment("bad", "c-1", 10))).build();
        return new Refused(what, "validate", reason,
                s -> KeyValue.pair(bad.getCardId().getBytes(UTF_8), s.encode(bad)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refused")
    void aRecordThatCannotBeScoredIsADeadLetterWithItsStageReasonAndBytes(Refused refused) throws Exception {
        try (ScoringDriver scorer = ScoringDriver.start(state, ONE_AT_A_TIME)) {
            KeyValue<byte[], byte[]> record = refused.record().apply(scorer);
            scorer.sendRaw(record.key, record.value);

            List<KeyValue<byte[], DeadLetter>> letters = scorer.deadLetterRecords();
            assertThat(letters).hasSize(1);
            DeadLetter letter = letters.get(0).value;
            assertThat(letter.getStage()).isEqualTo(refused.stage());
            assertThat(letter.getErrorMessage()).contains(refused.reason());
            assertThat(letter.getErrorClass()).isNotBlank();
            assertThat(letter.getSourceTopic()).isEqualTo(Topics.TRANSACTIONS);
            assertThat(letter.getSourcePartition()).isZero();
            assertThat(letter.getSourceOffset()).isZero();
            assertThat(bytes(letter.getOriginalKey())).isEqualTo(record.key);
            assertThat(bytes(letter.getOriginalValue())).isEqualTo(record.value);
            assertThat(letter.getTruncated()).isFalse();
            assertThat(letter.getApplicationId()).isEqualTo(scorer.config().applicationId());
            assertThat(letter.getFailedTime()).isEqualTo(START);
            assertThat(letters.get(0).key).as("the dead letter's record key is the original key").isEqualTo(record.key);
            assertThat(scorer.metrics().count("vigil.dead.letters", "stage", refused.stage())).isEqualTo(1);
            assertThat(scorer.scores()).isEmpty();
            assertThat(scorer.alerts()).isEmpty();
            assertThat(scorer.cardHistory("c-1")).as("nothing of it reaches the card's history").isNull();

            scorer.send(payment("next", "c-1", 5));

            assertThat(scorer.scores()).extracting(FraudScore::getTransactionId).containsExactly("next");
            assertThat(scorer.cardHistory("c-1").recentSize()).isEqualTo(1);
        }
    }

    @Test
    void theValidPaymentsOfABatchAreScoredAroundItsDeadLetters() throws Exception {
        try (ScoringDriver scorer = ScoringDriver.start(state,
                c -> c.withBatching(4, Duration.ofHours(1)).withLimits(LIMITS))) {
            scorer.send(payment("t0", "c-1", 30));
            scorer.send(Transaction.newBuilder(payment("t1", "c-1", 25)).setCurrency("XXX").build());
            scorer.sendRaw("c-2".getBytes(UTF_8), "garbage".getBytes(UTF_8));
            scorer.send(payment("t3", "c-1", 20));

            assertThat(scorer.scores()).extracting(FraudScore::getTransactionId).containsExactly("t0", "t3");
            assertThat(scorer.deadLetters()).extracting(DeadLetter::getSourceOffset, DeadLetter::getStage)
                    .containsExactly(tuple(1L, "validate"),
                            tuple(2L, "deserialize"));
            assertThat(scorer.cardHistory("c-1").recentSize()).as("the refused payment is not in the card's history")
                    .isEqualTo(2);
            assertThat(scorer.pending()).isEmpty();
        }
    }

    @Test
    void theDeadLetterOfAHugeRecordIsCutToFitAndSaysSo() throws Exception {
        try (ScoringDriver scorer = ScoringDriver.start(state, ONE_AT_A_TIME)) {
            String hugeCard = "c".repeat(540_000);
            byte[] key = hugeCard.getBytes(UTF_8);
            byte[] value = scorer.encode(payment("huge", hugeCard, 10));
            scorer.sendRaw(key, value);

            List<KeyValue<byte[], DeadLetter>> letters = scorer.deadLetterRecords();
            assertThat(letters).hasSize(1);
            DeadLetter letter = letters.get(0).value;
            assertThat(letter.getStage()).isEqualTo("validate");
            assertThat(letter.getErrorMessage()).contains("card_id is 540000 characters (at most 128)")
                    .hasSizeLessThanOrEqualTo(DeadLetters.MAX_MESSAGE_CHARS);
            assertThat(letter.getTruncated()).isTrue();
            assertThat(letter.getOriginalKeyLength()).isEqualTo(key.length);
            assertThat(letter.getOriginalValueLength()).isEqualTo(value.length);
            assertThat(bytes(letter.getOriginalKey())).isEqualTo(Arrays.copyOf(key, DeadLetters.MAX_KEY_BYTES));
            assertThat(bytes(letter.getOriginalValue())).isEqualTo(Arrays.copyOf(value, DeadLetters.MAX_VALUE_BYTES));
            assertThat(letters.get(0).key).hasSize(DeadLetters.MAX_KEY_BYTES);
        }
    }

    /** The same Avro body under another writer schema id. */
    private static byte[] withSchemaId(byte[] framed, int id) {
        byte[] copy = framed.clone();
        ByteBuffer.wrap(copy, 1, 4).putInt(id);
        return copy;
    }

    /** The header of a real transaction, then a first field (transaction_id) that claims 2,000,000,000 bytes. */
    private static byte[] lengthBomb(byte[] framed) {
        byte[] bomb = Arrays.copyOf(framed, 11);
        byte[] zigZag2e9 = {(byte) 0x80, (byte) 0xd0, (byte) 0xac, (byte) 0xf3, 0x0e, 'x'};
        System.arraycopy(zigZag2e9, 0, bomb, 5, zigZag2e9.length);
        return bomb;
    }
}
