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

    /**
     * One pass over a row for Anderson's new residual: writes {@code r = g - x} and returns
     * in {@code out} the squared norm of g ({@code out[0]}), of r ({@code out[1]}) and the
     * dot products of r with {@code older[0..olderCount)} ({@code out[2..]}); at most three
     * older residuals.
     */
    static void residualAndDots(float[] g, float[] x, float[] r, float[][] older,
                                int olderCount, int base, int len, double[] out) {
        int step = SPECIES.length();
        float[] o0 = olderCount > 0 ? older[0] : r;
        float[] o1 = olderCount > 1 ? older[1] : r;
        float[] o2 = olderCount > 2 ? older[2] : r;
        double gg = 0;
        double rr = 0;
        double d0 = 0;
        double d1 = 0;
        double d2 = 0;
        int j = 0;
        int bound = SPECIES.loopBound(len);
        while (j < bound) {
            int stop = Math.min(bound, j + Dots.BLOCK);
            FloatVector ag = FloatVector.zero(SPECIES);
            FloatVector ar = FloatVector.zero(SPECIES);
            FloatVector a0 = FloatVector.zero(SPECIES);
            FloatVector a1 = FloatVector.zero(SPECIES);
            FloatVector a2 = FloatVector.zero(SPECIES);
            for (; j < stop; j += step) {
                int at = base + j;
                FloatVector vg = FloatVector.fromArray(SPECIES, g, at);
                FloatVector vr = vg.sub(FloatVector.fromArray(SPECIES, x, at));
                vr.intoArray(r, at);
                ag = vg.fma(vg, ag);
                ar = vr.fma(vr, ar);
                if (olderCount > 0) {
                    a0 = vr.fma(FloatVector.fromArray(SPECIES, o0, at), a0);
                    if (olderCount > 1) {
                        a1 = vr.fma(FloatVector.fromArray(SPECIES, o1, at), a1);
                        if (olderCount > 2) {
                            a2 = vr.fma(FloatVector.fromArray(SPECIES, o2, at), a2);
                        }
                    }
                }
            }
            gg += ag.reduceLanes(VectorOperators.ADD);
            rr += ar.reduceLanes(VectorOperators.ADD);
            d0 += a0.reduceLanes(VectorOperators.ADD);
            d1 += a1.reduceLanes(VectorOperators.ADD);
            d2 += a2.reduceLanes(VectorOperators.ADD);
        }
        for (; j < len; j++) {
            int at = base + j;
            float rv = g[at] - x[at];
            r[at] = rv;
            gg += (double) g[at] * g[at];
            rr += (double) rv * rv;
            d0 += olderCount > 0 ? (double) rv * o0[at] : 0;
            d1 += olderCount > 1 ? (double) rv * o1[at] : 0;
            d2 += olderCount > 2 ? (double) rv * o2[at] : 0;
        }
        out[0] = gg;
        out[1] = rr;
        if (olderCount > 0) {
            out[2] = d0;
        }
        if (olderCount > 1) {
            out[3] = d1;
        }
        if (olderCount > 2) {
            out[4] = d2;
        }
    }
}
