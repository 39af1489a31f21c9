package dev.vigil.streams.scoring;

import static dev.vigil.streams.ScoringDriver.payment;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.model.context.MerchantContext;
import dev.vigil.model.context.SimilarCases;
import dev.vigil.model.features.CardHistory;
import dev.vigil.model.features.FeatureEncoder;
import dev.vigil.model.features.Payment;
import dev.vigil.schemas.avro.FraudScore;
import dev.vigil.schemas.avro.Transaction;
import dev.vigil.streams.ScoringDriver;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The card state is updated at scoring time, in arrival order: each payment is scored with its card as it was before
 * it (the trainer's point-in-time definition), and the {@code card-history} store ends as the trainer's history of the
 * same payments, whether they came in one batch or one batch each (the store read back between batches).
 */
class CardStateTest {

    @TempDir
    Path state;

    /** Two cards, interleaved; c-A's third payment arrives late (its event time is before the second's). */
    static final List<Transaction> ARRIVALS = List.of(
            payment("a1", "c-A", 50),
            payment("b1", "c-B", 45),
            Transaction.newBuilder(payment("a2", "c-A", 40)).setAmountMinor(99_00).setMerchantId("m-2").build(),
            Transaction.newBuilder(payment("a3", "c-A", 42)).setAmountMinor(5_00).setChannel("card_present").build(),
            payment("b2", "c-B", 30));

    @ParameterizedTest(name = "batches of {0}")
    @ValueSource(ints = {1, 5})
    void eachPaymentIsScoredWithItsCardAsItWasBeforeItAndTheStoreKeepsTheTrainersHistory(int batch) throws Exception {
        try (ScoringDriver scorer = ScoringDriver.start(state, c -> c.withBatching(batch, Duration.ofHours(1)))) {
            ARRIVALS.forEach(scorer::send);

            Map<String, FraudScore> scores = new LinkedHashMap<>();
            scorer.scores().forEach(s -> scores.put(s.getTransactionId(), s));
            assertThat(scores.keySet()).containsExactly("a1", "b1", "a2", "a3", "b2");

            // what the trainer computes: each payment's features from its card's history before it, then the update
            FeatureEncoder encoder = scorer.encoder();
            Map<String, CardHistory> trainer = new HashMap<>();
            for (Transaction t : ARRIVALS) {
                Payment p = Payment.of(t);
                CardHistory before = trainer.computeIfAbsent(p.cardId(), card -> encoder.emptyHistory());
                assertThat(inputs(scores.get(p.transactionId()))).as("the model inputs of %s", p.transactionId())
                        .isEqualTo(withoutContext(encoder, p, before));
                before.update(p);
            }
            assertThat(scorer.cardHistory("c-A")).isEqualTo(trainer.get("c-A"));
            assertThat(scorer.cardHistory("c-B")).isEqualTo(trainer.get("c-B"));

            CardHistory a = scorer.cardHistory("c-A");
            assertThat(a.recentSize()).isEqualTo(3);
            assertThat(a.newestTime()).as("the late payment does not move the card's time back")
                    .isEqualTo(ARRIVALS.get(2).getEventTime());
        }
    }

    @ParameterizedTest(name = "batches of {0}")
    @ValueSource(ints = {1, 2})
    void aSecondPaymentOfACardSeesTheFirst(int batch) throws Exception {
        try (ScoringDriver scorer = ScoringDriver.start(state, c -> c.withBatching(batch, Duration.ofHours(1)))) {
            Transaction first = payment("a1", "c-A", 50);
            Transaction second = payment("a2", "c-A", 40);
            scorer.send(first);
            scorer.send(second);

            List<FraudScore> scores = scorer.scores();
            assertThat(scores).hasSize(2);
            FeatureEncoder encoder = scorer.encoder();
            Payment p2 = Payment.of(second);
            CardHistory afterFirst = encoder.emptyHistory();
            afterFirst.update(Payment.of(first));
            assertThat(inputs(scores.get(1))).isEqualTo(withoutContext(encoder, p2, afterFirst))
                    .isNotEqualTo(withoutContext(encoder, p2, encoder.emptyHistory()));
        }
    }

    /** A payment's model inputs with the context off (as the driver runs), as the trainer's encoder writes them. */
    private static byte[] withoutContext(FeatureEncoder encoder, Payment p, CardHistory before) {
        return encoder.encode(p, before, MerchantContext.MISSING, SimilarCases.missing(encoder.spec().similarK()))
                .toLittleEndianBytes();
    }

    private static byte[] inputs(FraudScore score) {
        return ScoringDriver.bytes(score.getModelInputs());
    }
}
