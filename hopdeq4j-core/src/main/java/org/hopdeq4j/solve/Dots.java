package org.hopdeq4j.solve;

import org.hopdeq4j.linalg.VectorApi;

/**
 * Dot products over one sample's row for the solvers' norms and Gram matrices, summed in
 * float over blocks of {@value #BLOCK} elements, each block added into a double total. The
 * float partial sums keep the relative error near 1e-7 (against a sum in double), far below the
 * 1e-4 of the convergence measure and the ridge of Anderson's small systems.
 *
 * <p>Two implementations. When the JDK's incubating Vector API module
 * ({@code jdk.incubator.vector}) is in the boot layer, that is when the JVM was started with
 * {@code --add-modules jdk.incubator.vector} (the {@code hopdeq4j} launcher, the tests and the
 * benchmarks do), {@link VectorDots} sums in the CPU's widest vectors. Otherwise the sums run
 * in four scalar float lanes: C2 (JDK 17) does not vectorise floating-point reductions, and a
 * single accumulation chain waits four cycles for each addition. The system property
 * {@code hopdeq4j.vector=false} forces the scalar lanes. The two round differently (at the
 * 1e-7 level). Measured in docs/design-notes.md.
 */
final class Dots {

    /** Elements summed in float before the partial sums go into the double total. */
    static final int BLOCK = 256;

    /** Whether the Vector API implementation is used. */
    static final boolean VECTOR = VectorApi.links(() -> VectorDots.lanes());

    private Dots() {
    }

    /** How the reductions run, for reports: "vector-N" (N float lanes) or "scalar-4". */
    static String implementation() {
        return VECTOR ? "vector-" + VectorDots.lanes() : "scalar-4";
    }

    /** {@code sum (a_j - b_j)^2} into out[0] and {@code sum a_j^2} into out[1]. */
    static void differenceAndNorm(float[] a, float[] b, int base, int len, double[] out) {
        if (VECTOR) {
            VectorDots.differenceAndNorm(a, b, base, len, out);
        } else {
            differenceAndNormScalar(a, b, base, len, out);
        }
    }

    /** {@code sum a_j b_j}. */
    static double dot(float[] a, float[] b, int base, int len) {
        return VECTOR ? VectorDots.dot(a, b, base, len) : dotScalar(a, b, base, len);
    }

    /** Older residuals {@link #residualAndDots} takes in one pass. */
    static final int FUSED_OLDER = 3;

    /**
     * Anderson's new residual over one row: writes {@code r = g - x} and puts the squared
     * norm of g in {@code out[0]}, that of r in {@code out[1]} and the dot products of r with
     * {@code older[0..olderCount)} in {@code out[2..]}. With the Vector API and at most
     * {@value #FUSED_OLDER} older residuals it is one pass over the row; otherwise a
     * residual loop and one dot product each.
     */
    static void residualAndDots(float[] g, float[] x, float[] r, float[][] older,
                                int olderCount, int base, int len, double[] out) {
        if (VECTOR && olderCount <= FUSED_OLDER) {
            VectorDots.residualAndDots(g, x, r, older, olderCount, base, len, out);
            return;
        }
        for (int j = base, end = base + len; j < end; j++) {
            r[j] = g[j] - x[j];
        }
        out[0] = dot(g, g, base, len);
        out[1] = dot(r, r, base, len);
        for (int c = 0; c < olderCount; c++) {
            out[2 + c] = dot(r, older[c], base, len);
        }
    }

    /** {@link #differenceAndNorm} in four scalar float lanes. */
    static void differenceAndNormScalar(float[] a, float[] b, int base, int len,
                                        double[] out) {
        double diff = 0;
        double norm = 0;
        int j = base;
        int end = base + len;
        while (end - j >= 4) {
            int stop = j + Math.min(BLOCK, (end - j) & ~3);
            float d0 = 0;
            float d1 = 0;
            float d2 = 0;
            float d3 = 0;
            float n0 = 0;
            float n1 = 0;
            float n2 = 0;
            float n3 = 0;
            for (; j < stop; j += 4) {
                float a0 = a[j];
                float a1 = a[j + 1];
                float a2 = a[j + 2];
                float a3 = a[j + 3];
                float e0 = a0 - b[j];
                float e1 = a1 - b[j + 1];
                float e2 = a2 - b[j + 2];
                float e3 = a3 - b[j + 3];
                d0 += e0 * e0;
                d1 += e1 * e1;
                d2 += e2 * e2;
                d3 += e3 * e3;
                n0 += a0 * a0;
                n1 += a1 * a1;
                n2 += a2 * a2;
                n3 += a3 * a3;
            }
            diff += ((double) d0 + d1) + ((double) d2 + d3);
            norm += ((double) n0 + n1) + ((double) n2 + n3);
        }
        for (; j < end; j++) {
            double aj = a[j];
            double e = aj - b[j];
            diff += e * e;
            norm += aj * aj;
        }
        out[0] = diff;
        out[1] = norm;
    }

    /** {@link #dot} in four scalar float lanes. */
    static double dotScalar(float[] a, float[] b, int base, int len) {
        double total = 0;
        int j = base;
        int end = base + len;
        while (end - j >= 4) {
            int stop = j + Math.min(BLOCK, (end - j) & ~3);
            float s0 = 0;
            float s1 = 0;
            float s2 = 0;
            float s3 = 0;
            for (; j < stop; j += 4) {
                s0 += a[j] * b[j];
                s1 += a[j + 1] * b[j + 1];
                s2 += a[j + 2] * b[j + 2];
                s3 += a[j + 3] * b[j + 3];
            }
            total += ((double) s0 + s1) + ((double) s2 + s3);
        }
        for (; j < end; j++) {
            total += (double) a[j] * b[j];
        }
        return total;
    }
}
