package org.hopdeq4j.solve;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The reductions of {@link Dots} with the JDK's Vector API ({@code jdk.incubator.vector}):
 * fused multiply-adds in the widest float vectors the CPU has, each block of
 * {@value Dots#BLOCK} elements reduced across its lanes into a double total, the tail in
 * double. Loaded only when the incubator module is in the boot layer (see {@link Dots}).
 * About five times faster than the four scalar lanes at width 2000 (docs/design-notes.md).
 */
final class VectorDots {

    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;

    private VectorDots() {
    }

    /** Lanes of the vectors used, for reports. */
    static int lanes() {
        return SPECIES.length();
    }

    /** {@code sum a_j b_j} over {@code [base, base + len)}. */
    static double dot(float[] a, float[] b, int base, int len) {
        int step = SPECIES.length();
        double total = 0;
        int j = 0;
        int bound = SPECIES.loopBound(len);
        while (j < bound) {
            int stop = Math.min(bound, j + Dots.BLOCK);
            FloatVector acc = FloatVector.zero(SPECIES);
            for (; j < stop; j += step) {
                FloatVector va = FloatVector.fromArray(SPECIES, a, base + j);
                acc = va.fma(FloatVector.fromArray(SPECIES, b, base + j), acc);
            }
            total += acc.reduceLanes(VectorOperators.ADD);
        }
        for (; j < len; j++) {
            total += (double) a[base + j] * b[base + j];
        }
        return total;
    }

    /** {@code sum (a_j - b_j)^2} into out[0] and {@code sum a_j^2} into out[1]. */
    static void differenceAndNorm(float[] a, float[] b, int base, int len, double[] out) {
        int step = SPECIES.length();
        double diff = 0;
        double norm = 0;
        int j = 0;
        int bound = SPECIES.loopBound(len);
        while (j < bound) {
            int stop = Math.min(bound, j + Dots.BLOCK);
            FloatVector d = FloatVector.zero(SPECIES);
            FloatVector n = FloatVector.zero(SPECIES);
            for (; j < stop; j += step) {
                FloatVector va = FloatVector.fromArray(SPECIES, a, base + j);
                FloatVector e = va.sub(FloatVector.fromArray(SPECIES, b, base + j));
                d = e.fma(e, d);
                n = va.fma(va, n);
            }
            diff += d.reduceLanes(VectorOperators.ADD);
            norm += n.reduceLanes(VectorOperators.ADD);
        }
        for (; j < len; j++) {
            double aj = a[base + j];
            double e = aj - b[base + j];
            diff += e * e;
            norm += aj * aj;
        }
        out[0] = diff;
        out[1] = norm;
    }
}
