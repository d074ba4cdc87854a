package org.hopdeq4j.solve;

/**
 * Finds the fixed point {@code s* = f(s*)} of a batched map. A solver owns workspace for one
 * state width and a largest batch, allocated at construction: solving allocates nothing.
 * Not thread-safe.
 */
public interface FixedPointSolver {

    /**
     * Runs the solve from the initial state in {@code s} and leaves the result there: for each
     * sample the last map output evaluated for it (with a tolerance, a sample may leave the
     * batch before the others). Every map output is fed to the paper's convergence measure
     * and to {@code listener} (may be null; a listener keeps every sample in the batch to the
     * end, as it sees the rows by position).
     *
     * @param s in: the initial state (the paper: zeros); out: the solution; batch rows
     * @return per-sample statistics; the same object on every call, valid until the next solve
     * @throws IllegalArgumentException if the map's width or the batch does not fit this solver
     */
    SolveStats solve(FixedPointMap f, float[] s, int batch, SolveOptions options,
                     IterationListener listener);

    /** The solver's name, as on the command line. */
    String name();
}
