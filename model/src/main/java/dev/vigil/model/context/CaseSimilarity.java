package dev.vigil.model.context;

/**
 * The cosine similarity of case vectors: the one function every context source ranks and reports with, so that a
 * similarity computed by the trainer's {@link HistoryContextSource} and one recomputed by the serving side from the
 * vectors OpenSearch returns are the same double, bit for bit.
 *
 * <p>Why bit for bit is possible: a product of two floats is exact in double, and the sums run in one fixed order
 * (four interleaved accumulators, then {@code (s0 + s1) + (s2 + s3)}); Java evaluates doubles strictly (Java 17+) and
 * never reorders these additions, and {@code Math.sqrt} is correctly rounded. The four accumulators are for speed
 * (independent chains), not for accuracy.
 */
public final class CaseSimilarity {

    private CaseSimilarity() {
    }

    /** cos(a, b) in [-1, 1]; 0 when either vector has zero norm (no direction, so no neighbour). */
    public static double cosine(float[] a, float[] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException("vectors of dimension " + a.length + " and " + b.length);
        }
        return cosine(dot(a, b, 0, a.length), norm(a), norm(b));
    }

    /** The cosine from a dot product and the two norms, as {@link #cosine(float[], float[])} computes it. */
    static double cosine(double dot, double normA, double normB) {
        if (normA == 0 || normB == 0) {
            return 0.0;
        }
        double c = dot / (normA * normB);
        return c > 1.0 ? 1.0 : Math.max(c, -1.0);
    }

    /** The Euclidean norm, summed in the fixed order of {@link #dot}. */
    public static double norm(float[] a) {
        return Math.sqrt(dot(a, a, 0, a.length));
    }

    /** a . b[offset .. offset + dim), summed in the fixed order described in the class comment. */
    static double dot(float[] a, float[] b, int offset, int dim) {
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        int i = 0;
        for (; i + 3 < dim; i += 4) {
            s0 += (double) a[i] * b[offset + i];
            s1 += (double) a[i + 1] * b[offset + i + 1];
            s2 += (double) a[i + 2] * b[offset + i + 2];
            s3 += (double) a[i + 3] * b[offset + i + 3];
        }
        for (; i < dim; i++) {
            s0 += (double) a[i] * b[offset + i];
        }
        return (s0 + s1) + (s2 + s3);
    }
}
