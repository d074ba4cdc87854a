package org.hopdeq4j.linalg;

import java.util.Arrays;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link PanelMatrix#multiply} with the Vector API: for each panel of two vectors' width and
 * each group of eight rows of C, sixteen accumulators start from the bias, take the dense part
 * (two loads of the panel's row and eight broadcasts per dense row, sixteen fused
 * multiply-adds) and then each row's list (two loads and two fused multiply-adds per entry),
 * and are stored once. Groups or panels cut short by the edge of C go through a scratch
 * block of eight rows of a panel, followed in the scratch by the last panel's padded bias.
 * Loaded only when the incubator module is in the boot layer.
 */
final class VectorPanelMatrix {

    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    private static final int L = SPECIES.length();
    private static final int P = 2 * L;

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

    /** Rows {@code i0 .. i0 + 7} (those below m) of one panel, stored from {@code at}. */
    private static void group(int i0, int m, int base, int width, float[] bias, int bOff,
                              float[] packed, int dense, int[] denseRows,
                              float[] aT, int ldaT, int[] start, int[] rows, float[] values,
                              float[] c, int at, int ldc, float[] scratch) {
        // vectors are loaded here, not passed in: a vector crossing a call is boxed
        FloatVector b0 = FloatVector.fromArray(SPECIES, bias, bOff);
        FloatVector b1 = FloatVector.fromArray(SPECIES, bias, bOff + L);
        FloatVector c00 = b0;
        FloatVector c01 = b1;
        FloatVector c10 = b0;
        FloatVector c11 = b1;
        FloatVector c20 = b0;
        FloatVector c21 = b1;
        FloatVector c30 = b0;
        FloatVector c31 = b1;
        FloatVector c40 = b0;
        FloatVector c41 = b1;
        FloatVector c50 = b0;
        FloatVector c51 = b1;
        FloatVector c60 = b0;
        FloatVector c61 = b1;
        FloatVector c70 = b0;
        FloatVector c71 = b1;
        for (int d = 0; d < dense; d++) {
            int r = base + denseRows[d] * P;
            FloatVector w0 = FloatVector.fromArray(SPECIES, packed, r);
            FloatVector w1 = FloatVector.fromArray(SPECIES, packed, r + L);
            int a = d * ldaT + i0;
            FloatVector v = FloatVector.broadcast(SPECIES, aT[a]);
            c00 = w0.fma(v, c00);
            c01 = w1.fma(v, c01);
            v = FloatVector.broadcast(SPECIES, aT[a + 1]);
            c10 = w0.fma(v, c10);
            c11 = w1.fma(v, c11);
            v = FloatVector.broadcast(SPECIES, aT[a + 2]);
            c20 = w0.fma(v, c20);
            c21 = w1.fma(v, c21);
            v = FloatVector.broadcast(SPECIES, aT[a + 3]);
            c30 = w0.fma(v, c30);
            c31 = w1.fma(v, c31);
            v = FloatVector.broadcast(SPECIES, aT[a + 4]);
            c40 = w0.fma(v, c40);
            c41 = w1.fma(v, c41);
            v = FloatVector.broadcast(SPECIES, aT[a + 5]);
            c50 = w0.fma(v, c50);
            c51 = w1.fma(v, c51);
            v = FloatVector.broadcast(SPECIES, aT[a + 6]);
            c60 = w0.fma(v, c60);
            c61 = w1.fma(v, c61);
            v = FloatVector.broadcast(SPECIES, aT[a + 7]);
            c70 = w0.fma(v, c70);
            c71 = w1.fma(v, c71);
        }
        // each row's list; rows past m have empty lists
        int end = start[m];
        int s0 = start[i0];
        int s1 = i0 + 1 < m ? start[i0 + 1] : end;
        int s2 = i0 + 2 < m ? start[i0 + 2] : end;
        int s3 = i0 + 3 < m ? start[i0 + 3] : end;
        int s4 = i0 + 4 < m ? start[i0 + 4] : end;
        int s5 = i0 + 5 < m ? start[i0 + 5] : end;
        int s6 = i0 + 6 < m ? start[i0 + 6] : end;
        int s7 = i0 + 7 < m ? start[i0 + 7] : end;
        int s8 = i0 + 8 < m ? start[i0 + 8] : end;
        for (int q = s0; q < s1; q++) {
            int r = base + rows[q] * P;
            FloatVector v = FloatVector.broadcast(SPECIES, values[q]);
            c00 = FloatVector.fromArray(SPECIES, packed, r).fma(v, c00);
            c01 = FloatVector.fromArray(SPECIES, packed, r + L).fma(v, c01);
        }
        for (int q = s1; q < s2; q++) {
            int r = base + rows[q] * P;
            FloatVector v = FloatVector.broadcast(SPECIES, values[q]);
            c10 = FloatVector.fromArray(SPECIES, packed, r).fma(v, c10);
            c11 = FloatVector.fromArray(SPECIES, packed, r + L).fma(v, c11);
        }
        for (int q = s2; q < s3; q++) {
            int r = base + rows[q] * P;
            FloatVector v = FloatVector.broadcast(SPECIES, values[q]);
            c20 = FloatVector.fromArray(SPECIES, packed, r).fma(v, c20);
            c21 = FloatVector.fromArray(SPECIES, packed, r + L).fma(v, c21);
        }
        for (int q = s3; q < s4; q++) {
            int r = base + rows[q] * P;
            FloatVector v = FloatVector.broadcast(SPECIES, values[q]);
            c30 = FloatVector.fromArray(SPECIES, packed, r).fma(v, c30);
            c31 = FloatVector.fromArray(SPECIES, packed, r + L).fma(v, c31);
        }
        for (int q = s4; q < s5; q++) {
            int r = base + rows[q] * P;
            FloatVector v = FloatVector.broadcast(SPECIES, values[q]);
            c40 = FloatVector.fromArray(SPECIES, packed, r).fma(v, c40);
            c41 = FloatVector.fromArray(SPECIES, packed, r + L).fma(v, c41);
        }
        for (int q = s5; q < s6; q++) {
            int r = base + rows[q] * P;
            FloatVector v = FloatVector.broadcast(SPECIES, values[q]);
            c50 = FloatVector.fromArray(SPECIES, packed, r).fma(v, c50);
            c51 = FloatVector.fromArray(SPECIES, packed, r + L).fma(v, c51);
        }
        for (int q = s6; q < s7; q++) {
            int r = base + rows[q] * P;
            FloatVector v = FloatVector.broadcast(SPECIES, values[q]);
            c60 = FloatVector.fromArray(SPECIES, packed, r).fma(v, c60);
            c61 = FloatVector.fromArray(SPECIES, packed, r + L).fma(v, c61);
        }
        for (int q = s7; q < s8; q++) {
            int r = base + rows[q] * P;
            FloatVector v = FloatVector.broadcast(SPECIES, values[q]);
            c70 = FloatVector.fromArray(SPECIES, packed, r).fma(v, c70);
            c71 = FloatVector.fromArray(SPECIES, packed, r + L).fma(v, c71);
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
        if (direct || count > 1) {
            c10.intoArray(out, o + ld);
            c11.intoArray(out, o + ld + L);
        }
        if (direct || count > 2) {
            c20.intoArray(out, o + 2 * ld);
            c21.intoArray(out, o + 2 * ld + L);
        }
        if (direct || count > 3) {
            c30.intoArray(out, o + 3 * ld);
            c31.intoArray(out, o + 3 * ld + L);
        }
        if (direct || count > 4) {
            c40.intoArray(out, o + 4 * ld);
            c41.intoArray(out, o + 4 * ld + L);
        }
        if (direct || count > 5) {
            c50.intoArray(out, o + 5 * ld);
            c51.intoArray(out, o + 5 * ld + L);
        }
        if (direct || count > 6) {
            c60.intoArray(out, o + 6 * ld);
            c61.intoArray(out, o + 6 * ld + L);
        }
        if (direct || count > 7) {
            c70.intoArray(out, o + 7 * ld);
            c71.intoArray(out, o + 7 * ld + L);
        }
        if (!direct) {
            for (int i = 0; i < count; i++) {
                System.arraycopy(scratch, i * P, c, at + i * ldc, width);
            }
        }
    }
}
