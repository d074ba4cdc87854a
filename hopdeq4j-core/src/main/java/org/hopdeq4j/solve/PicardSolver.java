package org.hopdeq4j.solve;

/**
 * Picard iteration {@code s <- f(s)} from the initial state, for the whole budget or until
 * every sample is below the tolerance. Damping, when wanted, lives in the map: damped Picard
 * iteration is forward Euler with step h (the paper's Appendix A).
 */
public final class PicardSolver implements FixedPointSolver {

    private final int width;
    private final int maxBatch;
    private final float[] buffer;
    private final ConvergenceTracker tracker;
    private final SolveStats stats;

    /** Workspace for states of {@code width} floats and batches up to {@code maxBatch}. */
    public PicardSolver(int width, int maxBatch) {
        this.width = width;
        this.maxBatch = maxBatch;
        this.buffer = new float[width * maxBatch];
        this.tracker = new ConvergenceTracker(width, maxBatch);
        this.stats = new SolveStats(maxBatch);
    }

    @Override
    public String name() {
        return "picard";
    }

    @Override
    public SolveStats solve(FixedPointMap f, float[] s, int batch, SolveOptions options,
                            IterationListener listener) {
        Solvers.check(f, width, batch, maxBatch);
        stats.reset(batch, options.maxIterations(), options.recordResiduals());
        tracker.start(stats);

        float[] current = s;
        float[] next = buffer;
        for (int j = 1; j <= options.maxIterations(); j++) {
            f.apply(current, next, batch);
            tracker.record(next);
            if (listener != null) {
                listener.onOutput(j, next, batch);
            }
            float[] t = current;
            current = next;
            next = t;
            if (options.stopsEarly() && tracker.allBelow(options.tolerance())) {
                break;
            }
        }
        if (current != s) {
            System.arraycopy(current, 0, s, 0, batch * width);
        }
        tracker.finish();
        return stats;
    }
}
