package org.hopdeq4j.bench;

import java.util.SplittableRandom;

import org.hopdeq4j.linalg.SparseRows;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;

/**
 * The input drive's rarely used inputs added row by row ({@link SparseRows#addRows}): 64 rows
 * of C (1990 wide), each with {@code perRow} entries drawn from {@code distinct} of the 784
 * rows of W0, as in a batch of MNIST digits (about 24 entries per image from 220 inputs at
 * the drive's 30% threshold). {@code kernel} is the one {@code addRows} uses (the Vector API
 * when the module is there), {@code plain} the reference loop.
 *
 * <p>The setup checks that the two agree bit for bit and refuses to time them otherwise.
 */
public class SparseRowsBenchmark extends KernelBenchmark {

    private static final int M = 64;
    private static final int K = 784;
    private static final int N = 1990;

    /** Entries per row of C. */
    @Param({"24"})
    public int perRow;

    /** Rows of W0 the entries are drawn from. */
    @Param({"220"})
    public int distinct;

    private int[] start;
    private int[] rows;
    private float[] values;
    private float[] w0;
    private float[] c;

    /** Creates the lists and checks the kernel against the plain loop. */
    @Setup(Level.Trial)
    public void setUp() {
        if (distinct < 1 || distinct > K) {
            throw new IllegalArgumentException("distinct must be in 1.." + K + " but was "
                + distinct);
        }
        SplittableRandom random = new SplittableRandom(BenchSettings.SEED);
        start = new int[M + 1];
        rows = new int[M * perRow];
        values = BenchSettings.uniform(M * perRow, random);
        for (int i = 0; i < M; i++) {
            start[i + 1] = (i + 1) * perRow;
            // ascending inputs, as the drive lists them, spread over W0
            int at = random.nextInt(distinct);
            for (int e = 0; e < perRow; e++) {
                at = (at + 1 + random.nextInt(Math.max(1, distinct / perRow))) % distinct;
                rows[i * perRow + e] = (int) ((long) at * K / distinct);
            }
        }
        w0 = BenchSettings.uniform(K * N, random);
        c = new float[M * N];

        float[] plain = new float[M * N];
        SparseRows.addRowsPlain(M, N, start, rows, values, w0, 0, N, plain, 0, N);
        kernel();
        for (int i = 0; i < c.length; i++) {
            if (Float.floatToIntBits(c[i]) != Float.floatToIntBits(plain[i])) {
                throw new IllegalStateException("the kernel disagrees with the plain loop at "
                    + i + ": " + c[i] + " vs " + plain[i]);
            }
        }
    }

    /** The kernel {@link SparseRows#addRows} uses. */
    @Benchmark
    public float[] kernel() {
        SparseRows.addRows(M, N, start, rows, values, w0, 0, N, c, 0, N);
        return c;
    }

    /** The reference loop. */
    @Benchmark
    public float[] plain() {
        SparseRows.addRowsPlain(M, N, start, rows, values, w0, 0, N, c, 0, N);
        return c;
    }
}
