package dev.vigil.trainer.baseline;

import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;
import ml.dmlc.xgboost4j.java.XGBoostError;

/**
 * The gradient-boosted baseline the network is measured against (the Fraud Detection Handbook's best published
 * model is XGBoost): binary logistic trees on {@link BaselineFeatures} rows, trained on the same examples with the
 * same weights as the network's base. xgboost4j ships its Linux natives in its jar; nothing is downloaded.
 *
 * @param rounds boosting rounds
 * @param maxDepth tree depth
 * @param eta learning rate
 * @param subsample row share per tree
 * @param columnSample column share per tree
 * @param threads XGBoost threads
 * @param seed seed of the row and column sampling
 */
public record XgboostBaseline(int rounds, int maxDepth, double eta, double subsample, double columnSample,
        int threads, long seed) {

    public XgboostBaseline {
        if (rounds < 1) {
            throw new IllegalArgumentException("--baseline-rounds must be at least 1, got " + rounds);
        }
        if (maxDepth < 1) {
            throw new IllegalArgumentException("baseline max depth must be at least 1, got " + maxDepth);
        }
    }

    /** Rounds 300, depth 6, eta 0.1, subsample 0.8, column sample 0.8. */
    public static XgboostBaseline defaults(int rounds, int threads, long seed) {
        return new XgboostBaseline(rounds, 6, 0.1, 0.8, 0.8, threads, seed);
    }

    /** The parameters as XGBoost takes them (and as the model card records them). */
    public Map<String, Object> parameters() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("objective", "binary:logistic");
        p.put("tree_method", "hist");
        p.put("max_depth", maxDepth);
        p.put("eta", eta);
        p.put("subsample", subsample);
        p.put("colsample_bytree", columnSample);
        p.put("min_child_weight", 1);
        p.put("nthread", threads);
        p.put("seed", seed);
        p.put("verbosity", 0);
        return p;
    }

    /** A trained booster and how long it took. */
    public record Trained(Booster booster, int width, double seconds) implements AutoCloseable {

        /** P(fraud) per row of a row-major [rows, width] matrix. */
        public float[] predict(float[] matrix, int rows) {
            if (rows == 0) {
                return new float[0];
            }
            try {
                DMatrix data = new DMatrix(matrix, rows, width, Float.NaN);
                try {
                    float[][] predictions = booster.predict(data);
                    float[] scores = new float[rows];
                    for (int i = 0; i < rows; i++) {
                        scores[i] = predictions[i][0];
                    }
                    return scores;
                } finally {
                    data.dispose();
                }
            } catch (XGBoostError e) {
                throw new IllegalStateException("XGBoost could not score: " + e.getMessage(), e);
            }
        }

        /** The model in XGBoost's JSON format. */
        public byte[] toJson() {
            try {
                return booster.toByteArray("json");
            } catch (XGBoostError e) {
                throw new IllegalStateException("XGBoost could not save the model: " + e.getMessage(), e);
            }
        }

        /** The {@code limit} features with the highest total gain, best first. */
        public List<Map.Entry<String, Double>> topFeatures(String[] names, int limit) {
            try {
                Map<String, Double> gain = booster.getScore(names, "total_gain");
                return gain.entrySet().stream()
                        .sorted(Map.Entry.<String, Double>comparingByValue(Comparator.reverseOrder()))
                        .limit(limit)
                        .toList();
            } catch (XGBoostError e) {
                return List.of();
            }
        }

        @Override
        public void close() {
            booster.dispose();
        }
    }

    /** Trains on a row-major [rows, width] matrix with labels (1/0) and loss weights. */
    public Trained train(float[] matrix, int rows, int width, float[] labels, float[] weights) {
        if (rows == 0) {
            throw new IllegalArgumentException("the baseline has no training examples");
        }
        long started = System.nanoTime();
        try {
            DMatrix data = new DMatrix(matrix, rows, width, Float.NaN);
            try {
                data.setLabel(labels);
                if (weights != null) {
                    data.setWeight(weights);
                }
                Booster booster = XGBoost.train(data, parameters(), rounds, Map.of(), null, null);
                return new Trained(booster, width, (System.nanoTime() - started) / 1e9);
            } finally {
                data.dispose();
            }
        } catch (XGBoostError e) {
            throw new IllegalStateException("XGBoost could not train: " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return "XGBoost " + Arrays.toString(parameters().entrySet().toArray()) + ", " + rounds + " rounds";
    }
}
