package dev.vigil.streams.scoring;

import dev.vigil.model.adapter.Adapter;
import dev.vigil.model.features.FeatureSpec;
import dev.vigil.model.scoring.SplitGraphs;
import dev.vigil.model.network.FeatureBatch;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The top reasons of a score by occlusion, the cheapest attribution that needs nothing but the serving graph: for
 * each group of inputs, the row is scored again with that group switched off, and the group's contribution is the
 * logit it takes away ({@code logit(row) - logit(row without the group)}; positive = it pushed towards fraud).
 *
 * <p>"Switched off" means the value the encoder writes when nothing is known or nothing is remarkable: zero for the
 * dense features of the group, and for {@code card_sequence} the past positions masked out (the card as if it had no
 * history). All explained rows of a batch and all their occluded copies go through the graph in one call: the cost
 * is (groups + 1) rows per explained transaction, which is why only alerts and reviews are explained.
 */
public final class Attribution {

    /** The name of the sequence group (the card's past payments). */
    public static final String SEQUENCE = "card_sequence";

    /** A group of dense features, by name prefix or exact name. */
    private static final Map<String, List<String>> GROUPS = new LinkedHashMap<>();

    static {
        GROUPS.put("card_velocity", List.of("card_count_", "card_amount_", "card_hours_since_last", "card_no_history"));
        GROUPS.put("amount", List.of("amount_vs_usual", "amount_vs_max_30d", "log_amount", "amount_whole"));
        GROUPS.put("time_of_day_and_week", List.of("hour_", "dow_"));
        GROUPS.put("channel_and_device", List.of("online", "card_present", "has_device", "device_new_to_card"));
        GROUPS.put("location", List.of("distance_", "country_new_to_card"));
        GROUPS.put("new_merchant_or_category", List.of("merchant_new_to_card", "category_new_to_card"));
        GROUPS.put("merchant_fraud_history", List.of("merchant_fraud_", "merchant_transactions_", "merchant_days_since",
                "merchant_context_missing"));
        GROUPS.put("similar_fraud_cases", List.of("similar_"));
    }

    /** One signed contribution. */
    public record Reason(String group, double contribution) {}

    private final int seqLen;
    private final int seqFeatures;
    private final int denseFeatures;
    private final List<String> names = new ArrayList<>();
    private final List<int[]> denseIndices = new ArrayList<>();

    public Attribution(FeatureSpec spec) {
        this.seqLen = spec.seqLen();
        this.seqFeatures = spec.seqFeatureCount();
        this.denseFeatures = spec.denseFeatureCount();
        boolean[] covered = new boolean[denseFeatures];
        GROUPS.forEach((group, prefixes) -> {
            List<Integer> indices = new ArrayList<>();
            for (int i = 0; i < denseFeatures; i++) {
                String feature = spec.denseFeatures().get(i);
                if (!covered[i] && prefixes.stream().anyMatch(feature::startsWith)) {
                    indices.add(i);
                    covered[i] = true;
                }
            }
            if (!indices.isEmpty()) {
                names.add(group);
                denseIndices.add(indices.stream().mapToInt(Integer::intValue).toArray());
            }
        });
        for (int i = 0; i < denseFeatures; i++) { // a feature added later without a group still gets explained
            if (!covered[i]) {
                names.add(spec.denseFeatures().get(i));
                denseIndices.add(new int[] {i});
            }
        }
        names.add(SEQUENCE);
        denseIndices.add(null);
    }

    /** The group names, in the order of the occluded copies. */
    public List<String> groups() {
        return List.copyOf(names);
    }

    /**
     * The top {@code top} reasons of each of {@code rows} of {@code batch}, by absolute contribution, on the graph's
     * halves: the encoder runs twice per row (as is, and with the card's past payments masked out), the head once
     * per row and group (a hundredth of a row's cost), so a row costs about 2 rows of the whole graph instead of one
     * per group. The contributions are those of the whole-row method: the head computes what the whole graph does.
     *
     * @param adapter the adapter that scored the batch
     */
    public List<List<Reason>> explain(FeatureBatch batch, int[] rows, SplitGraphs split, Adapter adapter, int top) {
        int r = rows.length;
        if (r == 0) {
            return List.of();
        }
        int g = names.size();
        int seqRow = seqLen * seqFeatures;
        float[] seq = new float[2 * r * seqRow];
        float[] mask = new float[2 * r * seqLen];
        for (int i = 0; i < r; i++) {
            for (int copy : new int[] {i, r + i}) {
                System.arraycopy(batch.seq(), rows[i] * seqRow, seq, copy * seqRow, seqRow);
                System.arraycopy(batch.seqMask(), rows[i] * seqLen, mask, copy * seqLen, seqLen);
            }
            maskPast(seq, mask, r + i);
        }
        int p = split.pooledSize();
        float[] pooled = split.pooled(2 * r, seq, mask, seqLen, seqFeatures, adapter);
        int n = r * (g + 1); // per row: as is, then each group switched off
        float[] headPooled = new float[n * p];
        float[] headDense = new float[n * denseFeatures];
        for (int i = 0; i < r; i++) {
            for (int k = -1; k < g; k++) {
                int out = i * (g + 1) + k + 1;
                int[] indices = k < 0 ? new int[0] : denseIndices.get(k);
                int from = indices == null ? r + i : i; // the sequence group: the pooled vector without the past
                System.arraycopy(pooled, from * p, headPooled, out * p, p);
                System.arraycopy(batch.dense(), rows[i] * denseFeatures, headDense, out * denseFeatures, denseFeatures);
                if (indices != null) {
                    for (int d : indices) {
                        headDense[out * denseFeatures + d] = 0f;
                    }
                }
            }
        }
        float[] logits = split.logits(n, headPooled, headDense, denseFeatures, adapter);
        List<List<Reason>> reasons = new ArrayList<>(r);
        for (int i = 0; i < r; i++) {
            float base = logits[i * (g + 1)];
            float[] occluded = Arrays.copyOfRange(logits, i * (g + 1) + 1, (i + 1) * (g + 1));
            reasons.add(top(base, occluded, top));
        }
        return reasons;
    }

    /** Row {@code row} as if the card had no history: only the current payment, the last position, is left. */
    private void maskPast(float[] seq, float[] mask, int row) {
        Arrays.fill(mask, row * seqLen, row * seqLen + seqLen - 1, 0f);
        Arrays.fill(seq, row * seqLen * seqFeatures, row * seqLen * seqFeatures + (seqLen - 1) * seqFeatures, 0f);
    }

    /** The top reasons of one row: each group's contribution is the logit it takes away. */
    private List<Reason> top(float base, float[] occluded, int top) {
        List<Reason> all = new ArrayList<>(occluded.length);
        for (int k = 0; k < occluded.length; k++) {
            double contribution = base - occluded[k];
            if (contribution != 0) {
                all.add(new Reason(names.get(k), contribution));
            }
        }
        all.sort(Comparator.comparingDouble((Reason x) -> -Math.abs(x.contribution())).thenComparing(Reason::group));
        return List.copyOf(all.subList(0, Math.min(top, all.size())));
    }

    /**
     * The top {@code top} reasons of each of {@code rows} of {@code batch}, by absolute contribution, with whole rows
     * of the graph (where the halves are not available).
     *
     * @param logits the logits of the whole batch (already computed)
     * @param logitsOf scores a batch with the same model and adapter that produced {@code logits}
     */
    public List<List<Reason>> explain(FeatureBatch batch, int[] rows, float[] logits,
                                      Function<FeatureBatch, float[]> logitsOf, int top) {
        if (rows.length == 0) {
            return List.of();
        }
        int g = names.size();
        int n = rows.length * g;
        int seqRow = seqLen * seqFeatures;
        float[] seq = new float[n * seqRow];
        float[] mask = new float[n * seqLen];
        float[] dense = new float[n * denseFeatures];
        int out = 0;
        for (int row : rows) {
            for (int k = 0; k < g; k++, out++) {
                System.arraycopy(batch.seq(), row * seqRow, seq, out * seqRow, seqRow);
                System.arraycopy(batch.seqMask(), row * seqLen, mask, out * seqLen, seqLen);
                System.arraycopy(batch.dense(), row * denseFeatures, dense, out * denseFeatures, denseFeatures);
                int[] indices = denseIndices.get(k);
                if (indices == null) { // the sequence: keep only the current payment, the last position
                    maskPast(seq, mask, out);
                } else {
                    for (int i : indices) {
                        dense[out * denseFeatures + i] = 0f;
                    }
                }
            }
        }
        float[] occluded = logitsOf.apply(new FeatureBatch(n, seq, mask, dense));
        List<List<Reason>> reasons = new ArrayList<>(rows.length);
        for (int r = 0; r < rows.length; r++) {
            reasons.add(top(logits[rows[r]], Arrays.copyOfRange(occluded, r * g, (r + 1) * g), top));
        }
        return reasons;
    }
}
