package dev.vigil.simulator.generate;

import java.util.SplittableRandom;

/**
 * Random draws the simulator needs. StrictMath everywhere, so a seed gives the same numbers on every JVM and CPU;
 * derived streams ({@link #stream}) and hashes ({@link #unit}) keep one part of the simulation from shifting another's
 * numbers when it changes.
 */
final class Draw {

    private Draw() {
    }

    /** An independent random stream for one part of the simulation on one day. */
    static SplittableRandom stream(long seed, int day, int part) {
        return new SplittableRandom(mix(mix(seed ^ 0x5DEECE66DL) + day * 0x9E3779B97F4A7C15L + part));
    }

    /** SplitMix64's finalizer: a bijective scramble of 64 bits. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** A uniform number in [0, 1) fixed by its inputs: a choice that stays the same every time it is asked for. */
    static double unit(long seed, long a, long b, long c) {
        long h = mix(seed + mix(a + mix(b + mix(c))));
        return (h >>> 11) * 0x1.0p-53;
    }

    static double uniform(SplittableRandom rng, double from, double to) {
        return from + (to - from) * rng.nextDouble();
    }

    /** Standard normal (Marsaglia's polar method). */
    static double gaussian(SplittableRandom rng) {
        double u;
        double v;
        double s;
        do {
            u = 2 * rng.nextDouble() - 1;
            v = 2 * rng.nextDouble() - 1;
            s = u * u + v * v;
        } while (s >= 1 || s == 0);
        return u * StrictMath.sqrt(-2 * StrictMath.log(s) / s);
    }

    static double logNormal(SplittableRandom rng, double median, double spread) {
        return median * StrictMath.exp(spread * gaussian(rng));
    }

    static int poisson(SplittableRandom rng, double mean) {
        if (mean <= 0) {
            return 0;
        }
        if (mean > 30) {
            return (int) Math.max(0, Math.round(mean + StrictMath.sqrt(mean) * gaussian(rng)));
        }
        double limit = StrictMath.exp(-mean);
        double p = rng.nextDouble();
        int n = 0;
        while (p > limit) {
            p *= rng.nextDouble();
            n++;
        }
        return n;
    }

    /** Where {@code point} falls in ascending cumulative weights: the index of the first entry above it. */
    static int index(double[] cumulative, double point) {
        int lo = 0;
        int hi = cumulative.length - 1;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (cumulative[mid] > point) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        return lo;
    }

    /** A weighted pick among weights (not cumulative); a zero weight is never picked. */
    static int weighted(double[] weights, SplittableRandom rng) {
        double total = 0;
        for (double w : weights) {
            total += w;
        }
        double point = rng.nextDouble() * total;
        for (int i = 0; i < weights.length; i++) {
            point -= weights[i];
            if (point < 0 && weights[i] > 0) {
                return i;
            }
        }
        for (int i = weights.length - 1; i >= 0; i--) {
            if (weights[i] > 0) {
                return i;
            }
        }
        throw new IllegalArgumentException("all weights are zero");
    }
}
