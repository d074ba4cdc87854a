package org.hopdeq4j.bench;

import java.util.Arrays;
import java.util.SplittableRandom;

import org.hopdeq4j.linalg.PanelMatrix;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;

/**
 * The input drive of evaluation as one panel product ({@link PanelMatrix#multiply}), in the
 * shape of a batch of MNIST digits: 64 rows of C, 1990 wide, W0 of 784 rows; a dense part of
 * {@code dense} inputs (about 205 at the drive's 30% threshold) and {@code perRow} list
 * entries per row (about 24). {@code kernel} is what {@code multiply} runs (the Vector API
 * when the module is there), {@code plain} the reference loop.
 *
 * <p>The setup checks that the two agree bit for bit and refuses to time them otherwise.
 */
public class PanelMatrixBenchmark extends KernelBenchmark {

    private static final int M = 64;
    private static final int K = 784;
    private static final int N = 1990;

    /** Inputs in the dense part. */
    @Param({"205"})
    public int dense;

    /** List entries per row of C. */
    @Param({"24"})
    public int perRow;

    private PanelMatrix w0;
    private int[] denseRows;
    private float[] aT;
    private int ldaT;
    private int[] start;
    private int[] rows;
    private float[] values;
    private float[] bias;
    private float[] c;
    private float[] scratch;

    /** Creates the operands and checks the kernel against the plain loop. */
    @Setup(Level.Trial)
    public void setUp() {
        if (dense < 0 || dense > K / 2) {
            throw new IllegalArgumentException("dense must be in 0.." + K / 2 + " but was "
                + dense);
        }
        SplittableRandom random = new SplittableRandom(BenchSettings.SEED);
        w0 = new PanelMatrix(K, N);
        w0.pack(BenchSettings.uniform(K * N, random), 0, N);
        // the dense part on the even inputs, the lists on the odd ones, ascending as the
        // drive lists them
        denseRows = new int[dense];
        for (int d = 0; d < dense; d++) {
            denseRows[d] = 2 * (int) ((long) d * (K / 2) / Math.max(1, dense));
        }
        ldaT = PanelMatrix.paddedRows(M);
        aT = BenchSettings.uniform(Math.max(1, dense * ldaT), random);
        start = new int[M + 1];
        rows = new int[M * perRow];
        values = BenchSettings.uniform(M * perRow, random);
        for (int i = 0; i < M; i++) {
            start[i + 1] = (i + 1) * perRow;
            int at = random.nextInt(K / 2);
            for (int e = 0; e < perRow; e++) {
                at = (at + 1 + random.nextInt(Math.max(1, K / 2 / perRow / 2))) % (K / 2);
                rows[i * perRow + e] = 2 * at + 1;
            }
            Arrays.sort(rows, i * perRow, (i + 1) * perRow);
        }
        bias = BenchSettings.uniform(N, random);
        c = new float[M * N];
        scratch = new float[PanelMatrix.scratchLength()];

        float[] plain = new float[M * N];
        w0.multiplyPlain(M, dense, denseRows, aT, ldaT, start, rows, values, bias, plain, 0,
            N);
        kernel();
        for (int i = 0; i < c.length; i++) {
            if (Float.floatToIntBits(c[i]) != Float.floatToIntBits(plain[i])) {
                throw new IllegalStateException("the kernel disagrees with the plain loop at "
                    + i + ": " + c[i] + " vs " + plain[i]);
            }
        }
    }

    /** The kernel {@link PanelMatrix#multiply} uses. */
    @Benchmark
    public float[] kernel() {
        w0.multiply(M, dense, denseRows, aT, ldaT, start, rows, values, bias, c, 0, N,
            scratch);
        return c;
    }

    /** The reference loop. */
    @Benchmark
    public float[] plain() {
        w0.multiplyPlain(M, dense, denseRows, aT, ldaT, start, rows, values, bias, c, 0, N);
        return c;
    }
}
