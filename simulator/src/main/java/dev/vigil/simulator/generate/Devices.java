package dev.vigil.simulator.generate;

/**
 * The devices of a run. They are numbered in the order the run creates them; the id scrambles the number (a bijection
 * on 40 bits, keyed by the seed), so ids are unique but a device's id does not give away that it is new.
 */
final class Devices {
    private static final long MASK = (1L << 40) - 1;
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private int next;

    /** A device nobody has used yet. */
    int create() {
        return next++;
    }

    static String id(long seed, int number) {
        long x = (number ^ Draw.mix(seed)) & MASK;
        x = (x * 0x5DEECE66DL) & MASK;
        x ^= x >>> 20;
        x = (x * 0x2545F4914F6CDD1DL) & MASK;
        x ^= x >>> 17;
        x = (x * 0x9E3779B97F4A7C15L) & MASK;
        x ^= x >>> 21;
        char[] id = new char[11];
        id[0] = 'd';
        for (int i = 10; i >= 1; i--) {
            id[i] = HEX[(int) (x & 0xF)];
            x >>>= 4;
        }
        return new String(id);
    }
}
