package org.hopdeq4j.linalg;

/**
 * Argument checks that every {@link MatMul} backend runs before it touches memory, so that a
 * bad call fails with one message naming the operand, the rule and the value, whichever
 * backend is in use.
 */
final class GemmArgs {

    private GemmArgs() {
    }

    /**
     * Checks the arguments of {@link MatMul#gemm}: non-negative sizes, non-null arrays,
     * leading dimensions at least the stored width, every stored element inside its array,
     * and C distinct from A and B.
     *
     * @throws NullPointerException when an array is null
     * @throws IllegalArgumentException when a size, offset or leading dimension is invalid,
     *     an operand runs past its array, or C is the same array as A or B
     */
    static void check(boolean transA, boolean transB, int m, int n, int k,
                      float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                      float[] c, int cOff, int ldc) {
        if (m < 0 || n < 0 || k < 0) {
            throw new IllegalArgumentException("gemm: m, n and k must be >= 0 but were m="
                + m + ", n=" + n + ", k=" + k);
        }
        checkOperand("A", a, aOff, lda, transA ? k : m, transA ? m : k);
        checkOperand("B", b, bOff, ldb, transB ? n : k, transB ? k : n);
        checkOperand("C", c, cOff, ldc, m, n);

        if (c == a || c == b) {
            throw new IllegalArgumentException("gemm: C must not be the same array as "
                + (c == a ? "A" : "B") + " (the product would read what it overwrites)");
        }
    }

    /**
     * Checks one stored operand of {@code rows x cols} elements, element (i, j) at
     * {@code x[off + i * ld + j]}.
     */
    static void checkOperand(String name, float[] x, int off, int ld, int rows, int cols) {
        if (x == null) {
            throw new NullPointerException("gemm: array " + name + " is null");
        }
        if (off < 0) {
            throw new IllegalArgumentException("gemm: offset of " + name
                + " must be >= 0 but was " + off);
        }
        if (ld < Math.max(1, cols)) {
            throw new IllegalArgumentException("gemm: leading dimension of " + name
                + " must be >= max(1, " + cols + ") (its stored width) but was " + ld);
        }
        if (rows > 0 && cols > 0) {
            long needed = off + (long) (rows - 1) * ld + cols;
            if (needed > x.length) {
                throw new IllegalArgumentException("gemm: " + name + " is stored as " + rows
                    + " x " + cols + " at offset " + off + " with leading dimension " + ld
                    + ", which needs " + needed + " elements, but its array has " + x.length);
            }
        }
    }

    /**
     * {@code C = beta * C} on the m x n block; {@code beta == 0} writes zeros without reading.
     * Used when {@code alpha == 0} or {@code k == 0}, where A and B are not read.
     */
    static void scale(int m, int n, float beta, float[] c, int cOff, int ldc) {
        for (int i = 0; i < m; i++) {
            int row = cOff + i * ldc;
            if (beta == 0f) {
                java.util.Arrays.fill(c, row, row + n, 0f);
            } else if (beta != 1f) {
                for (int j = row; j < row + n; j++) {
                    c[j] *= beta;
                }
            }
        }
    }

    /**
     * Checks the row selection of {@link MatMul#gemmRowsOfB}: {@code rows} holds at least k
     * entries, each a row of B (n wide, leading dimension ldb, from bOff) inside its array.
     */
    static void checkRows(float[] b, int bOff, int ldb, int n, int[] rows, int k) {
        if (rows == null) {
            throw new NullPointerException("gemm: the row list of B is null");
        }
        if (k < 0 || k > rows.length) {
            throw new IllegalArgumentException("gemm: k must be in 0.." + rows.length
                + " (the row list's length) but was " + k);
        }
        int stored = 0;
        for (int i = 0; i < k; i++) {
            if (rows[i] < 0) {
                throw new IllegalArgumentException("gemm: row " + rows[i] + " of B is negative");
            }
            stored = Math.max(stored, rows[i] + 1);
        }
        checkOperand("B", b, bOff, ldb, stored, n);
    }

    /**
     * Checks the operands of {@link MatMul#gemmRowsOfB}: A (m x k, not transposed), the row
     * selection of B, C (m x n), and C distinct from A and B.
     */
    static void checkRowsOfB(int m, int n, int k, float[] a, int aOff, int lda, float[] b,
                             int bOff, int ldb, int[] rows, float[] c, int cOff, int ldc) {
        if (m < 0 || n < 0) {
            throw new IllegalArgumentException("gemm: m and n must be >= 0 but were m=" + m
                + ", n=" + n);
        }
        checkOperand("A", a, aOff, lda, m, k);
        checkRows(b, bOff, ldb, n, rows, k);
        checkOperand("C", c, cOff, ldc, m, n);
        if (c == a || c == b) {
            throw new IllegalArgumentException("gemm: C must not be the same array as "
                + (c == a ? "A" : "B") + " (the product would read what it overwrites)");
        }
    }
}
