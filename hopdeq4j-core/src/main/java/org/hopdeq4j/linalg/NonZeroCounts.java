package org.hopdeq4j.linalg;

/**
 * Per column of a row-major matrix, how many of its rows are not zero there: for the input
 * drive, which inputs a batch uses and how often ({@code ham.InputDrive}).
 *
 * <p>When the Vector API is usable ({@link VectorApi}) a row is compared with zero a vector
 * at a time and the resulting mask is added onto the counts as ones: 11-12 us for a batch of
 * 64 MNIST images, against 62-64 us for the plain loop, whose branch C2 does not turn into
 * vector code (a probe timing both on the embedded test images; docs/design-notes.md). Both
 * count exactly alike: a value counts when {@code x != 0f}, so {@code -0f} does not and NaN
 * does. Like every Vector API kernel it is slow until the JIT has compiled it; see
 * {@link KernelWarmUp}.
 */
public final class NonZeroCounts {

    /** Whether the Vector API kernel is used; the plain loop otherwise. */
    public static final boolean VECTOR = VectorApi.links(() -> VectorNonZeroCounts.lanes());

    private NonZeroCounts() {
    }

    /**
     * {@code count[j] += #{i < m : x[off + i ld + j] != 0}} for {@code j < n}.
     *
     * @throws IllegalArgumentException if m or n is negative or ld is less than n (with m > 1)
     * @throws ArrayIndexOutOfBoundsException if a row runs past x or n past count
     */
    public static void addColumnCounts(int m, int n, float[] x, int off, int ld, int[] count) {
        check(m, n, ld);
        if (VECTOR) {
            VectorNonZeroCounts.addColumnCounts(m, n, x, off, ld, count);
        } else {
            plainLoop(m, n, x, off, ld, count);
        }
    }

    /** The plain loop of {@link #addColumnCounts}: the reference the kernel is checked against. */
    public static void addColumnCountsPlain(int m, int n, float[] x, int off, int ld,
                                            int[] count) {
        check(m, n, ld);
        plainLoop(m, n, x, off, ld, count);
    }

    private static void plainLoop(int m, int n, float[] x, int off, int ld, int[] count) {
        for (int i = 0; i < m; i++) {
            int row = off + i * ld;
            for (int j = 0; j < n; j++) {
                if (x[row + j] != 0f) {
                    count[j]++;
                }
            }
        }
    }

    /**
     * Runs the Vector API kernel 1,000 times on a made-up 4 x 784 problem, so that the JIT
     * compiles it; for {@link KernelWarmUp}. Before that, a call on a batch of 64 MNIST
     * images took 1-45 ms (the first about 200 ms with the Vector API's start-up); after
     * it, 10-25 us.
     */
    static void warmUp() {
        int m = 4;
        int n = 784;
        float[] x = new float[m * n];
        for (int i = 0; i < x.length; i += 5) {
            x[i] = 0.5f;
        }
        int[] count = new int[n];
        for (int call = 0; call < 1000; call++) {
            VectorNonZeroCounts.addColumnCounts(m, n, x, 0, n, count);
        }
    }

    private static void check(int m, int n, int ld) {
        if (m < 0 || n < 0) {
            throw new IllegalArgumentException("m and n must be >= 0 but were " + m + " and "
                + n);
        }
        if (m > 1 && ld < n) {
            throw new IllegalArgumentException("ld must be >= n = " + n + " but was " + ld);
        }
    }
}
