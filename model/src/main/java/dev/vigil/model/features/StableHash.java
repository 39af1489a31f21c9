package dev.vigil.model.features;

/**
 * A 32-bit hash of an identifier that is the same in every JVM, run and version (unlike a seeded hash): card state
 * written by one process is read by another, and the hashed category bucket is part of the feature definition.
 * FNV-1a over the UTF-16 code units, then MurmurHash3's finalizer so that similar ids spread over all bits.
 * 0 is reserved for "absent".
 */
final class StableHash {

    static final int ABSENT = 0;

    private StableHash() {
    }

    static int of(String value) {
        if (value == null) {
            return ABSENT;
        }
        int h = 0x811c9dc5;
        for (int i = 0; i < value.length(); i++) {
            h ^= value.charAt(i);
            h *= 0x01000193;
        }
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        h ^= h >>> 13;
        h *= 0xc2b2ae35;
        h ^= h >>> 16;
        return h == ABSENT ? 1 : h;
    }
}
