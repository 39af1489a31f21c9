package dev.vigil.streams.indexer;

import dev.vigil.schemas.avro.FraudLabel;
import dev.vigil.schemas.avro.FraudScore;
import dev.vigil.schemas.avro.LabelSource;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Scores and labels as the scoring path and the analysts write them, for the indexer's tests. */
final class IndexerRecords {

    private IndexerRecords() {
    }

    static FraudScore score(String transactionId, String merchantId, Instant eventTime, float[] caseVector) {
        List<Float> vector = new ArrayList<>(caseVector.length);
        for (float v : caseVector) {
            vector.add(v);
        }
        return FraudScore.newBuilder()
                .setTransactionId(transactionId)
                .setCardId("card-" + Math.floorMod(transactionId.hashCode(), 7))
                .setMerchantId(merchantId)
                .setEventTime(eventTime)
                .setAmountMinor(4_200)
                .setCurrency("EUR")
                .setScore(0.5)
                .setAlerted(false)
                .setDecision("pass")
                .setModelVersion("m-test")
                .setAdapterVersion("none")
                .setArrivalTime(eventTime)
                .setScoredTime(eventTime.plusMillis(3))
                .setInferenceMicros(100)
                .setRetrievalMicros(900)
                .setReviewProbability(0.0)
                .setInputsFingerprint("00")
                .setCaseVector(vector)
                .build();
    }

    static FraudLabel label(String transactionId, boolean fraud, Instant labelTime, LabelSource source) {
        return FraudLabel.newBuilder()
                .setTransactionId(transactionId)
                .setCardId("card-" + Math.floorMod(transactionId.hashCode(), 7))
                .setIsFraud(fraud)
                .setSource(source)
                .setLabeledBy(source == LabelSource.CHARGEBACK ? "issuer" : "analyst-1")
                .setLabeledTime(labelTime)
                .build();
    }

    /** A deterministic case vector, distinct for each seed, never all zeros. */
    static float[] vector(int dimension, int seed) {
        float[] v = new float[dimension];
        for (int i = 0; i < dimension; i++) {
            v[i] = (float) Math.sin(seed * 1.7 + i * 0.9) + 0.01f * (i + 1);
        }
        return v;
    }
}
