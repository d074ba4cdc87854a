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
 * memory, and works through C in column tiles so that those rows of B stay in L2: about 18 G
 * multiply-adds per second on one core here (JMH {@code SparseRowsBenchmark}), against 2.4 for
 * the plain loop, which C2 on JDK 17 does not vectorise (two arrays of one type at different
 * offsets). Both forms add the entries in list order with fused multiply-adds, so they give
 * bitwise equal results.
 *
 * <p>Until the JIT has compiled it, Vector API code makes an object of every vector: the first
 * call of the kernel in a JVM, on a batch of the input drive, took 70-150 ms against 0.2-0.3
 * ms once compiled. {@link KernelWarmUp#startInBackground()} lets a program pay that on a
 * spare core while it does something else (the command line does it while it loads the data).
 */
public final class SparseRows {

    /** Whether the Vector API kernel is used; the plain loop otherwise. */
    public static final boolean VECTOR = VectorApi.links(() -> VectorSparseRows.lanes());

    private SparseRows() {
    }

    /**
     * Runs the Vector API kernel 300 times on a small made-up problem (4 rows, 1,104 columns,
     * 6 entries a row), so that the JIT compiles it; for {@link KernelWarmUp}.
     */
    static void warmUp() {
        int m = 4;
        int n = 2 * VectorSparseRows.TILE + 80;
        int perRow = 6;
        int[] start = new int[m + 1];
        int[] rows = new int[m * perRow];
        float[] values = new float[m * perRow];
        for (int q = 0; q < rows.length; q++) {
            rows[q] = q % 8;
            values[q] = 1e-3f;
        }
        for (int i = 0; i <= m; i++) {
            start[i] = i * perRow;
        }
        float[] b = new float[8 * n];
        float[] c = new float[m * n];
        for (int call = 0; call < 300; call++) {
            VectorSparseRows.addRows(m, n, start, rows, values, b, 0, n, c, 0, n);
        }
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
