package org.hopdeq4j.solve;

/**
 * Dot products over one sample's row, in double over float products, with several
 * independent accumulation chains: a single chain waits for each addition to finish (four
 * cycles), which made the solvers' norms cost as much as the map on wide states. Measured
 * with a plain timing loop over 64 rows of 2000 floats: 103 us with one chain, 53 us with four
 * (docs/design-notes.md). The summation order differs from a left-to-right sum only in
 * rounding.
 */
final class Dots {

    private Dots() {
    }

    /** {@code sum (a_j - b_j)^2} into out[0] and {@code sum a_j^2} into out[1]. */
    static void differenceAndNorm(float[] a, float[] b, int base, int len, double[] out) {
        double d0 = 0;
        double d1 = 0;
        double d2 = 0;
        double d3 = 0;
        double n0 = 0;
        double n1 = 0;
        double n2 = 0;
        double n3 = 0;
        int j = base;
        int end = base + len;
        for (; j + 3 < end; j += 4) {
            double a0 = a[j];
            double a1 = a[j + 1];
            double a2 = a[j + 2];
            double a3 = a[j + 3];
            double e0 = a0 - b[j];
            double e1 = a1 - b[j + 1];
            double e2 = a2 - b[j + 2];
            double e3 = a3 - b[j + 3];
            d0 += e0 * e0;
            d1 += e1 * e1;
            d2 += e2 * e2;
            d3 += e3 * e3;
            n0 += a0 * a0;
            n1 += a1 * a1;
            n2 += a2 * a2;
            n3 += a3 * a3;
        }
        for (; j < end; j++) {
            double aj = a[j];
            double e = aj - b[j];
            d0 += e * e;
            n0 += aj * aj;
        }
        out[0] = (d0 + d1) + (d2 + d3);
        out[1] = (n0 + n1) + (n2 + n3);
    }

    /** {@code sum a_j b_j}. */
    static double dot(float[] a, float[] b, int base, int len) {
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        int j = base;
        int end = base + len;
        for (; j + 3 < end; j += 4) {
            s0 += (double) a[j] * b[j];
            s1 += (double) a[j + 1] * b[j + 1];
            s2 += (double) a[j + 2] * b[j + 2];
            s3 += (double) a[j + 3] * b[j + 3];
        }
        for (; j < end; j++) {
            s0 += (double) a[j] * b[j];
        }
        return (s0 + s1) + (s2 + s3);
    }

    /**
     * {@code r.r, r.c1, r.c2, r.c3, g.g} over one row into {@code out[0..4]}: one pass, two
     * chains per quantity.
     */
    static void gramRow(float[] r, float[] c1, float[] c2, float[] c3, float[] g, int base,
                        int len, double[] out) {
        double rr0 = 0;
        double rr1 = 0;
        double r10 = 0;
        double r11 = 0;
        double r20 = 0;
        double r21 = 0;
        double r30 = 0;
        double r31 = 0;
        double gg0 = 0;
        double gg1 = 0;
        int j = base;
        int end = base + len;
        for (; j + 1 < end; j += 2) {
            double ra = r[j];
            double rb = r[j + 1];
            double ga = g[j];
            double gb = g[j + 1];
            rr0 += ra * ra;
            rr1 += rb * rb;
            r10 += ra * c1[j];
            r11 += rb * c1[j + 1];
            r20 += ra * c2[j];
            r21 += rb * c2[j + 1];
            r30 += ra * c3[j];
            r31 += rb * c3[j + 1];
            gg0 += ga * ga;
            gg1 += gb * gb;
        }
        if (j < end) {
            double ra = r[j];
            double ga = g[j];
            rr0 += ra * ra;
            r10 += ra * c1[j];
            r20 += ra * c2[j];
            r30 += ra * c3[j];
            gg0 += ga * ga;
        }
        out[0] = rr0 + rr1;
        out[1] = r10 + r11;
        out[2] = r20 + r21;
        out[3] = r30 + r31;
        out[4] = gg0 + gg1;
    }
}
