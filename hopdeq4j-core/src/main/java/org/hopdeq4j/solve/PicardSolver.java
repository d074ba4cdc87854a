package org.hopdeq4j.solve;

/**
 * Picard iteration {@code s <- f(s)} from the initial state, for the whole budget or until
 * every sample is below the tolerance. Damping, when wanted, lives in the map: damped Picard
 * iteration is forward Euler with step h (the paper's Appendix A).
 */
public final class PicardSolver implements FixedPointSolver {

    private final int width;
    private final int maxBatch;
    private final float[] bufferA;
    private final float[] bufferB;
    private final int[] keep;
    private final ConvergenceTracker tracker;
    private final SolveStats stats;

    /** Workspace for states of {@code width} floats and batches up to {@code maxBatch}. */
    public PicardSolver(int width, int maxBatch) {
        this.width = width;
        this.maxBatch = maxBatch;
        this.bufferA = new float[width * maxBatch];
        this.bufferB = new float[width * maxBatch];
        this.keep = new int[maxBatch];
        this.tracker = new ConvergenceTracker(width, maxBatch);
        this.stats = new SolveStats(maxBatch);
    }

    @Override
    public String name() {
        return "picard";
    }

    /**
     * {@inheritDoc}
     *
     * <p>With a tolerance, a map that {@linkplain FixedPointMap#canKeepRows can drop rows} and
     * no listener, every sample leaves the solve at its first map output whose residual is
     * below the tolerance and the remaining evaluations run on the others only; otherwise the
     * whole batch runs until every sample is below it at once.
     */
    @Override
    public SolveStats solve(FixedPointMap f, float[] s, int batch, SolveOptions options,
                            IterationListener listener) {
        Solvers.check(f, width, batch, maxBatch);
        stats.reset(batch, options.maxIterations(), options.recordResiduals());
        tracker.start(stats);
        boolean retire = options.stopsEarly() && listener == null && f.canKeepRows();

        // s is read once, as the first input; outputs alternate between two buffers
        float[] current = s;
        float[] next = bufferA;
        int active = batch;
        for (int j = 1; j <= options.maxIterations() && active > 0; j++) {
            f.apply(current, next, active);
            // from the second evaluation on, the input is the previous output
            tracker.record(next, current);
            if (listener != null) {
                listener.onOutput(j, next, active);
            }
            current = next;
            next = current == bufferA ? bufferB : bufferA;
            if (retire) {
                active = retireConverged(f, current, s, options.tolerance());
            } else if (options.stopsEarly() && tracker.allBelow(options.tolerance())) {
                break;
            }
        }
        tracker.copyActive(current, s);
        tracker.finish();
        return stats;
    }

    /**
     * Writes the rows of {@code out} now below the tolerance into their samples' rows of the
     * result and keeps the others; returns the number kept.
     */
    private int retireConverged(FixedPointMap f, float[] out, float[] result, double tolerance) {
        int active = tracker.active();
        int kept = tracker.stillAbove(tolerance, keep);
        if (kept == active) {
            return active;
        }
        tracker.copyRetired(out, keep, kept, result);
        Rows.keep(out, width, keep, kept);
        tracker.keepRows(keep, kept);
        if (kept > 0) {
            f.keepRows(keep, kept);
        }
        return kept;
    }
}
