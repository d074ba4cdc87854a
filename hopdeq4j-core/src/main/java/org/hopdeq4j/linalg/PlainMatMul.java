package org.hopdeq4j.linalg;

/**
 * The reference backend: the definition of the product as three plain loops, each entry
 * {@code C[i][j] = alpha * sum_p op(A)[i][p] op(B)[p][j] + beta * C[i][j]} accumulated and
 * combined in double precision and rounded to float once.
 *
 * <p>It is slow (no blocking, no vectorisation) and exists to check the fast backends
 * against, in unit tests and in the benchmarks' setup. It is stateless and thread-safe;
 * {@link #pin}, {@link #refresh} and {@link #unpin} do nothing because it always reads the
 * arrays.
 */
public final class PlainMatMul implements MatMul {

    /** The backend's name in run metadata and on the command line. */
    public static final String NAME = "plain";

    /** Creates the backend; it holds no resources. */
    public PlainMatMul() {
    }

    /**
     * {@code C = alpha * op(A) * op(B) + beta * C} by definition. When {@code beta == 0} the
     * old contents of C are not read (NaN there does not propagate); when {@code alpha == 0}
     * or {@code k == 0}, A and B are not read. NaN and infinities in the operands propagate
     * as IEEE arithmetic says. Only the m x n block of {@code c} is written.
     *
     * @throws NullPointerException when an array is null
     * @throws IllegalArgumentException when a size, offset or leading dimension is invalid,
     *     an operand runs past its array, or C is the same array as A or B
     */
    @Override
    public void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
                     float[] a, int aOff, int lda,
                     float[] b, int bOff, int ldb,
                     float beta, float[] c, int cOff, int ldc) {
        GemmArgs.check(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc);
        if (alpha == 0f || k == 0) {
            GemmArgs.scale(m, n, beta, c, cOff, ldc);
            return;
        }

        // Element strides of op(A) and op(B) along their rows (i, p) and columns (p, j).
        int aRow = transA ? 1 : lda;
        int aCol = transA ? lda : 1;
        int bRow = transB ? 1 : ldb;
        int bCol = transB ? ldb : 1;

        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double sum = 0.0;
                for (int p = 0; p < k; p++) {
                    sum += (double) a[aOff + i * aRow + p * aCol]
                        * b[bOff + p * bRow + j * bCol];
                }

                int at = cOff + i * ldc + j;
                double old = beta == 0f ? 0.0 : (double) beta * c[at];
                c[at] = (float) (alpha * sum + old);
            }
        }
    }

    @Override
    public String name() {
        return NAME;
    }

    /** Always 1: the loops run on the caller's thread. */
    @Override
    public int threads() {
        return 1;
    }
}
