package org.hopdeq4j.solve;

/**
 * A map f whose fixed point {@code s* = f(s*)} a solver finds, applied to a batch of states at
 * once. A state batch is row-major: {@code batch} rows of {@link #width()} floats.
 */
public interface FixedPointMap {

    /** Floats per sample in the state. */
    int width();

    /**
     * {@code out = f(s)} for the first {@code batch} rows. {@code s} is not modified;
     * {@code out} must not alias {@code s}.
     */
    void apply(float[] s, float[] out, int batch);

    /**
     * Whether {@link #keepRows} is supported, so that a solver may retire converged samples
     * from the batch and go on with the others only.
     */
    default boolean canKeepRows() {
        return false;
    }

    /**
     * Keeps the per-sample data (the input) of rows {@code keep[0..count)} (ascending) as rows
     * {@code 0..count)}; later calls apply the map to those {@code count} rows.
     *
     * @throws UnsupportedOperationException unless {@link #canKeepRows()}
     */
    default void keepRows(int[] keep, int count) {
        throw new UnsupportedOperationException("this map cannot drop rows from its batch");
    }
}
