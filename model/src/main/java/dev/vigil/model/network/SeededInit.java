package dev.vigil.model.network;

import java.nio.charset.StandardCharsets;

/**
 * Initial weights as a pure function of (seed, canonical parameter name, shape): independent of the engine's random
 * generator, of the order in which parameters are initialised and of the JDK, so two runs with the same seed start
 * from bit-identical weights, and a fresh adapter's A matrices can be rebuilt without building the network.
 *
 * <ul>
 *   <li>{@code *.weight} [out, in]: Glorot uniform, bound sqrt(6 / (in + out)).</li>
 *   <li>{@code *.bias}, {@code *.beta}, {@code *.lora_b}: zeros (B = 0 makes a fresh adapter a no-op).</li>
 *   <li>{@code *.gamma}: ones.</li>
 *   <li>{@code input.position}: normal, sigma 0.02.</li>
 *   <li>{@code *.lora_a} [r, in]: normal, sigma 1 / sqrt(in), so x A^T has unit scale whatever the rank.</li>
 * </ul>
 */
public final class SeededInit {

    private SeededInit() {}

    /** The initial values of parameter {@code name} with shape {@code shape}. */
    public static FloatTensor initialValues(long seed, String name, int... shape) {
        FloatTensor zeros = FloatTensor.zeros(shape);
        float[] values = new float[zeros.size()];
        SplitMix64 random = new SplitMix64(seed ^ fnv1a64(name));
        if (name.endsWith(".weight")) {
            double bound = Math.sqrt(6.0 / (shape[0] + shape[1]));
            for (int i = 0; i < values.length; i++) {
                values[i] = (float) ((2 * random.nextDouble() - 1) * bound);
            }
        } else if (name.endsWith(".lora_a")) {
            double sigma = 1.0 / Math.sqrt(shape[1]);
            for (int i = 0; i < values.length; i++) {
                values[i] = (float) (random.nextGaussian() * sigma);
            }
        } else if (name.endsWith(".position")) {
            for (int i = 0; i < values.length; i++) {
                values[i] = (float) (random.nextGaussian() * 0.02);
            }
        } else if (name.endsWith(".gamma")) {
            java.util.Arrays.fill(values, 1f);
        } else if (!(name.endsWith(".bias") || name.endsWith(".beta") || name.endsWith(".lora_b"))) {
            throw new IllegalArgumentException("no initialisation rule for parameter " + name);
        }
        return FloatTensor.of(shape, values);
    }

    private static long fnv1a64(String name) {
        long hash = 0xcbf29ce484222325L;
        for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
            hash ^= b & 0xff;
            hash *= 0x100000001b3L;
        }
        return hash;
    }

    /** SplitMix64 (Steele, Lea, Flood 2014): fixed here so that weights never depend on the JDK's generators. */
    private static final class SplitMix64 {
        private long state;
        private double spareGaussian = Double.NaN;

        SplitMix64(long seed) {
            state = seed;
        }

        long nextLong() {
            long z = (state += 0x9E3779B97F4A7C15L);
            z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
            z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
            return z ^ (z >>> 31);
        }

        double nextDouble() {
            return (nextLong() >>> 11) * 0x1.0p-53;
        }

        /** Box-Muller. */
        double nextGaussian() {
            if (!Double.isNaN(spareGaussian)) {
                double g = spareGaussian;
                spareGaussian = Double.NaN;
                return g;
            }
            double u1;
            do {
                u1 = nextDouble();
            } while (u1 == 0);
            double u2 = nextDouble();
            double radius = StrictMath.sqrt(-2 * StrictMath.log(u1));
            spareGaussian = radius * StrictMath.sin(2 * Math.PI * u2);
            return radius * StrictMath.cos(2 * Math.PI * u2);
        }
    }
}
