package org.hopdeq4j.solve;

/** Row moves on row-major batches, for solvers that retire converged samples. */
final class Rows {

    private Rows() {
    }

    /**
     * Moves row {@code keep[i]} of {@code a} to row i for i < count; {@code keep} must be
     * ascending, so every move goes to a row at or before its source and none overwrites a
     * row still to be moved.
     */
    static void keep(float[] a, int width, int[] keep, int count) {
        for (int i = 0; i < count; i++) {
            if (keep[i] != i) {
                System.arraycopy(a, keep[i] * width, a, i * width, width);
            }
        }
    }

    /** {@link #keep(float[], int, int[], int)} for double rows. */
    static void keep(double[] a, int width, int[] keep, int count) {
        for (int i = 0; i < count; i++) {
            if (keep[i] != i) {
                System.arraycopy(a, keep[i] * width, a, i * width, width);
            }
        }
    }

    /** {@link #keep(float[], int, int[], int)} for int entries (rows of width 1). */
    static void keep(int[] a, int[] keep, int count) {
        for (int i = 0; i < count; i++) {
            a[i] = a[keep[i]];
        }
    }
}
