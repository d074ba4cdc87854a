package org.hopdeq4j.linalg;

import java.util.Arrays;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link PanelMatrix#multiply} with the Vector API: for each panel of four vectors' width and
 * each group of four rows of C, sixteen accumulators start from the bias, take the dense part
 * (four loads of the panel's row and four broadcasts per dense row, sixteen fused
 * multiply-adds) and then each row's list (four loads and four fused multiply-adds per
 * entry), and are stored once. Groups or panels cut short by the edge of C go through a
 * scratch block of four rows of a panel, followed in the scratch by the last panel's padded
 * bias. Loaded only when the incubator module is in the boot layer.
 */
final class VectorPanelMatrix {

    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    private static final int L = SPECIES.length();
    private static final int P = 4 * L;

    private VectorPanelMatrix() {
    }

    /** Lanes of the vectors used. */
    static int lanes() {
        return L;
    }

    /** Columns per panel. */
    static int panelWidth() {
        return P;
    }

    static void multiply(int m, int n, int k, float[] packed, int dense, int[] denseRows,
                         float[] aT, int ldaT, int[] start, int[] rows, float[] values,
                         float[] bias, float[] c, int cOff, int ldc, float[] scratch) {
        int panels = (n + P - 1) / P;
        for (int p = 0; p < panels; p++) {
            int col = p * P;
            int width = Math.min(P, n - col);
            float[] b = bias;
            int bOff = col;
            if (width < P) {
                // the last panel's bias, padded with zeros, after the group's store block
                b = scratch;
                bOff = scratch.length - P;
                Arrays.fill(scratch, bOff, scratch.length, 0f);
                System.arraycopy(bias, col, scratch, bOff, width);
            }
            int base = p * k * P;
            for (int i0 = 0; i0 < m; i0 += PanelMatrix.GROUP) {
                group(i0, m, base, width, b, bOff, packed, dense, denseRows, aT, ldaT, start,
                    rows, values, c, cOff + i0 * ldc + col, ldc, scratch);
            }
        }
    }

    /** Rows {@code i0 .. i0 + 3} (those below m) of one panel, stored from {@code at}. */
    private static void group(int i0, int m, int base, int width, float[] bias, int bOff,
                              float[] packed, int dense, int[] denseRows,
                              float[] aT, int ldaT, int[] start, int[] rows, float[] values,
                              float[] c, int at, int ldc, float[] scratch) {
        // vectors are loaded here, not passed in: a vector crossing a call is boxed
        FloatVector b0 = FloatVector.fromArray(SPECIES, bias, bOff);
        FloatVector b1 = FloatVector.fromArray(SPECIES, bias, bOff + L);
        FloatVector b2 = FloatVector.fromArray(SPECIES, bias, bOff + 2 * L);
        FloatVector b3 = FloatVector.fromArray(SPECIES, bias, bOff + 3 * L);
        FloatVector c00 = b0;
        FloatVector c01 = b1;
        FloatVector c02 = b2;
        FloatVector c03 = b3;
        FloatVector c10 = b0;
        FloatVector c11 = b1;
        FloatVector c12 = b2;
        FloatVector c13 = b3;
        FloatVector c20 = b0;
        FloatVector c21 = b1;
        FloatVector c22 = b2;
        FloatVector c23 = b3;
        FloatVector c30 = b0;
        FloatVector c31 = b1;
        FloatVector c32 = b2;
        FloatVector c33 = b3;
        for (int d = 0; d < dense; d++) {
            int r = base + denseRows[d] * P;
            FloatVector w0 = FloatVector.fromArray(SPECIES, packed, r);
            FloatVector w1 = FloatVector.fromArray(SPECIES, packed, r + L);
            FloatVector w2 = FloatVector.fromArray(SPECIES, packed, r + 2 * L);
            FloatVector w3 = FloatVector.fromArray(SPECIES, packed, r + 3 * L);
            int a = d * ldaT + i0;
            FloatVector a0 = FloatVector.broadcast(SPECIES, aT[a + 0]);
            FloatVector a1 = FloatVector.broadcast(SPECIES, aT[a + 1]);
            FloatVector a2 = FloatVector.broadcast(SPECIES, aT[a + 2]);
            FloatVector a3 = FloatVector.broadcast(SPECIES, aT[a + 3]);
            c00 = w0.fma(a0, c00);
            c01 = w1.fma(a0, c01);
            c02 = w2.fma(a0, c02);
            c03 = w3.fma(a0, c03);
            c10 = w0.fma(a1, c10);
            c11 = w1.fma(a1, c11);
            c12 = w2.fma(a1, c12);
            c13 = w3.fma(a1, c13);
            c20 = w0.fma(a2, c20);
            c21 = w1.fma(a2, c21);
            c22 = w2.fma(a2, c22);
            c23 = w3.fma(a2, c23);
            c30 = w0.fma(a3, c30);
            c31 = w1.fma(a3, c31);
            c32 = w2.fma(a3, c32);
            c33 = w3.fma(a3, c33);
        }
        // each row's list in list order; rows past m have empty lists
        int end = start[m];
        int s0 = start[i0];
        int s1 = i0 + 1 < m ? start[i0 + 1] : end;
        int s2 = i0 + 2 < m ? start[i0 + 2] : end;
        int s3 = i0 + 3 < m ? start[i0 + 3] : end;
        int s4 = i0 + 4 < m ? start[i0 + 4] : end;
        for (int q = s0; q < s1; q++) {
            int r = base + rows[q] * P;
            FloatVector v = FloatVector.broadcast(SPECIES, values[q]);
            c00 = FloatVector.fromArray(SPECIES, packed, r).fma(v, c00);
            c01 = FloatVector.fromArray(SPECIES, packed, r + L).fma(v, c01);
            c02 = FloatVector.fromArray(SPECIES, packed, r + 2 * L).fma(v, c02);
            c03 = FloatVector.fromArray(SPECIES, packed, r + 3 * L).fma(v, c03);
        }
        for (int q = s1; q < s2; q++) {
            int r = base + rows[q] * P;
            FloatVector v = FloatVector.broadcast(SPECIES, values[q]);
            c10 = FloatVector.fromArray(SPECIES, packed, r).fma(v, c10);
            c11 = FloatVector.fromArray(SPECIES, packed, r + L).fma(v, c11);
            c12 = FloatVector.fromArray(SPECIES, packed, r + 2 * L).fma(v, c12);
            c13 = FloatVector.fromArray(SPECIES, packed, r + 3 * L).fma(v, c13);
        }
        for (int q = s2; q < s3; q++) {
            int r = base + rows[q] * P;
            FloatVector v = FloatVector.broadcast(SPECIES, values[q]);
            c20 = FloatVector.fromArray(SPECIES, packed, r).fma(v, c20);
            c21 = FloatVector.fromArray(SPECIES, packed, r + L).fma(v, c21);
            c22 = FloatVector.fromArray(SPECIES, packed, r + 2 * L).fma(v, c22);
            c23 = FloatVector.fromArray(SPECIES, packed, r + 3 * L).fma(v, c23);
        }
        for (int q = s3; q < s4; q++) {
            int r = base + rows[q] * P;
            FloatVector v = FloatVector.broadcast(SPECIES, values[q]);
            c30 = FloatVector.fromArray(SPECIES, packed, r).fma(v, c30);
            c31 = FloatVector.fromArray(SPECIES, packed, r + L).fma(v, c31);
            c32 = FloatVector.fromArray(SPECIES, packed, r + 2 * L).fma(v, c32);
            c33 = FloatVector.fromArray(SPECIES, packed, r + 3 * L).fma(v, c33);
        }

        int count = Math.min(PanelMatrix.GROUP, m - i0);
        float[] out = c;
        int o = at;
        int ld = ldc;
        boolean direct = count == PanelMatrix.GROUP && width == P;
        if (!direct) {
            out = scratch;
            o = 0;
            ld = P;
        }
        c00.intoArray(out, o);
        c01.intoArray(out, o + L);
        c02.intoArray(out, o + 2 * L);
        c03.intoArray(out, o + 3 * L);
        if (direct || count > 1) {
            c10.intoArray(out, o + ld);
            c11.intoArray(out, o + ld + L);
            c12.intoArray(out, o + ld + 2 * L);
            c13.intoArray(out, o + ld + 3 * L);
        }
        if (direct || count > 2) {
            c20.intoArray(out, o + 2 * ld);
            c21.intoArray(out, o + 2 * ld + L);
            c22.intoArray(out, o + 2 * ld + 2 * L);
            c23.intoArray(out, o + 2 * ld + 3 * L);
        }
        if (direct || count > 3) {
            c30.intoArray(out, o + 3 * ld);
            c31.intoArray(out, o + 3 * ld + L);
            c32.intoArray(out, o + 3 * ld + 2 * L);
            c33.intoArray(out, o + 3 * ld + 3 * L);
        }
        if (!direct) {
            for (int i = 0; i < count; i++) {
                System.arraycopy(scratch, i * P, c, at + i * ldc, width);
            }
        }
    }
}
