package org.hopdeq4j.bench;

import java.util.SplittableRandom;

import org.hopdeq4j.linalg.MatMul;
import org.hopdeq4j.linalg.MatMulBackends;
import org.hopdeq4j.linalg.PlainMatMul;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Time of one product {@code C = op(A) op(B)} per backend, shape and thread count, on the
 * HAM's shapes: a batch of 64 rows of activations times a weight block, its transpose, or the
 * weight gradient.
 *
 * <p>{@code shape} is {@code m x k x n}; {@code trans} is {@code NN} (activations times W),
 * {@code NT} (times W^T, W stored n x k) or {@code TN} (the gradient
 * {@code rho(s)^T G}: A stored k x m). {@code pinned} pins B (the weights) before timing, as
 * the solvers do; unpinned B is copied or packed on every call. GFLOP/s = 2 m n k / time.
 *
 * <p>The setup checks the backend's result against {@link PlainMatMul} and refuses to time a
 * backend that disagrees.
 */
public class MatMulBenchmark extends KernelBenchmark {

    /** Backend name as {@link MatMulBackends#create} takes it. */
    @Param({"openblas", "java"})
    public String backend;

    /** {@code m x k x n}. */
    @Param({"64x784x1990", "64x1990x10", "64x10x1990", "64x1280x510", "64x520x1480",
        "64x1480x520", "64x2000x2000"})
    public String shape;

    /** Transposes of A and B: NN, NT or TN. */
    @Param({"NN"})
    public String trans;

    /** Threads per product. */
    @Param({"1", "2"})
    public int threads;

    /** Whether B is pinned. */
    @Param({"true"})
    public boolean pinned;

    private MatMul mm;
    private boolean transA;
    private boolean transB;
    private int m;
    private int n;
    private int k;
    private float[] a;
    private float[] b;
    private float[] c;
    private int lda;
    private int ldb;

    /** Creates the backend and data and checks one product against the plain loops. */
    @Setup(Level.Trial)
    public void setUp() {
        String[] parts = shape.split("x");
        if (parts.length != 3) {
            throw new IllegalArgumentException("shape must be m x k x n like 64x784x1990"
                + " but was '" + shape + "'");
        }
        m = Integer.parseInt(parts[0]);
        k = Integer.parseInt(parts[1]);
        n = Integer.parseInt(parts[2]);
        if (!trans.matches("[NT][NT]")) {
            throw new IllegalArgumentException("trans must be NN, NT, TN or TT but was '"
                + trans + "'");
        }
        transA = trans.charAt(0) == 'T';
        transB = trans.charAt(1) == 'T';
        lda = transA ? m : k;
        ldb = transB ? k : n;

        SplittableRandom random = new SplittableRandom(BenchSettings.SEED);
        a = BenchSettings.uniform(m * k, random);
        b = BenchSettings.uniform(k * n, random);
        c = new float[m * n];

        mm = MatMulBackends.create(backend, threads);
        if (pinned) {
            mm.pin(b);
        }
        product();
        float[] expected = new float[m * n];
        new PlainMatMul().gemm(transA, transB, m, n, k, 1f, a, 0, lda, b, 0, ldb,
            0f, expected, 0, n);
        for (int i = 0; i < expected.length; i++) {
            // Entries are sums of k products of numbers in [-1, 1].
            double tolerance = 1e-6 * k;
            if (!(Math.abs(c[i] - expected[i]) <= tolerance)) {
                throw new IllegalStateException(backend + " disagrees with the plain loops at "
                    + i + ": " + c[i] + " vs " + expected[i] + " for " + shape + " " + trans);
            }
        }
    }

    /** Frees the backend's threads and native memory. */
    @TearDown(Level.Trial)
    public void tearDown() {
        mm.close();
    }

    /** One product; returns C so that it is consumed. */
    @Benchmark
    public float[] product() {
        mm.gemm(transA, transB, m, n, k, 1f, a, 0, lda, b, 0, ldb, 0f, c, 0, n);
        return c;
    }
}
