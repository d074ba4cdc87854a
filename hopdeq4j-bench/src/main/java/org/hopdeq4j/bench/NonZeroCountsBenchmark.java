package org.hopdeq4j.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;

import org.hopdeq4j.data.DataSources;
import org.hopdeq4j.linalg.NonZeroCounts;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Setup;

/**
 * The input drive's count of how many images of a batch use each input
 * ({@link NonZeroCounts#addColumnCounts}), on the first 64 images of the embedded MNIST test
 * split (real digits, so that the plain loop's branch sees MNIST's runs of zeros).
 * {@code kernel} is the one {@code addColumnCounts} uses (the Vector API when the module is
 * there), {@code plain} the reference loop.
 *
 * <p>The setup checks that the two count alike and refuses to time them otherwise.
 */
public class NonZeroCountsBenchmark extends KernelBenchmark {

    private static final int M = 64;
    private static final int N = 784;

    private float[] x;
    private final int[] count = new int[N];

    /** Loads the images and checks the kernel against the plain loop. */
    @Setup(Level.Trial)
    public void setUp() {
        try {
            x = Arrays.copyOf(DataSources.loadEmbedded().test().images(), M * N);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        int[] plain = new int[N];
        NonZeroCounts.addColumnCountsPlain(M, N, x, 0, N, plain);
        int[] fast = new int[N];
        NonZeroCounts.addColumnCounts(M, N, x, 0, N, fast);
        if (!Arrays.equals(plain, fast)) {
            throw new IllegalStateException("the kernel counts differently from the plain loop");
        }
    }

    /** The kernel {@link NonZeroCounts#addColumnCounts} uses. */
    @Benchmark
    public int[] kernel() {
        Arrays.fill(count, 0);
        NonZeroCounts.addColumnCounts(M, N, x, 0, N, count);
        return count;
    }

    /** The reference loop. */
    @Benchmark
    public int[] plain() {
        Arrays.fill(count, 0);
        NonZeroCounts.addColumnCountsPlain(M, N, x, 0, N, count);
        return count;
    }
}
