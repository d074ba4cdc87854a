package org.hopdeq4j.linalg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PanelMatrixTest {

    /** A random problem: B, a dense part over distinct rows of B, and row lists. */
    record Problem(int m, int k, int n, float[] b, int dense, int[] denseRows, float[] aT,
                   int ldaT, int[] start, int[] rows, float[] values, float[] bias) {

        static Problem random(int m, int k, int n, int dense, int perRow, long seed) {
            SplittableRandom random = new SplittableRandom(seed);
            float[] b = MatMulAgreementTest.randomArray(k * n, random);
            int[] all = new int[k];
            for (int r = 0; r < k; r++) {
                all[r] = r;
            }
            for (int r = k - 1; r > 0; r--) {
                int o = random.nextInt(r + 1);
                int t = all[r];
                all[r] = all[o];
                all[o] = t;
            }
            int[] denseRows = Arrays.copyOf(all, dense);
            Arrays.sort(denseRows);
            int ldaT = PanelMatrix.paddedRows(m) + 3;
            float[] aT = MatMulAgreementTest.randomArray(Math.max(1, dense * ldaT), random);
            int[] start = new int[m + 1];
            int[] rows = new int[m * (2 * perRow + 1) + 1];
            float[] values = new float[rows.length];
            int q = 0;
            for (int i = 0; i < m; i++) {
                start[i] = q;
                int count = random.nextInt(2 * perRow + 1);
                for (int e = 0; e < count; e++) {
                    rows[q] = random.nextInt(k);
                    values[q] = (float) (random.nextDouble() * 2 - 1);
                    q++;
                }
            }
            start[m] = q;
            return new Problem(m, k, n, b, dense, denseRows, aT, ldaT, start, rows, values,
                MatMulAgreementTest.randomArray(n, random));
        }

        PanelMatrix packed() {
            PanelMatrix p = new PanelMatrix(k, n);
            p.pack(b, 0, n);
            return p;
        }

        /** The product by its definition, in double precision. */
        double[] byDefinition() {
            double[] c = new double[m * n];
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    double s = bias[j];
                    for (int d = 0; d < dense; d++) {
                        s += (double) aT[d * ldaT + i] * b[denseRows[d] * n + j];
                    }
                    for (int q = start[i]; q < start[i + 1]; q++) {
                        s += (double) values[q] * b[rows[q] * n + j];
                    }
                    c[i * n + j] = s;
                }
            }
            return c;
        }
    }

    /**
     * Row counts around the group of four, widths around the panel, with and without a
     * dense part and lists, at an offset and a stride: the kernel equals the plain loop bit
     * for bit and both equal the definition up to float rounding; nothing outside C's block
     * is written.
     */
    @ParameterizedTest
    @CsvSource({
        "1, 1, 1, 1, 1", "3, 7, 5, 2, 2", "8, 20, 31, 5, 3", "9, 20, 32, 20, 0",
        "17, 40, 33, 0, 4", "16, 50, 64, 12, 6", "64, 120, 263, 40, 12", "7, 30, 1990, 9, 5",
        "33, 784, 97, 200, 20", "6, 20, 65, 3, 2", "10, 30, 128, 0, 7"
    })
    void equalsTheDefinitionAndThePlainLoopBitForBit(int m, int k, int n, int dense,
                                                     int perRow) {
        Problem p = Problem.random(m, k, n, dense, perRow, 131L * m + 7L * n + k);
        PanelMatrix b = p.packed();
        int ldc = n + 5;
        int cOff = 3;
        float[] fast = new float[cOff + m * ldc + 2];
        Arrays.fill(fast, -7f);
        float[] plain = fast.clone();
        float[] scratch = new float[PanelMatrix.scratchLength()];
        b.multiply(m, p.dense(), p.denseRows(), p.aT(), p.ldaT(), p.start(), p.rows(),
            p.values(), p.bias(), fast, cOff, ldc, scratch);
        b.multiplyPlain(m, p.dense(), p.denseRows(), p.aT(), p.ldaT(), p.start(), p.rows(),
            p.values(), p.bias(), plain, cOff, ldc);
        double[] exact = p.byDefinition();
        for (int idx = 0; idx < fast.length; idx++) {
            int rel = idx - cOff;
            boolean inBlock = rel >= 0 && rel / ldc < m && rel % ldc < n;
            if (!inBlock) {
                assertEquals(-7f, fast[idx], "outside C at " + idx);
                assertEquals(-7f, plain[idx], "outside C at " + idx);
                continue;
            }
            assertEquals(Float.floatToRawIntBits(plain[idx]),
                Float.floatToRawIntBits(fast[idx]), "entry " + rel);
            double e = exact[(rel / ldc) * n + rel % ldc];
            assertEquals(e, fast[idx], 1e-5 * (1 + p.dense() + perRow), "entry " + rel);
        }
    }

    /** The lists alone (no dense part) and the dense part alone each give their own sum. */
    @Test
    void eitherPartMayBeEmpty() {
        Problem p = Problem.random(11, 30, 45, 6, 3, 5);
        PanelMatrix b = p.packed();
        float[] scratch = new float[PanelMatrix.scratchLength()];
        int[] noLists = new int[p.m() + 1];
        float[] c = new float[p.m() * p.n()];
        b.multiply(p.m(), p.dense(), p.denseRows(), p.aT(), p.ldaT(), noLists, new int[0],
            new float[0], p.bias(), c, 0, p.n(), scratch);
        Problem denseOnly = new Problem(p.m(), p.k(), p.n(), p.b(), p.dense(), p.denseRows(),
            p.aT(), p.ldaT(), noLists, new int[0], new float[0], p.bias());
        assertClose(denseOnly.byDefinition(), c);

        b.multiply(p.m(), 0, new int[0], new float[0], 0, p.start(), p.rows(), p.values(),
            p.bias(), c, 0, p.n(), scratch);
        Problem listsOnly = new Problem(p.m(), p.k(), p.n(), p.b(), 0, new int[0],
            new float[0], 0, p.start(), p.rows(), p.values(), p.bias());
        assertClose(listsOnly.byDefinition(), c);
    }

    /** Packing again after B changed gives the new product; the old copy is not kept. */
    @Test
    void packingAgainFollowsB() {
        Problem p = Problem.random(9, 25, 40, 10, 2, 9);
        PanelMatrix b = p.packed();
        for (int i = 0; i < p.b().length; i++) {
            p.b()[i] = -2f * p.b()[i] + 0.5f;
        }
        b.pack(p.b(), 0, p.n());
        float[] c = new float[p.m() * p.n()];
        b.multiply(p.m(), p.dense(), p.denseRows(), p.aT(), p.ldaT(), p.start(), p.rows(),
            p.values(), p.bias(), c, 0, p.n(), new float[PanelMatrix.scratchLength()]);
        assertClose(p.byDefinition(), c);
    }

    /** NaN and infinities in B or the coefficients come out as in the plain sum. */
    @Test
    void nonFiniteValuesPropagate() {
        Problem p = Problem.random(8, 12, 40, 4, 2, 3);
        p.b()[p.denseRows()[1] * p.n() + 3] = Float.NaN;
        p.aT()[2 * p.ldaT() + 5] = Float.POSITIVE_INFINITY;
        PanelMatrix b = p.packed();
        float[] fast = new float[p.m() * p.n()];
        float[] plain = new float[fast.length];
        b.multiply(p.m(), p.dense(), p.denseRows(), p.aT(), p.ldaT(), p.start(), p.rows(),
            p.values(), p.bias(), fast, 0, p.n(), new float[PanelMatrix.scratchLength()]);
        b.multiplyPlain(p.m(), p.dense(), p.denseRows(), p.aT(), p.ldaT(), p.start(),
            p.rows(), p.values(), p.bias(), plain, 0, p.n());
        assertTrue(Float.isNaN(fast[3]), "NaN from B reaches every row");
        for (int i = 0; i < fast.length; i++) {
            assertEquals(Float.floatToRawIntBits(plain[i]), Float.floatToRawIntBits(fast[i]),
                "entry " + i);
        }
    }

    @Test
    void badArgumentsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> new PanelMatrix(0, 3));
        assertThrows(IllegalArgumentException.class, () -> new PanelMatrix(3, 0));
        PanelMatrix b = new PanelMatrix(4, 10);
        assertThrows(IllegalArgumentException.class, () -> b.pack(new float[39], 0, 10));
        assertThrows(IllegalArgumentException.class, () -> b.pack(new float[40], 0, 9));
        b.pack(new float[40], 0, 10);
        float[] scratch = new float[PanelMatrix.scratchLength()];
        int[] start = new int[3];
        float[] c = new float[20];
        float[] bias = new float[10];
        // aT's stride below the padded rows
        int tooSmall = PanelMatrix.paddedRows(2) - 1;
        assertThrows(IllegalArgumentException.class, () -> b.multiply(2, 1, new int[] {0},
            new float[8], tooSmall, start, new int[0], new float[0], bias, c, 0, 10, scratch));
        // C too short
        assertThrows(IllegalArgumentException.class, () -> b.multiply(2, 0, new int[0],
            new float[0], 0, start, new int[0], new float[0], bias, new float[19], 0, 10,
            scratch));
        // scratch too short
        assertThrows(IllegalArgumentException.class, () -> b.multiply(2, 0, new int[0],
            new float[0], 0, start, new int[0], new float[0], bias, c, 0, 10,
            new float[PanelMatrix.scratchLength() - 1]));
        // a list entry or a dense row outside B
        int[] oneEntry = {0, 1, 1};
        assertThrows(IllegalArgumentException.class, () -> b.multiply(2, 0, new int[0],
            new float[0], 0, oneEntry, new int[] {4}, new float[] {1f}, bias, c, 0, 10,
            scratch));
        assertThrows(IllegalArgumentException.class, () -> b.multiply(2, 1, new int[] {-1},
            new float[8], 8, start, new int[0], new float[0], bias, c, 0, 10, scratch));
        // list starts that go back: row 0's list would run over entries never checked
        int[] backwards = {0, 3, 1};
        assertThrows(IllegalArgumentException.class, () -> b.multiply(2, 0, new int[0],
            new float[0], 0, backwards, new int[] {0, 0, 9}, new float[3], bias, c, 0, 10,
            scratch));
    }

    static void assertClose(double[] expected, float[] actual) {
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], 1e-5 * (1 + Math.abs(expected[i])),
                "entry " + i);
        }
    }
}
