package org.hopdeq4j.data;

/**
 * The SplitMix64 generator (Steele, Lea and Flood, "Fast splittable pseudorandom number
 * generators", OOPSLA 2014), written out here so that shuffles depend on the seed alone and
 * never on the JDK version.
 *
 * <p>{@link #nextInt(int)} draws 31 bits and rejects the top partial range, so every value
 * below the bound is equally likely.
 */
final class SplitMix64 {

    private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;

    private long state;

    SplitMix64(long seed) {
        this.state = seed;
    }

    /** The finaliser of SplitMix64: a bijection on 64-bit values that mixes every bit. */
    static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** Restarts the generator from {@code seed}, as a new instance would start. */
    void reseed(long seed) {
        this.state = seed;
    }

    long nextLong() {
        state += GOLDEN_GAMMA;
        return mix64(state);
    }

    /** Uniform value in {@code 0..bound-1}; {@code bound} must be {@code >= 1}. */
    int nextInt(int bound) {
        int m = bound - 1;
        int r = (int) (nextLong() >>> 33);
        if ((bound & m) == 0) {
            return r & m;
        }

        // Reject draws from the last incomplete block of bound values (u - r + m overflows).
        int u = r;
        while (u - (r = u % bound) + m < 0) {
            u = (int) (nextLong() >>> 33);
        }
        return r;
    }

    /** Fisher-Yates shuffle of {@code values[0..length-1]} in place. */
    void shuffle(int[] values, int length) {
        for (int i = length - 1; i > 0; i--) {
            int j = nextInt(i + 1);
            int swap = values[i];
            values[i] = values[j];
            values[j] = swap;
        }
    }
}
