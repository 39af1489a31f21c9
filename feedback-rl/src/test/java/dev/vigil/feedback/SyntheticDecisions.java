package dev.vigil.feedback;

import dev.vigil.feedback.decisions.LoggedDecision;
import dev.vigil.feedback.labels.LabeledDecision;
import dev.vigil.model.features.ModelInputs;
import dev.vigil.model.network.NetworkConfig;
import dev.vigil.schemas.avro.LabelSource;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Labeled decisions with a learnable signal: a fraud's sequence carries +1.5 on its first feature at every position.
 * The policy's decisions mimic DecisionPolicy: frauds are mostly alerted, some genuine ones too, a few uncertain
 * ones explored at p = 0.05, the rest passed (frauds among them come back as chargebacks).
 */
public final class SyntheticDecisions {

    private SyntheticDecisions() {}

    public record Example(LoggedDecision decision, boolean fraud, LabelSource source) {}

    public static List<Example> generate(NetworkConfig config, int n, double fraudRate, long seed, String modelId,
            Instant start) {
        Random random = new Random(seed);
        List<Example> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            boolean fraud = random.nextDouble() < fraudRate;
            float[] seq = new float[config.seqLen() * config.seqFeatures()];
            for (int j = 0; j < seq.length; j++) {
                seq[j] = (float) random.nextGaussian();
                if (fraud && j % config.seqFeatures() == 0) {
                    seq[j] += 1.5f;
                }
            }
            float[] mask = new float[config.seqLen()];
            java.util.Arrays.fill(mask, 1f);
            float[] dense = new float[config.denseFeatures()];
            for (int j = 0; j < dense.length; j++) {
                dense[j] = (float) random.nextGaussian();
            }
            String decision;
            double p;
            double u = random.nextDouble();
            if (fraud ? u < 0.7 : u < 0.1) {
                decision = "alert";
                p = 1.0;
            } else if (u < (fraud ? 0.8 : 0.3)) {
                decision = "review";
                p = 0.05;
            } else {
                decision = "pass";
                p = 0.0;
            }
            Instant t = start.plusSeconds(60L * i);
            LoggedDecision d = new LoggedDecision("tx-" + seed + "-" + i, "card-" + random.nextInt(n / 4 + 1), t,
                    1000 + random.nextInt(100_000), "EUR", fraud ? 0.6 : 0.2, decision, p, modelId, "1",
                    new ModelInputs(seq, mask, dense).toLittleEndianBytes());
            out.add(new Example(d, fraud, p > 0 ? LabelSource.ANALYST : LabelSource.CHARGEBACK));
        }
        return out;
    }

    /** The examples a loop would learn from: every reviewed decision, and the passed frauds (chargebacks). */
    public static List<LabeledDecision> labeled(List<Example> examples) {
        List<LabeledDecision> out = new ArrayList<>();
        long offset = 0;
        for (Example e : examples) {
            if (e.decision().reviewed() || e.fraud()) {
                out.add(new LabeledDecision(e.decision(), e.fraud(), e.source(),
                        e.decision().eventTime().plusSeconds(3600), 0, offset++));
            }
        }
        return out;
    }
}
