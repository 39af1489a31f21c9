package dev.vigil.console.queue;

import dev.vigil.schemas.avro.AlertReason;
import dev.vigil.schemas.avro.FraudAlert;
import dev.vigil.schemas.avro.FraudLabel;
import dev.vigil.schemas.avro.FraudScore;
import dev.vigil.schemas.avro.LabelSource;
import dev.vigil.schemas.avro.Reason;
import java.time.Instant;
import java.util.List;

/** Topic records for the tests, with only what matters to the console set to something telling. */
public final class Records {

    private Records() {
    }

    public static FraudAlert alert(String tx, String card, String merchant, String time, double score) {
        return FraudAlert.newBuilder().setTransactionId(tx).setCardId(card).setMerchantId(merchant)
                .setEventTime(Instant.parse(time)).setAmountMinor(1234).setCurrency("EUR").setScore(score)
                .setDecision(score >= 0.5 ? "alert" : "review")
                .setReasons(List.of(new AlertReason("amount_vs_card_mean", 0.21), new AlertReason("night", 0.05),
                        new AlertReason("merchant_fraud_rate", 0.12), new AlertReason("channel", -0.02)))
                .setModelVersion("m1").setAdapterVersion("2").setReviewProbability(1.0)
                .setAlertedTime(Instant.parse(time).plusMillis(10)).build();
    }

    public static FraudScore score(String tx, String card, String merchant, String time, double score) {
        Instant t = Instant.parse(time);
        return FraudScore.newBuilder().setTransactionId(tx).setCardId(card).setMerchantId(merchant).setEventTime(t)
                .setAmountMinor(500).setCurrency("EUR").setScore(score).setAlerted(score >= 0.5)
                .setDecision(score >= 0.5 ? "alert" : "pass").setModelVersion("m1").setAdapterVersion("2")
                .setReasons(List.of(new Reason("amount_vs_card_mean", 0.2)))
                .setArrivalTime(t).setScoredTime(t.plusMillis(12)).setInferenceMicros(100).setRetrievalMicros(10)
                .setReviewProbability(score >= 0.5 ? 1.0 : 0.0).setInputsFingerprint("f").build();
    }

    public static FraudLabel label(String tx, String card, boolean fraud, String labeledTime, String txTime) {
        return FraudLabel.newBuilder().setTransactionId(tx).setCardId(card).setIsFraud(fraud)
                .setSource(LabelSource.ANALYST).setLabeledBy("sim").setLabeledTime(Instant.parse(labeledTime))
                .setTransactionTime(txTime == null ? null : Instant.parse(txTime)).setNote(null).build();
    }
}
