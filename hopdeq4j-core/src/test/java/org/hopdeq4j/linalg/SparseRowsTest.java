package org.hopdeq4j.linalg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class SparseRowsTest {

    /** Row lists with about {@code perRow} entries each, rows of B drawn from {@code k}. */
    record Lists(int[] start, int[] rows, float[] values) {

        static Lists random(int m, int k, int perRow, long seed) {
            SplittableRandom random = new SplittableRandom(seed);
            int[] start = new int[m + 1];
            int[] rows = new int[m * (2 * perRow + 1)];
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
            return new Lists(start, rows, values);
        }
    }

    static float[] uniform(int length, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] a = new float[length];
        for (int i = 0; i < length; i++) {
            a[i] = (float) (random.nextDouble() * 2 - 1);
        }
        return a;
    }

    /** Sizes with remainders after four vectors, one vector and none, at offsets and strides. */
    @ParameterizedTest
    @CsvSource({
        "1, 1, 1, 1", "3, 7, 5, 2", "17, 31, 13, 4", "5, 64, 9, 3", "9, 67, 40, 6",
        "64, 263, 101, 12", "2, 1990, 50, 20", "4, 0, 3, 2"
    })
    void equalsTheDefinitionAndThePlainLoopBitForBit(int m, int n, int k, int perRow) {
        Lists lists = Lists.random(m, k, perRow, 31L * m + n);
        int ldb = n + 3;
        int bOff = 5;
        int ldc = n + 2;
        int cOff = 7;
        float[] b = uniform(bOff + k * ldb, 11 + n);
        float[] c0 = uniform(cOff + m * ldc + 4, 13 + m);

        float[] fast = c0.clone();
        SparseRows.addRows(m, n, lists.start(), lists.rows(), lists.values(), b, bOff, ldb,
            fast, cOff, ldc);
        float[] plain = c0.clone();
        SparseRows.addRowsPlain(m, n, lists.start(), lists.rows(), lists.values(), b, bOff,
            ldb, plain, cOff, ldc);
        assertArrayEquals(plain, fast, "the kernel adds the entries in list order with FMAs");

        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double sum = c0[cOff + i * ldc + j];
                for (int q = lists.start()[i]; q < lists.start()[i + 1]; q++) {
                    sum += (double) lists.values()[q] * b[bOff + lists.rows()[q] * ldb + j];
                }
                int at = cOff + i * ldc + j;
                assertEquals(sum, fast[at], 1e-6 * (1 + 2 * perRow), "row " + i + " col " + j);
            }
        }
        // entries of C outside the m x n block are left alone
        for (int at = 0; at < c0.length; at++) {
            int i = (at - cOff) / ldc;
            int j = (at - cOff) % ldc;
            boolean inside = at >= cOff && i < m && j < n;
            if (!inside) {
                assertEquals(c0[at], fast[at], "untouched entry " + at);
            }
        }
    }

    @Test
    void nanInBPropagatesToTheRowsThatUseIt() {
        float[] b = uniform(4 * 20, 3);
        b[2 * 20 + 5] = Float.NaN;
        float[] c = new float[3 * 20];
        // row 0 uses row 2 of B, row 1 does not, row 2 has no entries
        SparseRows.addRows(3, 20, new int[] {0, 2, 3, 3}, new int[] {1, 2, 3},
            new float[] {0.5f, 0.25f, 1f}, b, 0, 20, c, 0, 20);
        assertTrue(Float.isNaN(c[5]));
        assertTrue(Float.isFinite(c[20 + 5]));
        assertEquals(0f, c[2 * 20 + 5]);
    }

    @Test
    void rejectsNegativeSizes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> SparseRows.addRows(-1, 3, new int[1], new int[0], new float[0], new float[0],
                0, 3, new float[0], 0, 3));
        assertEquals("m and n must be >= 0 but were -1 and 3", e.getMessage());
    }
}
