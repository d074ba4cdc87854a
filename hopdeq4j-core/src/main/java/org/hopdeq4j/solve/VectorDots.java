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
     * older residuals. The loop always takes three: missing ones are stood in for by x, whose
     * row is loaded anyway, and their sums are dropped. (A loop that tested the count inside
     * ran at half the speed; only the first iterations of a solve have fewer than three.)
     */
    static void residualAndDots(float[] g, float[] x, float[] r, float[][] older,
                                int olderCount, int base, int len, double[] out) {
        if (olderCount > 3) {
            throw new IllegalArgumentException("at most 3 older residuals, not " + olderCount);
        }
        float[] o0 = olderCount > 0 ? older[0] : x;
        float[] o1 = olderCount > 1 ? older[1] : x;
        float[] o2 = olderCount > 2 ? older[2] : x;
        int step = SPECIES.length();
        int bound = SPECIES.loopBound(len);
        double gg = 0;
        double rr = 0;
        double d0 = 0;
        double d1 = 0;
        double d2 = 0;
        for (int j = 0; j < bound; ) {
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
                a0 = vr.fma(FloatVector.fromArray(SPECIES, o0, at), a0);
                a1 = vr.fma(FloatVector.fromArray(SPECIES, o1, at), a1);
                a2 = vr.fma(FloatVector.fromArray(SPECIES, o2, at), a2);
            }
            gg += ag.reduceLanes(VectorOperators.ADD);
            rr += ar.reduceLanes(VectorOperators.ADD);
            d0 += a0.reduceLanes(VectorOperators.ADD);
            d1 += a1.reduceLanes(VectorOperators.ADD);
            d2 += a2.reduceLanes(VectorOperators.ADD);
        }
        for (int j = bound; j < len; j++) {
            int at = base + j;
            float rv = g[at] - x[at];
            r[at] = rv;
            gg += (double) g[at] * g[at];
            rr += (double) rv * rv;
            d0 += (double) rv * o0[at];
            d1 += (double) rv * o1[at];
            d2 += (double) rv * o2[at];
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

    /**
     * Anderson's proposal over a full window of four and its safeguard measure in one pass
     * over a row: {@code x = w0 G0 + w1 G1 + w2 G2 + w3 G3} (the same float operations in the
     * same order as the plain loop), then {@code out[0] = |G3 - x|^2} and
     * {@code out[1] = |x|^2}, G3 being the plain step.
     */
    static void combine4AndCompare(float[] g0, float[] g1, float[] g2, float[] g3, float w0,
                                   float w1, float w2, float w3, float[] x, int base, int len,
                                   double[] out) {
        int step = SPECIES.length();
        FloatVector v0 = FloatVector.broadcast(SPECIES, w0);
        FloatVector v1 = FloatVector.broadcast(SPECIES, w1);
        FloatVector v2 = FloatVector.broadcast(SPECIES, w2);
        FloatVector v3 = FloatVector.broadcast(SPECIES, w3);
        double diff = 0;
        double norm = 0;
        int bound = SPECIES.loopBound(len);
        for (int j = 0; j < bound; ) {
            int stop = Math.min(bound, j + Dots.BLOCK);
            FloatVector ad = FloatVector.zero(SPECIES);
            FloatVector an = FloatVector.zero(SPECIES);
            for (; j < stop; j += step) {
                int at = base + j;
                FloatVector last = FloatVector.fromArray(SPECIES, g3, at);
                FloatVector vx = FloatVector.fromArray(SPECIES, g0, at).mul(v0)
                    .add(FloatVector.fromArray(SPECIES, g1, at).mul(v1))
                    .add(FloatVector.fromArray(SPECIES, g2, at).mul(v2))
                    .add(last.mul(v3));
                vx.intoArray(x, at);
                FloatVector e = last.sub(vx);
                ad = e.fma(e, ad);
                an = vx.fma(vx, an);
            }
            diff += ad.reduceLanes(VectorOperators.ADD);
            norm += an.reduceLanes(VectorOperators.ADD);
        }
        for (int j = bound; j < len; j++) {
            int at = base + j;
            float v = w0 * g0[at] + w1 * g1[at] + w2 * g2[at] + w3 * g3[at];
            x[at] = v;
            double e = (double) g3[at] - v;
            diff += e * e;
            norm += (double) v * v;
        }
        out[0] = diff;
        out[1] = norm;
    }
}
