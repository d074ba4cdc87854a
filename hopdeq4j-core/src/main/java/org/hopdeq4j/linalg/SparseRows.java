package org.hopdeq4j.linalg;

/**
 * The product of a sparse left operand, held as per-row lists, with a dense matrix, added
 * onto a dense result: for each row i of C,
 * {@code C_i += sum_{q in [start_i, start_{i+1})} v_q B_{r_q}}, where {@code B_r} is row r of B.
 *
 * <p>Used for the input drive's rarely used inputs (see {@code ham.InputDrive}): there each
 * listed entry costs one row of B, against a full column of the batch in a dense product. When
 * the Vector API is usable ({@link VectorApi}) the kernel keeps a stretch of four vectors of
 * C's row in registers while it runs through the row's list, so B is the only stream from
 * memory; about 14 G multiply-adds per second on one core here, against 1.5 for the plain loop,
 * which C2 on JDK 17 does not vectorise (two arrays of one type at different offsets). Both
 * forms add the entries in list order with fused multiply-adds, so they give bitwise equal
 * results.
 */
public final class SparseRows {

    /** Whether the Vector API kernel is used; the plain loop otherwise. */
    public static final boolean VECTOR = VectorApi.links(() -> VectorSparseRows.lanes());

    private SparseRows() {
    }

    /**
     * {@code C_i += sum_q values[q] B_{rows[q]}} for rows {@code i < m}, columns {@code j < n};
     * row r of B starts at {@code bOff + r ldb}, row i of C at {@code cOff + i ldc}. Only C is
     * modified; it must not alias B. NaN and infinities propagate as in the plain sum.
     *
     * @param start row i's entries are {@code [start[i], start[i + 1])}, non-decreasing
     * @throws IllegalArgumentException if m or n is negative
     * @throws ArrayIndexOutOfBoundsException if an entry reaches outside an array
     */
    public static void addRows(int m, int n, int[] start, int[] rows, float[] values,
                               float[] b, int bOff, int ldb, float[] c, int cOff, int ldc) {
        if (m < 0 || n < 0) {
            throw new IllegalArgumentException("m and n must be >= 0 but were " + m + " and "
                + n);
        }
        if (VECTOR) {
            VectorSparseRows.addRows(m, n, start, rows, values, b, bOff, ldb, c, cOff, ldc);
        } else {
            addRowsPlain(m, n, start, rows, values, b, bOff, ldb, c, cOff, ldc);
        }
    }

    /**
     * The plain loop of {@link #addRows}, entry by entry along each row, whichever kernel
     * {@link #addRows} uses: the reference the vector kernel is checked against.
     */
    public static void addRowsPlain(int m, int n, int[] start, int[] rows, float[] values,
                             float[] b, int bOff, int ldb, float[] c, int cOff, int ldc) {
        for (int i = 0; i < m; i++) {
            int row = cOff + i * ldc;
            for (int q = start[i]; q < start[i + 1]; q++) {
                float v = values[q];
                int from = bOff + rows[q] * ldb;
                for (int j = 0; j < n; j++) {
                    c[row + j] = Math.fma(v, b[from + j], c[row + j]);
                }
            }
        }
    }
}
