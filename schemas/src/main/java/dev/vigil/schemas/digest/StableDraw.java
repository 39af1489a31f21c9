package dev.vigil.schemas.digest;

import java.nio.charset.StandardCharsets;

/**
 * A draw that is a function of an id, not of a random generator: the same transaction gets the same draw in every
 * process, after a crash and in every replay. Used wherever a decision must be reproducible by id: the trainer's
 * negative sampling, the scorer's exploration, the replay's cardholder reports.
 */
public final class StableDraw {

    private StableDraw() {}

    /**
     * A uniform number in [0, 1) from (seed, id): SplitMix64's finaliser over FNV-1a of the id's UTF-8 bytes plus the
     * seed times the golden-ratio increment. Different seeds give independent-looking draws of the same id.
     */
    public static double uniform(long seed, String id) {
        long h = 0xcbf29ce484222325L;
        for (byte b : id.getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xff;
            h *= 0x100000001b3L;
        }
        long z = h + seed * 0x9e3779b97f4a7c15L;
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        z = z ^ (z >>> 31);
        return (z >>> 11) * 0x1.0p-53;
    }
}
