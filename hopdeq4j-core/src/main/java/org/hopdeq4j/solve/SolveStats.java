package org.hopdeq4j.solve;

import java.util.Arrays;

/**
 * Per-sample results of one batched solve, reused from solve to solve (allocated once for the
 * largest batch).
 *
 * <p>Iterations to converge follow the paper's measure (see {@link ConvergenceTracker}): the
 * first k with {@code r_k < 1e-4}, or {@code budget - 1} for a sample that never gets there,
 * which also counts as not converged. A sample whose residual is NaN or infinite (divergence)
 * is reported as not converged; the solve itself does not throw.
 */
public final class SolveStats {

    private final int maxBatch;
    int batch;
    int evaluations;
    int budget;
    final int[] iterations;
    final boolean[] converged;
    final float[] finalResidual;
    final int[] fallbacks;
    float[][] residuals;

    /** Creates stats for batches up to {@code maxBatch}. */
    public SolveStats(int maxBatch) {
        this.maxBatch = maxBatch;
        iterations = new int[maxBatch];
        converged = new boolean[maxBatch];
        finalResidual = new float[maxBatch];
        fallbacks = new int[maxBatch];
    }

    void reset(int batch, int budget, boolean recordResiduals) {
        if (batch > maxBatch) {
            throw new IllegalArgumentException(
                "batch must be <= " + maxBatch + " but was " + batch);
        }
        this.batch = batch;
        this.budget = budget;
        this.evaluations = 0;
        Arrays.fill(iterations, 0, batch, -1);
        Arrays.fill(converged, 0, batch, false);
        Arrays.fill(finalResidual, 0, batch, Float.NaN);
        Arrays.fill(fallbacks, 0, batch, 0);
        if (recordResiduals) {
            int rows = Math.max(budget - 1, 0);
            if (residuals == null || residuals.length < rows) {
                residuals = new float[rows][maxBatch];
            }
            for (int k = 0; k < rows; k++) {
                Arrays.fill(residuals[k], Float.NaN);
            }
        } else {
            residuals = null;
        }
    }

    /** Samples in the last solve. */
    public int batch() {
        return batch;
    }

    /** Map evaluations the last solve made (its budget unless it stopped early). */
    public int evaluations() {
        return evaluations;
    }

    /** The budget of the last solve. */
    public int budget() {
        return budget;
    }

    /** Iterations to converge of sample i by the paper's measure. */
    public int iterations(int i) {
        return iterations[i];
    }

    /** Whether sample i reached a relative residual below 1e-4. */
    public boolean converged(int i) {
        return converged[i];
    }

    /** The last relative residual of sample i (NaN if fewer than two evaluations ran). */
    public float finalResidual(int i) {
        return finalResidual[i];
    }

    /** How often the Anderson safeguard kept the plain step for sample i (0 for Picard). */
    public int fallbacks(int i) {
        return fallbacks[i];
    }

    /** Whether per-iteration residuals were recorded. */
    public boolean hasResiduals() {
        return residuals != null;
    }

    /**
     * Residual {@code r_k} of sample i, k = 0 .. evaluations-2; NaN where it was not computed.
     *
     * @throws IllegalStateException if residuals were not recorded
     */
    public float residual(int k, int i) {
        if (residuals == null) {
            throw new IllegalStateException("residuals were not recorded for this solve");
        }
        return residuals[k][i];
    }

    /** Sum of the iterations to converge over the batch. */
    public long sumIterations() {
        long total = 0;
        for (int i = 0; i < batch; i++) {
            total += iterations[i];
        }
        return total;
    }

    /** Number of samples that did not converge. */
    public int notConverged() {
        int count = 0;
        for (int i = 0; i < batch; i++) {
            if (!converged[i]) {
                count++;
            }
        }
        return count;
    }

    /** Sum of the safeguard fallbacks over the batch. */
    public long sumFallbacks() {
        long total = 0;
        for (int i = 0; i < batch; i++) {
            total += fallbacks[i];
        }
        return total;
    }
}
