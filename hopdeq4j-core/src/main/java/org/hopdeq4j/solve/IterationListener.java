package org.hopdeq4j.solve;

/**
 * Sees every map output of a solve, in the order evaluated; used for energy traces.
 * Implementations must not modify {@code out}.
 */
@FunctionalInterface
public interface IterationListener {

    /** Called after the {@code evaluation}-th map evaluation (1-based) produced {@code out}. */
    void onOutput(int evaluation, float[] out, int batch);
}
