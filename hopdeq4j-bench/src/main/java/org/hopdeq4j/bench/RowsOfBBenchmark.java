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
 * The input drive's product over the inputs in use: {@code C = A W0[rows]} with 64 rows of A,
 * {@code used} of the 784 rows of a pinned {@code W0} (784 x 1990) selected, as
 * {@link MatMul#gemmRowsOfB} does it ({@code rowsOfB}), as a gather into a heap block followed
 * by a plain product ({@code gatherThenProduct}), and the dense product over all 784 rows
 * ({@code dense}) for comparison. On MNIST a batch of 64 uses about 424 pixels.
 *
 * <p>The setup checks {@code rowsOfB} against {@link PlainMatMul} on the gathered rows and
 * refuses to time a backend that disagrees.
 */
public class RowsOfBBenchmark extends KernelBenchmark {

    private static final int M = 64;
    private static final int K = 784;
    private static final int N = 1990;

    /** Backend name as {@link MatMulBackends#create} takes it. */
    @Param({"openblas", "java"})
    public String backend;

    /** Rows of W0 in use. */
    @Param({"424"})
    public int used;

    private MatMul mm;
    private int[] rows;
    private float[] a;
    private float[] aDense;
    private float[] w0;
    private float[] scratch;
    private float[] c;

    /** Creates the data, pins W0 and checks the product against the plain loops. */
    @Setup(Level.Trial)
    public void setUp() {
        if (used < 1 || used > K) {
            throw new IllegalArgumentException("used must be in 1.." + K + " but was " + used);
        }
        SplittableRandom random = new SplittableRandom(BenchSettings.SEED);
        // every k-th input, spread over W0 like the pixels of a digit
        rows = new int[used];
        for (int i = 0; i < used; i++) {
            rows[i] = (int) ((long) i * K / used);
        }
        a = BenchSettings.uniform(M * used, random);
        aDense = BenchSettings.uniform(M * K, random);
        w0 = BenchSettings.uniform(K * N, random);
        scratch = new float[used * N];
        c = new float[M * N];
        mm = MatMulBackends.create(backend, 1);
        mm.pin(w0);

        rowsOfB();
        float[] gathered = new float[used * N];
        for (int i = 0; i < used; i++) {
            System.arraycopy(w0, rows[i] * N, gathered, i * N, N);
        }
        float[] expected = new float[M * N];
        new PlainMatMul().gemm(false, false, M, N, used, 1f, a, 0, used, gathered, 0, N, 0f,
            expected, 0, N);
        for (int i = 0; i < expected.length; i++) {
            if (!(Math.abs(c[i] - expected[i]) <= 1e-6 * used)) {
                throw new IllegalStateException(backend + " disagrees with the plain loops at "
                    + i + ": " + c[i] + " vs " + expected[i]);
            }
        }
    }

    /** Frees the backend's native memory. */
    @TearDown(Level.Trial)
    public void tearDown() {
        mm.close();
    }

    /** The product with the selected rows, gathered by the backend. */
    @Benchmark
    public float[] rowsOfB() {
        mm.gemmRowsOfB(M, N, used, 1f, a, 0, used, w0, 0, N, rows, 0f, c, 0, N, scratch);
        return c;
    }

    /** The same rows gathered into a heap block first, then an ordinary product. */
    @Benchmark
    public float[] gatherThenProduct() {
        for (int i = 0; i < used; i++) {
            System.arraycopy(w0, rows[i] * N, scratch, i * N, N);
        }
        mm.gemm(false, false, M, N, used, 1f, a, 0, used, scratch, 0, N, 0f, c, 0, N);
        return c;
    }

    /** The dense product over all 784 rows of the pinned W0. */
    @Benchmark
    public float[] dense() {
        mm.gemm(false, false, M, N, K, 1f, aDense, 0, K, w0, 0, N, 0f, c, 0, N);
        return c;
    }
}
