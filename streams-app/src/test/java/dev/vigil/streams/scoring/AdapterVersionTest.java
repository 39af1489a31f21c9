package dev.vigil.streams.scoring;

import static dev.vigil.streams.ScoringDriver.payment;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.assertj.core.api.Assertions.within;

import dev.vigil.model.adapter.Adapter;
import dev.vigil.model.adapter.LiveAdapter;
import dev.vigil.model.network.FloatTensor;
import dev.vigil.schemas.avro.FraudAlert;
import dev.vigil.schemas.avro.FraudScore;
import dev.vigil.schemas.avro.Transaction;
import dev.vigil.streams.ScoringDriver;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scores and alerts carry the version of the adapter that made them: the one live in the serving adapter holder when
 * the batch is scored. A swap (what the adapter updater does after verification) takes effect at the next batch.
 */
class AdapterVersionTest {

    /** Alert everything, so that every score has its alert. */
    static final DecisionPolicy ALERT_ALL = DecisionPolicy.alertsOnly(1e-9);

    @TempDir
    Path state;

    @Test
    void scoresCarryTheLiveAdaptersVersionAndAfterASwapTheNewOnes() throws Exception {
        try (ScoringDriver scorer = ScoringDriver.start(state, c -> c.withBatching(1, Duration.ofHours(1))
                .withScoring(new BatchScorer.Options(ALERT_ALL, 0.5, 3, true)))) {
            LiveAdapter first = scorer.firstAdapter();
            LiveAdapter second = new LiveAdapter("2", first.sequence() + 1, tuned(first.adapter()));

            scorer.send(twin("before", "c-1"));
            FraudScore before = only(scorer.scores());
            scorer.adapters().swap(second);
            scorer.send(twin("after", "c-2"));
            FraudScore after = only(scorer.scores());
            scorer.adapters().swap(first);
            scorer.send(twin("back", "c-3"));
            FraudScore back = only(scorer.scores());

            assertThat(first.version()).isEqualTo("1");
            assertThat(List.of(before, after, back)).extracting(FraudScore::getAdapterVersion)
                    .containsExactly("1", "2", "1");
            assertThat(List.of(before, after, back)).extracting(FraudScore::getModelVersion)
                    .containsOnly(scorer.modelVersion());
            assertThat(scorer.alerts()).extracting(FraudAlert::getTransactionId, FraudAlert::getAdapterVersion)
                    .containsExactly(tuple("before", "1"),
                            tuple("after", "2"),
                            tuple("back", "1"));
            // the same inputs each time: the version names the adapter that made the score
            assertThat(List.of(before, after, back)).extracting(FraudScore::getInputsFingerprint)
                    .containsOnly(before.getInputsFingerprint());
            assertThat(after.getScore()).isNotCloseTo(before.getScore(), within(0.01));
            assertThat(back.getScore()).isEqualTo(before.getScore());
        }
    }

    @Test
    void aSwapWhileABatchWaitsAppliesToTheWholeBatch() throws Exception {
        try (ScoringDriver scorer = ScoringDriver.start(state, c -> c.withBatching(2, Duration.ofHours(1)))) {
            LiveAdapter first = scorer.firstAdapter();
            scorer.send(twin("read-before", "c-1"));
            scorer.adapters().swap(new LiveAdapter("2", first.sequence() + 1, tuned(first.adapter())));
            scorer.send(twin("read-after", "c-2"));

            List<FraudScore> scores = scorer.scores();
            assertThat(scores).extracting(FraudScore::getAdapterVersion).containsExactly("2", "2");
            assertThat(scores.get(0).getScore()).as("one adapter for the batch").isEqualTo(scores.get(1).getScore());
        }
    }

    /**
     * An adapter that moves the scores: seeded Gaussian values (sd 0.5) in the shapes of {@code like}. (A constant
     * adapter, {@code SeededModel.constantAdapter}, moves this model's scores by less than 1e-6: its update adds the
     * same amount to every unit, which the layer norms take out.)
     */
    private static Adapter tuned(Adapter like) {
        Random random = new Random(17);
        Map<String, FloatTensor> tensors = new TreeMap<>();
        like.tensors().forEach((name, tensor) -> {
            float[] values = new float[tensor.size()];
            for (int i = 0; i < values.length; i++) {
                values[i] = (float) (0.5 * random.nextGaussian());
            }
            tensors.put(name, FloatTensor.of(tensor.shape(), values));
        });
        return Adapter.of(like.rank(), like.alpha(), tensors);
    }

    /** The same payment on another card (each card new): the same model inputs. */
    private static Transaction twin(String id, String card) {
        return Transaction.newBuilder(payment(id, card, 10)).setDeviceId("d-1").build();
    }

    private static <T> T only(List<T> items) {
        assertThat(items).hasSize(1);
        return items.get(0);
    }
}
