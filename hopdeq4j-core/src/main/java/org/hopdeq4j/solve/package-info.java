/**
 * Fixed-point solvers for batched maps ({@link org.hopdeq4j.solve.FixedPointMap}): Picard
 * (damped) iteration and Anderson acceleration, with the paper's per-sample convergence
 * measure ({@link org.hopdeq4j.solve.ConvergenceTracker}) and per-sample results
 * ({@link org.hopdeq4j.solve.SolveStats}). The central type is
 * {@link org.hopdeq4j.solve.FixedPointSolver}.
 */
package org.hopdeq4j.solve;
