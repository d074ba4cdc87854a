package org.hopdeq4j.linalg;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A {@link MatMul} that passes every call to another backend and, while recording, counts the
 * products by shape: {@code m x n x k}, the transposes, and which operands were pinned. This
 * is how the benchmarks count a training step's multiply-adds from the shapes of the products
 * it really performs, and later replay exactly those shapes to time the backend alone.
 *
 * <p>Recording costs one map lookup per product; leave it off ({@link #stop()}) while timing.
 * Not thread-safe, like the backend it wraps.
 */
public final class RecordingMatMul implements MatMul {

    /**
     * One product shape, with whether A and B were pinned (resident) when it ran.
     *
     * @param m rows of op(A) and C
     * @param n columns of op(B) and C
     * @param k the shared dimension
     */
    public record Shape(boolean transA, boolean transB, int m, int n, int k, boolean pinnedA,
                        boolean pinnedB) {

        /** Multiply-adds of one product of this shape. */
        public long multiplyAdds() {
            return (long) m * n * k;
        }

        @Override
        public String toString() {
            return m + "x" + n + "x" + k + (transA ? " A^T" : "") + (transB ? " B^T" : "");
        }
    }

    private final MatMul delegate;
    private final Set<float[]> pinned = Collections.newSetFromMap(new IdentityHashMap<>());
    private final Map<Shape, long[]> counts = new LinkedHashMap<>();
    private boolean recording;

    /** Wraps {@code delegate}; recording starts off. The caller still owns the delegate. */
    public RecordingMatMul(MatMul delegate) {
        this.delegate = delegate;
    }

    /** Clears the counts and starts recording. */
    public void start() {
        counts.clear();
        recording = true;
    }

    /** Stops recording; the counts stay until the next {@link #start()}. */
    public void stop() {
        recording = false;
    }

    /** The shapes recorded, in the order first seen, with how often each ran. */
    public Map<Shape, Long> counts() {
        Map<Shape, Long> out = new LinkedHashMap<>();
        for (Map.Entry<Shape, long[]> e : counts.entrySet()) {
            out.put(e.getKey(), e.getValue()[0]);
        }
        return out;
    }

    /** Total multiply-adds of the recorded products. */
    public long multiplyAdds() {
        long total = 0;
        for (Map.Entry<Shape, long[]> e : counts.entrySet()) {
            total += e.getKey().multiplyAdds() * e.getValue()[0];
        }
        return total;
    }

    /** Number of products recorded. */
    public long products() {
        long total = 0;
        for (long[] c : counts.values()) {
            total += c[0];
        }
        return total;
    }

    /** The distinct shapes recorded, in the order first seen. */
    public List<Shape> shapes() {
        return new ArrayList<>(counts.keySet());
    }

    @Override
    public void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
                     float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                     float beta, float[] c, int cOff, int ldc) {
        if (recording) {
            Shape shape = new Shape(transA, transB, m, n, k, pinned.contains(a),
                pinned.contains(b));
            counts.computeIfAbsent(shape, s -> new long[1])[0]++;
        }
        delegate.gemm(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta,
            c, cOff, ldc);
    }

    /** Recorded as a product with an unpinned k x n B (the gathered rows). */
    @Override
    public void gemmRowsOfB(int m, int n, int k, float alpha, float[] a, int aOff, int lda,
                            float[] b, int bOff, int ldb, int[] rows, float beta,
                            float[] c, int cOff, int ldc, float[] scratch) {
        if (recording) {
            Shape shape = new Shape(false, false, m, n, k, pinned.contains(a), false);
            counts.computeIfAbsent(shape, s -> new long[1])[0]++;
        }
        delegate.gemmRowsOfB(m, n, k, alpha, a, aOff, lda, b, bOff, ldb, rows, beta,
            c, cOff, ldc, scratch);
    }

    @Override
    public boolean gathersRowsItself() {
        return delegate.gathersRowsItself();
    }

    @Override
    public String name() {
        return delegate.name();
    }

    @Override
    public int threads() {
        return delegate.threads();
    }

    @Override
    public void pin(float[] array) {
        pinned.add(array);
        delegate.pin(array);
    }

    @Override
    public void refresh(float[] array) {
        delegate.refresh(array);
    }

    @Override
    public void unpin(float[] array) {
        pinned.remove(array);
        delegate.unpin(array);
    }

    /** Does not close the delegate, which the caller owns. */
    @Override
    public void close() {
    }
}
