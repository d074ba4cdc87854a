package org.hopdeq4j.linalg;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link SparseRows#addRows} with the Vector API: C is taken in tiles of {@value #TILE}
 * columns and, within a tile, each row in stretches of four vectors (then single vectors, then
 * scalars), each stretch summed over the row's whole list in registers and stored once. The
 * tiles keep the rows of B that the lists use in L2 while all rows of C go through them (on
 * the input drive, 220 rows of 2 KB instead of 8 KB). Loaded only when the incubator module is
 * in the boot layer.
 */
final class VectorSparseRows {

    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;

    /** Columns per tile; a multiple of every vector length. */
    static final int TILE = 512;

    private VectorSparseRows() {
    }

    /** Lanes of the vectors used. */
    static int lanes() {
        return SPECIES.length();
    }

    static void addRows(int m, int n, int[] start, int[] rows, float[] values,
                        float[] b, int bOff, int ldb, float[] c, int cOff, int ldc) {
        // column tiles, so that the rows of B the lists use stay in L2 across the rows of C
        for (int j0 = 0; j0 < n; j0 += TILE) {
            int w = Math.min(TILE, n - j0);
            addRowsTile(m, w, start, rows, values, b, bOff + j0, ldb, c, cOff + j0, ldc);
        }
    }

    /** {@link #addRows} over columns {@code [0, n)} of the given offsets. */
    private static void addRowsTile(int m, int n, int[] start, int[] rows, float[] values,
                                    float[] b, int bOff, int ldb, float[] c, int cOff,
                                    int ldc) {
        int lanes = SPECIES.length();
        int wide = 4 * lanes;
        for (int i = 0; i < m; i++) {
            int row = cOff + i * ldc;
            int from = start[i];
            int to = start[i + 1];
            if (from == to) {
                continue;
            }
            int j = 0;
            for (; j + wide <= n; j += wide) {
                stretchOfFour(row + j, bOff + j, from, to, rows, values, b, ldb, c, lanes);
            }
            for (; j + lanes <= n; j += lanes) {
                FloatVector acc = FloatVector.fromArray(SPECIES, c, row + j);
                for (int q = from; q < to; q++) {
                    FloatVector v = FloatVector.broadcast(SPECIES, values[q]);
                    acc = FloatVector.fromArray(SPECIES, b, bOff + rows[q] * ldb + j).fma(v, acc);
                }
                acc.intoArray(c, row + j);
            }
            for (; j < n; j++) {
                float acc = c[row + j];
                for (int q = from; q < to; q++) {
                    acc = Math.fma(values[q], b[bOff + rows[q] * ldb + j], acc);
                }
                c[row + j] = acc;
            }
        }
    }

    /** Four vectors of C from {@code at}, summed over entries {@code [from, to)}. */
    private static void stretchOfFour(int at, int bAt, int from, int to, int[] rows,
                                      float[] values, float[] b, int ldb, float[] c, int lanes) {
        FloatVector a0 = FloatVector.fromArray(SPECIES, c, at);
        FloatVector a1 = FloatVector.fromArray(SPECIES, c, at + lanes);
        FloatVector a2 = FloatVector.fromArray(SPECIES, c, at + 2 * lanes);
        FloatVector a3 = FloatVector.fromArray(SPECIES, c, at + 3 * lanes);
        for (int q = from; q < to; q++) {
            FloatVector v = FloatVector.broadcast(SPECIES, values[q]);
            int r = bAt + rows[q] * ldb;
            a0 = FloatVector.fromArray(SPECIES, b, r).fma(v, a0);
            a1 = FloatVector.fromArray(SPECIES, b, r + lanes).fma(v, a1);
            a2 = FloatVector.fromArray(SPECIES, b, r + 2 * lanes).fma(v, a2);
            a3 = FloatVector.fromArray(SPECIES, b, r + 3 * lanes).fma(v, a3);
        }
        a0.intoArray(c, at);
        a1.intoArray(c, at + lanes);
        a2.intoArray(c, at + 2 * lanes);
        a3.intoArray(c, at + 3 * lanes);
    }
}
