package org.hopdeq4j.linalg;

/**
 * General matrix product on row-major float32 arrays, the one door through which every
 * matrix product of the library passes.
 *
 * <p>Computes {@code C = alpha * op(A) * op(B) + beta * C} where {@code op(X)} is {@code X} or
 * its transpose. All matrices are row-major sub-blocks of flat arrays: element (i, j) of
 * {@code A} is {@code a[aOff + i * lda + j]}. {@code op(A)} is m x k, {@code op(B)} is k x n
 * and {@code C} is m x n. When {@code beta == 0} the prior contents of {@code C} are ignored
 * (NaN in C does not propagate). {@code C} must not alias {@code A} or {@code B}.
 *
 * <p>Implementations may keep operands resident in native memory: an array passed to
 * {@link #pin(float[])} may be cached, and after such an array is modified the caller must call
 * {@link #refresh(float[])} before the next product that reads it. Arrays that were never
 * pinned are read afresh on every call.
 *
 * <p>Backends are created by name with {@link MatMulBackends#create(String, int)}. Instances
 * keep scratch buffers and are not thread-safe: use one per calling thread, and close it to
 * release its threads and native memory.
 */
public interface MatMul extends AutoCloseable {

    /**
     * {@code C = alpha * op(A) * op(B) + beta * C} (row-major).
     *
     * @param transA use A^T: A is stored k x m
     * @param transB use B^T: B is stored n x k
     */
    void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
              float[] a, int aOff, int lda,
              float[] b, int bOff, int ldb,
              float beta, float[] c, int cOff, int ldc);

    /**
     * {@code C = alpha * A * B[rows] + beta * C}: the product with the k x n matrix whose row
     * i is row {@code rows[i]} of B ({@code b[bOff + rows[i] * ldb + j]}, j < n); A is m x k,
     * not transposed. This is a product with only some rows of B (the input drive uses it to
     * skip inputs that are zero across a batch), without the caller packing those rows first.
     *
     * <p>The default gathers the rows into {@code scratch} (at least k x n floats, contents
     * overwritten) and calls {@link #gemm}; a backend may gather straight into its own buffers
     * instead and leave scratch alone ({@link #gathersRowsItself()}).
     *
     * @throws IllegalArgumentException when a size, offset or row index is invalid or an
     *     operand runs past its array
     */
    default void gemmRowsOfB(int m, int n, int k, float alpha, float[] a, int aOff, int lda,
                             float[] b, int bOff, int ldb, int[] rows, float beta,
                             float[] c, int cOff, int ldc, float[] scratch) {
        GemmArgs.checkRowsOfB(m, n, k, a, aOff, lda, b, bOff, ldb, rows, c, cOff, ldc);
        if ((long) k * n > scratch.length) {
            throw new IllegalArgumentException("scratch holds " + scratch.length
                + " floats but the gathered rows need " + (long) k * n);
        }
        for (int i = 0; i < k; i++) {
            System.arraycopy(b, bOff + rows[i] * ldb, scratch, i * n, n);
        }
        gemm(false, false, m, n, k, alpha, a, aOff, lda, scratch, 0, n, beta, c, cOff, ldc);
    }

    /**
     * Whether {@link #gemmRowsOfB} gathers into the backend's own buffers, so that callers may
     * pass a scratch array of any length (even empty). The default gathers into the scratch.
     */
    default boolean gathersRowsItself() {
        return false;
    }

    /** Short name of the backend, as reported in run metadata ({@code "openblas"}, ...). */
    String name();

    /** Number of threads the backend uses for one product. */
    int threads();

    /** Declares {@code array} read-mostly; a backend may keep a resident copy. */
    default void pin(float[] array) {
    }

    /** Tells the backend that a pinned array changed; the next product reads the new values. */
    default void refresh(float[] array) {
    }

    /** Drops a pinned array's resident copy, if any. */
    default void unpin(float[] array) {
    }

    /** Releases native resources; the default does nothing. */
    @Override
    default void close() {
    }
}
