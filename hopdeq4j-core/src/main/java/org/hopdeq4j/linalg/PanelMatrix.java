package org.hopdeq4j.linalg;

/**
 * A copy of a k x n matrix B (row-major) cut into column panels, for products whose left
 * operand is mostly zeros. {@link #multiply} writes, for each row i of C,
 * <pre>
 *   C_i = bias + sum_{c < dense} aT[c ldaT + i] B_{denseRows[c]}
 *              + sum_{q in [start_i, start_{i+1})} values[q] B_{rows[q]}
 * </pre>
 * where {@code B_r} is row r of B: a dense part over a chosen set of B's rows, in which every
 * row of C takes part, and a sparse part, a list of B's rows per row of C. Used for the input
 * drive of {@code ham.InputDrive}, where the dense part holds the inputs that many images of
 * a batch use and the lists the rare ones.
 *
 * <p>Panel p holds columns {@code [p P, (p + 1) P)} of every row of B, {@value #GROUP}-row
 * groups of C are summed panel by panel in registers and stored once, and a panel of B (k
 * rows of P floats; 200 KB for the 784 inputs of MNIST) stays in L2 while all rows of C go
 * through it. So neither B's used rows nor C are copied, and the rows a list picks are read
 * from one panel at a time instead of from all over B. P is four vectors of the Vector API
 * ({@value #PLAIN_PANEL} columns without it, when the plain loop is used).
 *
 * <p>Every entry of C is summed in one fixed order with fused multiply-adds: the bias, the
 * dense part in the order of {@code denseRows}, then row i's list in list order. The vector
 * kernel and {@link #multiplyPlain} therefore give bitwise equal results; a product that
 * sums in another order (a BLAS call) equals them up to float rounding.
 *
 * <p>Measured with JMH ({@code PanelMatrixBenchmark}, one core, 64 x 1990 from 784 rows, hot
 * caches): 205 dense rows alone 0.58-0.62 ms (about 43 G multiply-adds a second), 24 list
 * entries a row alone 0.21 ms (14 G), both 0.79 ms; OpenBLAS on the same 205 rows gathered
 * ({@code RowsOfBBenchmark}) 0.66 ms and {@link SparseRows} on the lists 0.16 ms. Its gain
 * shows in a real evaluation, where B is not hot in the caches: 0.95-0.99 against 1.14-1.17
 * ms per drive on one worker; with two, most likely because both read one copy of B instead
 * of gathering their own, the bench's early-stop ratio rose from a median of 3.00 to 3.11
 * (docs/design-notes.md).
 *
 * <p>The copy costs k x n floats beside B and must be {@linkplain #pack refilled} whenever B
 * changes. An instance may be read by several threads at once once packed; packing is not
 * thread-safe.
 */
public final class PanelMatrix {

    /** Whether the Vector API kernel is used; the plain loop otherwise. */
    public static final boolean VECTOR = VectorApi.links(() -> VectorPanelMatrix.lanes());

    /** Rows of C summed together in the kernel. */
    public static final int GROUP = 4;

    /** Columns per panel when the Vector API is not used. */
    static final int PLAIN_PANEL = 32;

    /** Columns per panel: four vectors. */
    public static final int PANEL = VECTOR ? VectorPanelMatrix.panelWidth() : PLAIN_PANEL;

    private final int k;
    private final int n;
    private final int panels;
    private final float[] packed;

    /**
     * An empty (all-zero) copy for a k x n matrix; fill it with {@link #pack}.
     *
     * @throws IllegalArgumentException if k or n is below 1, or the copy would not fit in an
     *     array
     */
    public PanelMatrix(int k, int n) {
        if (k < 1 || n < 1) {
            throw new IllegalArgumentException("k and n must be >= 1 but were " + k + " and "
                + n);
        }
        this.k = k;
        this.n = n;
        this.panels = (n + PANEL - 1) / PANEL;
        long length = (long) panels * k * PANEL;
        if (length > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("a " + k + " x " + n
                + " matrix is too large for a panel copy");
        }
        this.packed = new float[(int) length];
    }

    /** Rows of B. */
    public int rows() {
        return k;
    }

    /** Columns of B. */
    public int columns() {
        return n;
    }

    /**
     * The smallest {@code ldaT} {@link #multiply} accepts for m rows of C: m rounded up to a
     * multiple of {@value #GROUP} (the kernel reads whole groups).
     */
    public static int paddedRows(int m) {
        return (m + GROUP - 1) / GROUP * GROUP;
    }

    /** Floats of scratch {@link #multiply} needs. */
    public static int scratchLength() {
        return (GROUP + 1) * PANEL;
    }

    /**
     * Copies B into the panels: row r of B starts at {@code bOff + r ldb}. Columns past n in
     * the last panel stay 0.
     *
     * @throws IllegalArgumentException if ldb < n or B is too short
     */
    public void pack(float[] b, int bOff, int ldb) {
        if (ldb < n || bOff < 0 || (long) bOff + (long) (k - 1) * ldb + n > b.length) {
            throw new IllegalArgumentException("B needs " + k + " rows of " + n
                + " floats at offset " + bOff + " with row stride " + ldb + " but has "
                + b.length + " floats");
        }
        for (int r = 0; r < k; r++) {
            int from = bOff + r * ldb;
            for (int p = 0; p < panels; p++) {
                int col = p * PANEL;
                System.arraycopy(b, from + col, packed, (p * k + r) * PANEL,
                    Math.min(PANEL, n - col));
            }
        }
    }

    /**
     * The product above for rows {@code i < m} of C (row i at {@code cOff + i ldc}, n
     * columns), by the Vector API kernel when it is there, else by {@link #multiplyPlain}.
     * Only C and {@code scratch} are written.
     *
     * @param dense rows of B in the dense part: {@code denseRows[0 .. dense)}, each in
     *     {@code [0, k)}
     * @param aT the dense part's coefficients, row c of the dense part at {@code c ldaT}, one
     *     per row of C; entries {@code m .. ldaT - 1} of each are read but do not matter
     * @param ldaT at least {@link #paddedRows(int) paddedRows(m)} when dense > 0
     * @param start row i's list is {@code [start[i], start[i + 1])}, non-decreasing
     * @param rows the rows of B the lists pick, each in {@code [0, k)} (checked, as are the
     *     dense rows: a pass over the lists)
     * @param values the lists' coefficients
     * @param bias n floats added to every row
     * @param scratch at least {@link #scratchLength()} floats
     * @throws IllegalArgumentException if a size, stride or row index is invalid
     * @throws IndexOutOfBoundsException if the lists' coefficients or starts are too short
     */
    public void multiply(int m, int dense, int[] denseRows, float[] aT, int ldaT, int[] start,
                         int[] rows, float[] values, float[] bias, float[] c, int cOff,
                         int ldc, float[] scratch) {
        check(m, dense, denseRows, aT, ldaT, start, rows, bias, c, cOff, ldc);
        if (scratch.length < scratchLength()) {
            throw new IllegalArgumentException("scratch needs " + scratchLength()
                + " floats but has " + scratch.length);
        }
        if (m == 0) {
            return;
        }
        if (VECTOR) {
            VectorPanelMatrix.multiply(m, n, k, packed, dense, denseRows, aT, ldaT, start, rows,
                values, bias, c, cOff, ldc, scratch);
        } else {
            multiplyPlain(m, dense, denseRows, aT, ldaT, start, rows, values, bias, c, cOff,
                ldc);
        }
    }

    /**
     * {@link #multiply} by a plain loop, entry by entry in the order stated above, whichever
     * kernel {@link #multiply} uses: the reference the vector kernel is checked against.
     */
    public void multiplyPlain(int m, int dense, int[] denseRows, float[] aT, int ldaT,
                              int[] start, int[] rows, float[] values, float[] bias,
                              float[] c, int cOff, int ldc) {
        check(m, dense, denseRows, aT, ldaT, start, rows, bias, c, cOff, ldc);
        for (int i = 0; i < m; i++) {
            int row = cOff + i * ldc;
            for (int j = 0; j < n; j++) {
                int at = (j / PANEL) * k * PANEL + j % PANEL;
                float s = bias[j];
                for (int d = 0; d < dense; d++) {
                    s = Math.fma(aT[d * ldaT + i], packed[at + denseRows[d] * PANEL], s);
                }
                for (int q = start[i]; q < start[i + 1]; q++) {
                    s = Math.fma(values[q], packed[at + rows[q] * PANEL], s);
                }
                c[row + j] = s;
            }
        }
    }

    private void check(int m, int dense, int[] denseRows, float[] aT, int ldaT, int[] start,
                       int[] rows, float[] bias, float[] c, int cOff, int ldc) {
        if (m < 0 || dense < 0 || dense > denseRows.length) {
            throw new IllegalArgumentException("m and dense must be >= 0 and dense at most "
                + denseRows.length + " but were " + m + " and " + dense);
        }
        if (dense > 0 && (ldaT < paddedRows(m) || (long) dense * ldaT > aT.length)) {
            throw new IllegalArgumentException("aT needs " + dense + " rows with a stride of"
                + " at least " + paddedRows(m) + " but had stride " + ldaT + " and "
                + aT.length + " floats");
        }
        if (start.length < m + 1 || bias.length < n || ldc < n || cOff < 0
            || (m > 0 && (long) cOff + (long) (m - 1) * ldc + n > c.length)) {
            throw new IllegalArgumentException("expected " + (m + 1) + " list starts, a bias"
                + " of " + n + " and C with " + m + " rows of " + n + " at stride " + ldc
                + " but got " + start.length + " starts, a bias of " + bias.length
                + ", stride " + ldc + " and " + c.length + " floats from " + cOff);
        }
        // a row index past k would read another panel's columns instead of failing
        for (int d = 0; d < dense; d++) {
            checkRow(denseRows[d], "dense row");
        }
        if (m > 0) {
            if (start[0] < 0 || start[m] > rows.length) {
                throw new IllegalArgumentException("the lists run over entries " + start[0]
                    + ".." + start[m] + " of " + rows.length);
            }
            for (int i = 0; i < m; i++) {
                if (start[i] > start[i + 1]) {
                    throw new IllegalArgumentException("list starts must not decrease but"
                        + " row " + i + " starts at " + start[i] + " and row " + (i + 1)
                        + " at " + start[i + 1]);
                }
            }
            for (int q = start[0]; q < start[m]; q++) {
                checkRow(rows[q], "list entry");
            }
        }
    }

    private void checkRow(int r, String what) {
        if (r < 0 || r >= k) {
            throw new IllegalArgumentException("a " + what + " picks row " + r + " of a"
                + " matrix with " + k + " rows");
        }
    }

    /**
     * Runs the Vector API kernel on a small made-up problem until the JIT has compiled it,
     * with every branch a real product takes (full and partial groups and panels, lists of
     * different lengths, empty ones among them), so that the compiled code is not thrown
     * away at the first real call: 3,000 calls; for {@link KernelWarmUp}.
     */
    static void warmUp() {
        int k = 8;
        int n = PANEL + 5;
        int m = 2 * GROUP + 3;
        PanelMatrix b = new PanelMatrix(k, n);
        b.pack(new float[k * n], 0, n);
        int dense = 3;
        int[] denseRows = {0, 2, 4};
        int ld = paddedRows(m);
        float[] aT = new float[dense * ld];
        int[] start = new int[m + 1];
        int[] rows = new int[3 * m];
        for (int i = 0; i < m; i++) {
            // 0 to 3 entries, each place in a group of four rows getting an empty list once
            start[i + 1] = start[i] + (i + i / GROUP) % 4;
        }
        for (int q = 0; q < rows.length; q++) {
            rows[q] = 2 * (q % 4) + 1;
        }
        float[] values = new float[rows.length];
        float[] bias = new float[n];
        float[] c = new float[m * n];
        float[] scratch = new float[scratchLength()];
        for (int call = 0; call < 3000; call++) {
            b.multiply(m, dense, denseRows, aT, ld, start, rows, values, bias, c, 0, n, scratch);
        }
    }
}
