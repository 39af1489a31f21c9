package dev.vigil.model.features;

import dev.vigil.schemas.digest.Sha256;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The shape and names of the model's inputs: every feature's name (for reasons and attribution), the sequence length
 * L, the sequence features per position (Fs), the dense features (Fd), the case vector, and the similar-case search
 * settings. It travels with a model ({@link #toJson()}, written into the model directory), and a model is only ever
 * fed by an encoder whose spec has the same {@link #hash()}. Definitions of every feature: model/FEATURES.md.
 *
 * <p>The names and their positions are declared together below, so an index can never point at the wrong name.
 * Any change to how a feature is computed (a constant, a window, a normalisation) must bump {@link #VERSION}: the
 * hash covers the names and settings, the version covers the code.
 */
public record FeatureSpec(
        String version,
        int seqLen,
        List<String> seqFeatures,
        List<String> denseFeatures,
        List<CaseDimension> caseVector,
        int similarK,
        double similarThreshold,
        int categoryBuckets) {

    /** The feature code's version. Bump it with any change to what a feature means. */
    public static final String VERSION = "vigil-features-1";
    /** L: positions in the sequence, the current payment last. */
    public static final int DEFAULT_SEQ_LEN = 16;
    /** How many similar fraud cases the search returns (k). */
    public static final int SIMILAR_K = 10;
    /** Similarity at or above which a neighbour counts in {@code similar_above_threshold}. */
    public static final double SIMILAR_THRESHOLD = 0.9;
    /** Buckets of the hashed merchant category. */
    public static final int CATEGORY_BUCKETS = 8;

    // ---- sequence features, per position (oldest past payment first, the current payment last) ----
    private static final Names SEQ = new Names();
    static final int S_LOG_AMOUNT = SEQ.add("log_amount");
    static final int S_AMOUNT_VS_USUAL = SEQ.add("amount_vs_usual");
    static final int S_GAP_TO_PREVIOUS = SEQ.add("gap_to_previous");
    static final int S_HOURS_BEFORE_CURRENT = SEQ.add("hours_before_current");
    static final int S_HOUR_SIN = SEQ.add("hour_sin");
    static final int S_HOUR_COS = SEQ.add("hour_cos");
    static final int S_DOW_SIN = SEQ.add("dow_sin");
    static final int S_DOW_COS = SEQ.add("dow_cos");
    static final int S_ONLINE = SEQ.add("online");
    static final int S_CARD_PRESENT = SEQ.add("card_present");
    static final int S_SAME_MERCHANT = SEQ.add("same_merchant_as_current");
    static final int S_HAS_DEVICE = SEQ.add("has_device");
    static final int S_DEVICE_NEW = SEQ.add("device_new_to_card");
    static final int S_DISTANCE = SEQ.add("distance_from_usual");
    static final int S_DISTANCE_UNKNOWN = SEQ.add("distance_unknown");
    static final int S_CATEGORY_BUCKET_0 = SEQ.addBuckets("category_bucket_", CATEGORY_BUCKETS);
    static final int S_IS_CURRENT = SEQ.add("is_current");

    // ---- dense features ----
    private static final Names DENSE = new Names();
    // the card's aggregates, from its state before this payment
    static final int D_CARD_COUNT_1H = DENSE.add("card_count_1h");
    static final int D_CARD_COUNT_1D = DENSE.add("card_count_1d");
    static final int D_CARD_COUNT_7D = DENSE.add("card_count_7d");
    static final int D_CARD_COUNT_30D = DENSE.add("card_count_30d");
    static final int D_CARD_AMOUNT_1D = DENSE.add("card_amount_1d");
    static final int D_CARD_AMOUNT_7D = DENSE.add("card_amount_7d");
    static final int D_CARD_AMOUNT_30D = DENSE.add("card_amount_30d");
    static final int D_HOURS_SINCE_LAST = DENSE.add("card_hours_since_last");
    static final int D_NO_HISTORY = DENSE.add("card_no_history");
    static final int D_AMOUNT_VS_USUAL = DENSE.add("amount_vs_usual");
    static final int D_AMOUNT_VS_MAX_30D = DENSE.add("amount_vs_max_30d");
    // the payment itself
    static final int D_LOG_AMOUNT = DENSE.add("log_amount");
    static final int D_AMOUNT_WHOLE = DENSE.add("amount_whole");
    static final int D_HOUR_SIN = DENSE.add("hour_sin");
    static final int D_HOUR_COS = DENSE.add("hour_cos");
    static final int D_DOW_SIN = DENSE.add("dow_sin");
    static final int D_DOW_COS = DENSE.add("dow_cos");
    static final int D_ONLINE = DENSE.add("online");
    static final int D_CARD_PRESENT = DENSE.add("card_present");
    static final int D_HAS_DEVICE = DENSE.add("has_device");
    static final int D_DEVICE_NEW = DENSE.add("device_new_to_card");
    static final int D_DISTANCE = DENSE.add("distance_from_usual");
    static final int D_DISTANCE_UNKNOWN = DENSE.add("distance_unknown");
    static final int D_MERCHANT_NEW = DENSE.add("merchant_new_to_card");
    static final int D_CATEGORY_NEW = DENSE.add("category_new_to_card");
    static final int D_COUNTRY_NEW = DENSE.add("country_new_to_card");
    // retrieved: the merchant's labeled fraud history (from here on, nothing is known before retrieval)
    static final int D_FIRST_CONTEXT = DENSE.size();
    static final int D_MERCHANT_FRAUD_1D = DENSE.add("merchant_fraud_1d");
    static final int D_MERCHANT_FRAUD_7D = DENSE.add("merchant_fraud_7d");
    static final int D_MERCHANT_FRAUD_30D = DENSE.add("merchant_fraud_30d");
    static final int D_MERCHANT_TX_1D = DENSE.add("merchant_transactions_1d");
    static final int D_MERCHANT_TX_7D = DENSE.add("merchant_transactions_7d");
    static final int D_MERCHANT_TX_30D = DENSE.add("merchant_transactions_30d");
    static final int D_MERCHANT_RATIO_1D = DENSE.add("merchant_fraud_ratio_1d");
    static final int D_MERCHANT_RATIO_7D = DENSE.add("merchant_fraud_ratio_7d");
    static final int D_MERCHANT_RATIO_30D = DENSE.add("merchant_fraud_ratio_30d");
    static final int D_MERCHANT_DAYS_SINCE_FRAUD = DENSE.add("merchant_days_since_fraud");
    // retrieved: the most similar labeled fraud cases
    static final int D_SIMILAR_TOP1 = DENSE.add("similar_top1");
    static final int D_SIMILAR_MEAN = DENSE.add("similar_mean_topk");
    static final int D_SIMILAR_ABOVE = DENSE.add("similar_above_threshold");
    static final int D_SIMILAR_FOUND = DENSE.add("similar_found");
    // retrieval failed (serving only; a trainer may simulate it)
    static final int D_MERCHANT_MISSING = DENSE.add("merchant_context_missing");
    static final int D_SIMILAR_MISSING = DENSE.add("similar_cases_missing");

    /**
     * One dimension of the case vector: {@code clip((dense[from] - center) / scale, -3, 3)}. Fixed constants, not
     * fitted per model: the centres are rounded means of genuine payments in a 60-day, 5,000-card run of the
     * project's simulator (model/FEATURES.md), the scales give a dimension about one unit of spread. Fixed, so the
     * vector is the same for every model and adapter; changing them is a new {@link #VERSION}.
     */
    public record CaseDimension(String name, String from, double center, double scale) {
        public CaseDimension {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(from, "from");
            if (!(scale > 0)) {
                throw new IllegalArgumentException("case dimension " + name + ": scale must be positive");
            }
        }
    }

    /**
     * The case vector: features of the payment and its card that need neither retrieval nor the model, centred so that
     * a run-of-the-mill payment sits near the origin and cosine similarity compares what is unusual about a payment.
     */
    static final List<CaseDimension> CASE_VECTOR = List.of(
            new CaseDimension("case_log_amount", "log_amount", 0.3, 0.5),
            new CaseDimension("case_amount_vs_usual", "amount_vs_usual", 0.0, 0.4),
            new CaseDimension("case_amount_vs_max_30d", "amount_vs_max_30d", -1.2, 0.5),
            new CaseDimension("case_card_count_1h", "card_count_1h", 0.05, 0.25),
            new CaseDimension("case_card_count_1d", "card_count_1d", 0.4, 0.3),
            new CaseDimension("case_hours_since_last", "card_hours_since_last", 0.3, 0.2),
            new CaseDimension("case_hour_sin", "hour_sin", -0.35, 1.0),
            new CaseDimension("case_hour_cos", "hour_cos", -0.25, 1.0),
            new CaseDimension("case_online", "online", 0.3, 1.0),
            new CaseDimension("case_device_new", "device_new_to_card", 0.0, 0.5),
            new CaseDimension("case_distance", "distance_from_usual", 0.4, 0.4),
            new CaseDimension("case_merchant_new", "merchant_new_to_card", 0.6, 1.0));

    public FeatureSpec {
        Objects.requireNonNull(version, "version");
        if (seqLen < 2) {
            throw new IllegalArgumentException("seqLen must be at least 2 (one past payment and the current): " + seqLen);
        }
        seqFeatures = List.copyOf(seqFeatures);
        denseFeatures = List.copyOf(denseFeatures);
        caseVector = List.copyOf(caseVector);
        for (CaseDimension d : caseVector) {
            if (!denseFeatures.contains(d.from())) {
                throw new IllegalArgumentException("case dimension " + d.name() + " reads unknown dense feature " + d.from());
            }
        }
    }

    /** The spec this code encodes, with L = 16. */
    public static FeatureSpec standard() {
        return standard(DEFAULT_SEQ_LEN);
    }

    /** The spec this code encodes, with another sequence length. */
    public static FeatureSpec standard(int seqLen) {
        return new FeatureSpec(VERSION, seqLen, SEQ.names, DENSE.names, CASE_VECTOR, SIMILAR_K, SIMILAR_THRESHOLD,
                CATEGORY_BUCKETS);
    }

    /** Fs. */
    public int seqFeatureCount() {
        return seqFeatures.size();
    }

    /** Fd. */
    public int denseFeatureCount() {
        return denseFeatures.size();
    }

    public int caseVectorDimension() {
        return caseVector.size();
    }

    /** SHA-256 (hex, first 16 bytes) of the canonical JSON without the hash: identifies the inputs a model expects. */
    public String hash() {
        return Sha256.hex(json(false)).substring(0, 32);
    }

    /**
     * Identifies the case vector's definition ({@link #VERSION} and the dimensions): stored with every case in the
     * index, so that a search never compares vectors of two definitions. The sequence length does not change it.
     */
    public String caseVectorVersion() {
        StringBuilder b = new StringBuilder(version);
        for (CaseDimension d : caseVector) {
            b.append('|').append(d.name()).append(',').append(d.from()).append(',').append(d.center()).append(',')
                    .append(d.scale());
        }
        return version + "-" + Sha256.hex(b.toString()).substring(0, 12);
    }

    /** Throws unless this is the spec this code encodes (for its sequence length), naming what differs. */
    public FeatureSpec requireSupported() {
        FeatureSpec code = standard(seqLen);
        if (!equals(code)) {
            throw new IllegalArgumentException("feature spec " + version + " (hash " + hash() + ") is not what this "
                    + "code encodes: " + code.version + " (hash " + code.hash() + ")");
        }
        return this;
    }

    /** The JSON form, with its hash. */
    public String toJson() {
        return json(true);
    }

    private String json(boolean withHash) {
        StringBuilder b = new StringBuilder(2048);
        b.append("{\n  \"version\": ").append(SpecJson.quote(version)).append(",\n");
        if (withHash) {
            b.append("  \"hash\": ").append(SpecJson.quote(hash())).append(",\n");
        }
        b.append("  \"seq_len\": ").append(seqLen).append(",\n");
        b.append("  \"seq_features\": ").append(names(seqFeatures)).append(",\n");
        b.append("  \"dense_features\": ").append(names(denseFeatures)).append(",\n");
        b.append("  \"case_vector\": [");
        for (int i = 0; i < caseVector.size(); i++) {
            CaseDimension d = caseVector.get(i);
            b.append(i == 0 ? "\n    " : ",\n    ").append("{\"name\": ").append(SpecJson.quote(d.name()))
                    .append(", \"from\": ").append(SpecJson.quote(d.from())).append(", \"center\": ").append(d.center())
                    .append(", \"scale\": ").append(d.scale()).append('}');
        }
        b.append("\n  ],\n");
        b.append("  \"case_vector_version\": ").append(SpecJson.quote(caseVectorVersion())).append(",\n");
        b.append("  \"similar_k\": ").append(similarK).append(",\n");
        b.append("  \"similar_threshold\": ").append(similarThreshold).append(",\n");
        b.append("  \"category_buckets\": ").append(categoryBuckets).append("\n}\n");
        return b.toString();
    }

    private static String names(List<String> names) {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < names.size(); i++) {
            b.append(i == 0 ? "" : ", ").append(SpecJson.quote(names.get(i)));
        }
        return b.append(']').toString();
    }

    /** Reads {@link #toJson()}; a hash that does not match the content is an error (the file was edited). */
    @SuppressWarnings("unchecked")
    public static FeatureSpec fromJson(String json) {
        Object parsed = SpecJson.parse(json);
        if (!(parsed instanceof Map<?, ?> root)) {
            throw new IllegalArgumentException("feature spec JSON must be an object");
        }
        List<CaseDimension> dims = new ArrayList<>();
        for (Object o : (List<Object>) field(root, "case_vector", List.class)) {
            Map<String, Object> d = (Map<String, Object>) o;
            dims.add(new CaseDimension(field(d, "name", String.class), field(d, "from", String.class),
                    field(d, "center", Double.class), field(d, "scale", Double.class)));
        }
        FeatureSpec spec = new FeatureSpec(field(root, "version", String.class),
                field(root, "seq_len", Double.class).intValue(),
                (List<String>) field(root, "seq_features", List.class),
                (List<String>) field(root, "dense_features", List.class),
                dims,
                field(root, "similar_k", Double.class).intValue(),
                field(root, "similar_threshold", Double.class),
                field(root, "category_buckets", Double.class).intValue());
        Object hash = root.get("hash");
        if (hash != null && !hash.equals(spec.hash())) {
            throw new IllegalArgumentException("feature spec hash " + hash + " does not match its content ("
                    + spec.hash() + ")");
        }
        return spec;
    }

    private static <T> T field(Map<?, ?> map, String name, Class<T> type) {
        Object value = map.get(name);
        if (!type.isInstance(value)) {
            throw new IllegalArgumentException("feature spec JSON: '" + name + "' is missing or not a "
                    + type.getSimpleName());
        }
        return type.cast(value);
    }

    /** Feature names in declaration order; {@link #add} returns the index. */
    private static final class Names {
        final List<String> names = new ArrayList<>();

        int add(String name) {
            if (names.contains(name)) {
                throw new IllegalStateException("duplicate feature name " + name);
            }
            names.add(name);
            return names.size() - 1;
        }

        int addBuckets(String prefix, int count) {
            int first = names.size();
            for (int i = 0; i < count; i++) {
                add(prefix + i);
            }
            return first;
        }

        int size() {
            return names.size();
        }
    }
}
