package org.hopdeq4j.solve;

/**
 * How a solve runs.
 *
 * @param maxIterations the budget: the number of map evaluations, at least 1 (the paper: 40 per
 *     two layers of depth)
 * @param tolerance when finite and positive, a sample stops at its first relative residual
 *     (the paper's measure, between consecutive map outputs) below it, and the solve ends when
 *     every sample has (see the solvers for when samples can leave the batch one by one);
 *     {@code NaN} runs the whole budget as the paper does
 * @param recordResiduals keep every sample's residual at every iteration in the stats
 */
public record SolveOptions(int maxIterations, double tolerance, boolean recordResiduals) {

    /** Validates the options. */
    public SolveOptions {
        if (maxIterations < 1) {
            throw new IllegalArgumentException(
                "maxIterations must be >= 1 but was " + maxIterations);
        }
        if (!Double.isNaN(tolerance) && !(tolerance > 0 && tolerance < Double.POSITIVE_INFINITY)) {
            throw new IllegalArgumentException(
                "tolerance must be a positive number but was " + tolerance);
        }
    }

    /** The paper's fixed budget, no early stop, no traces. */
    public static SolveOptions fixedBudget(int maxIterations) {
        return new SolveOptions(maxIterations, Double.NaN, false);
    }

    /** Whether the solve may stop before the budget is spent. */
    public boolean stopsEarly() {
        return !Double.isNaN(tolerance);
    }

    /** A copy that records residual traces. */
    public SolveOptions withResiduals(boolean record) {
        return new SolveOptions(maxIterations, tolerance, record);
    }
}
