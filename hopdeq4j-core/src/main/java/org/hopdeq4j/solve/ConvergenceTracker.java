package org.hopdeq4j.solve;

/**
 * The paper's convergence measure, fed with every map output in the order evaluated.
 *
 * <p>With outputs {@code o_1 = f(s_0), o_2, o_3, ...} the residual of sample i is
 * {@code r_k = |o_{k+2} - o_{k+1}| / |o_{k+2}|} (Euclidean norms over the sample's state row)
 * for k = 0, 1, ...; its iterations to converge are the first k with {@code r_k < 1e-4}. A
 * sample still above at the end of the solve counts as {@code budget - 1} and as not
 * converged. When both norms are zero the residual is 0 (an exact fixed point).
 *
 * <p>One difference from the authors' code: there a sample already below the threshold at
 * k = 0 also reads as not converged (an artefact of how the first index is found); here it
 * counts as converged in 0 iterations. It does not happen on real data.
 */
final class ConvergenceTracker {

    /** The paper's convergence threshold on the relative residual. */
    static final double THRESHOLD = 1e-4;

    private final float[] previous;
    private final int width;
    private final float[] latest;
    private final int[] sample;
    private final double[] sums = new double[2];
    private SolveStats stats;
    private int outputs;
    private int active;
    /** Whether this solve keeps its own copy of the previous output. */
    private boolean ownCopy;

    ConvergenceTracker(int width, int maxBatch) {
        this.width = width;
        this.previous = new float[width * maxBatch];
        this.latest = new float[maxBatch];
        this.sample = new int[maxBatch];
    }

    void start(SolveStats stats) {
        this.stats = stats;
        this.outputs = 0;
        this.ownCopy = false;
        this.active = stats.batch;
        for (int i = 0; i < active; i++) {
            sample[i] = i;
        }
    }

    /** Rows still in the solve (all of the batch unless rows were retired). */
    int active() {
        return active;
    }

    /** The sample (row of the original batch) that active row i holds. */
    int sample(int i) {
        return sample[i];
    }

    /**
     * Lists in {@code keep} the active rows whose latest residual is not below
     * {@code tolerance}, ascending, and returns how many; rows below it may be retired.
     */
    int stillAbove(double tolerance, int[] keep) {
        int count = 0;
        for (int i = 0; i < active; i++) {
            if (outputs < 2 || !(latest[i] < tolerance)) {
                keep[count++] = i;
            }
        }
        return count;
    }

    /**
     * Copies the active rows of {@code out} that are not listed in {@code keep[0..kept)}
     * (ascending) into their samples' rows of {@code result}: the results of retiring rows.
     */
    void copyRetired(float[] out, int[] keep, int kept, float[] result) {
        int next = 0;
        for (int i = 0; i < active; i++) {
            if (next < kept && keep[next] == i) {
                next++;
            } else {
                System.arraycopy(out, i * width, result, sample[i] * width, width);
            }
        }
    }

    /** Copies every active row of {@code out} into its sample's row of {@code result}. */
    void copyActive(float[] out, float[] result) {
        for (int i = 0; i < active; i++) {
            System.arraycopy(out, i * width, result, sample[i] * width, width);
        }
    }

    /** Keeps active rows {@code keep[0..count)} (ascending) as rows 0..count). */
    void keepRows(int[] keep, int count) {
        if (ownCopy) {
            Rows.keep(previous, width, keep, count);
        }
        for (int i = 0; i < count; i++) {
            latest[i] = latest[keep[i]];
        }
        Rows.keep(sample, keep, count);
        active = count;
    }

    /**
     * Records the next map output, keeping a copy of it to compare the next output with;
     * returns how many outputs have been recorded.
     */
    int record(float[] out) {
        int count = record(out, previous);
        System.arraycopy(out, 0, previous, 0, active * width);
        ownCopy = true;
        return count;
    }

    /**
     * Records the next map output given the solver's own copy of the previous output
     * ({@code previousOut}, the active rows in the same order; not read for the first
     * output), so that no copy is made. A solver uses one of the two {@code record} methods
     * throughout a solve.
     */
    int record(float[] out, float[] previousOut) {
        int batch = active;
        if (outputs > 0) {
            int k = outputs - 1;
            for (int i = 0; i < batch; i++) {
                int id = sample[i];
                Dots.differenceAndNorm(out, previousOut, i * width, width, sums);
                double diff = sums[0];
                double norm = sums[1];
                float r = diff == 0 ? 0f : (float) Math.sqrt(diff / norm);
                latest[i] = r;
                stats.finalResidual[id] = r;
                if (stats.residuals != null) {
                    stats.residuals[k][id] = r;
                }
                if (!stats.converged[id] && r < THRESHOLD) {
                    stats.converged[id] = true;
                    stats.iterations[id] = k;
                }
            }
        }
        outputs++;
        stats.evaluations = outputs;
        return outputs;
    }

    /** Whether every sample's latest residual is below {@code tolerance}. */
    boolean allBelow(double tolerance) {
        if (outputs < 2) {
            return false;
        }
        for (int i = 0; i < active; i++) {
            if (!(latest[i] < tolerance)) {
                return false;
            }
        }
        return true;
    }

    /** Closes the solve: samples that never converged count as budget - 1. */
    void finish() {
        int cap = Math.max(stats.budget - 1, 0);
        for (int i = 0; i < stats.batch; i++) {
            if (!stats.converged[i]) {
                stats.iterations[i] = cap;
            }
        }
    }
}
