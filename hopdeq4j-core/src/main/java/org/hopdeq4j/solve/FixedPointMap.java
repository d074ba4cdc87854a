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
}
