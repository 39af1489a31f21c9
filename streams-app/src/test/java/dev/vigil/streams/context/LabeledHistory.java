package dev.vigil.streams.context;

import dev.vigil.model.context.Case;
import dev.vigil.model.context.CaseLabel;
import dev.vigil.model.features.CardHistory;
import dev.vigil.model.features.FeatureEncoder;
import dev.vigil.model.features.Payment;
import dev.vigil.schemas.avro.LabelSource;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A seeded history of cases with their real case vectors (computed by the feature encoder over each card's state, as
 * serving would) and labels of every kind the index must handle: chargebacks 1 hour to 10 days late, analysts'
 * genuine and fraud labels, labels later overturned, a label older than the one it follows, and a zero vector.
 */
final class LabeledHistory {

    static final Instant START = Instant.parse("2026-03-02T00:00:00Z");

    final List<Payment> payments = new ArrayList<>();
    final List<Case> cases = new ArrayList<>();
    final List<CaseLabel> labels = new ArrayList<>();

    LabeledHistory(long seed, int size, int cards, int merchants, int days) {
        Random rng = new Random(seed);
        FeatureEncoder encoder = FeatureEncoder.standard();
        List<Payment> generated = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            long time = START.toEpochMilli() + (long) (rng.nextDouble() * days * 86_400_000L);
            boolean online = rng.nextBoolean();
            generated.add(new Payment("tx-" + i, Instant.ofEpochMilli(time), "card-" + rng.nextInt(cards),
                    "merchant-" + rng.nextInt(merchants), 100 + rng.nextInt(rng.nextInt(10) == 0 ? 200_000 : 8_000),
                    "EUR", rng.nextBoolean() ? "grocery" : "electronics", "FR", online ? "online" : "card_present",
                    online ? "dev-" + rng.nextInt(cards + 5) : null, 48.8 + rng.nextGaussian(), 2.3 + rng.nextGaussian()));
        }
        generated.sort((a, b) -> a.eventTime().compareTo(b.eventTime()));
        Map<String, CardHistory> states = new HashMap<>();
        for (Payment p : generated) {
            CardHistory state = states.computeIfAbsent(p.cardId(), c -> encoder.emptyHistory());
            float[] vector = encoder.caseVector(p, state);
            state.update(p);
            payments.add(p);
            cases.add(p.toCase(vector));
        }
        // one case with no direction at all
        Case zero = cases.get(size / 2);
        cases.set(size / 2, new Case(zero.transactionId(), zero.cardId(), zero.merchantId(), zero.eventTime(),
                zero.amountMinor(), zero.currency(), new float[zero.vector().length]));
        Duration[] delays = {Duration.ofHours(1), Duration.ofDays(1), Duration.ofDays(3), Duration.ofDays(7),
                Duration.ofDays(10)};
        for (int i = 0; i < cases.size(); i++) {
            Case c = cases.get(i);
            double draw = rng.nextDouble();
            Instant labeled = c.eventTime().plus(delays[rng.nextInt(delays.length)]).plusMillis(rng.nextInt(1000));
            if (draw < 0.22 || i == size / 2) {
                labels.add(new CaseLabel(c.transactionId(), true, labeled, LabelSource.CHARGEBACK));
                if (rng.nextDouble() < 0.1) { // overturned by an analyst later
                    labels.add(new CaseLabel(c.transactionId(), false, labeled.plus(Duration.ofDays(2)), LabelSource.ANALYST));
                }
                if (rng.nextDouble() < 0.1) { // an older label arriving after it: changes nothing
                    labels.add(new CaseLabel(c.transactionId(), false, labeled.minus(Duration.ofHours(5)), LabelSource.ANALYST));
                }
            } else if (draw < 0.30) {
                labels.add(new CaseLabel(c.transactionId(), false, labeled, LabelSource.ANALYST));
                if (rng.nextDouble() < 0.3) { // confirmed fraud after all
                    labels.add(new CaseLabel(c.transactionId(), true, labeled.plus(Duration.ofDays(4)), LabelSource.CHARGEBACK));
                }
            }
        }
    }
}
