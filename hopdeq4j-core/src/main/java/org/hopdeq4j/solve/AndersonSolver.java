package org.hopdeq4j.solve;

/**
 * Anderson acceleration (Walker and Ni 2011, "form 1.1"), as the paper runs it: window m,
 * mixing 1, a ridge on the m x m Gram system, and a per-sample safeguard.
 *
 * <p>With past iterates {@code x_j}, their map outputs {@code G_j = f(x_j)} and residuals
 * {@code F_j = G_j - x_j} over the last {@code m_k = min(m, k)} steps, each sample solves
 * {@code (F^T F + lambda I) alpha = 1}, normalises {@code alpha} to sum 1 (the minimiser of
 * {@code |F alpha|} subject to {@code sum alpha = 1}) and proposes {@code x~ = G alpha}. The
 * safeguard keeps the plain step {@code G_last} instead when the proposal's proxy residual
 * {@code |G_last - x~| / |x~|} is not smaller than the plain one {@code |F_last| / |x_last|}.
 * The first two steps are plain. The solve returns the last map output.
 *
 * <p>The ridge is relative: {@code lambda = ridge * max_j (F^T F)_jj}. The paper's absolute
 * 1e-10 is below float32 resolution for these Gram entries, so two equal residual columns make
 * the system singular; a relative ridge of {@value #DEFAULT_RIDGE} stays above float32 rounding
 * of the entries while perturbing the solution negligibly. The m x m system is solved in double
 * precision by Gaussian elimination with partial pivoting; a sample whose system still fails
 * (non-finite or zero-sum coefficients) takes the plain step, counted as a fallback.
 *
 * <p>With a tolerance, a map that {@linkplain FixedPointMap#canKeepRows can drop rows} and no
 * listener, every sample leaves the solve at its first map output below the tolerance (that
 * output is its result) and the remaining evaluations run on the other rows only; otherwise
 * the whole batch runs until every sample is below it at once.
 *
 * <p>The Gram matrix is updated incrementally: each new residual column is dotted with the
 * columns in the window, {@code m} dot products per iteration instead of {@code m^2}.
 */
public final class AndersonSolver implements FixedPointSolver {

    /** The paper's window. */
    public static final int DEFAULT_WINDOW = 4;

    /** Default relative ridge. */
    public static final double DEFAULT_RIDGE = 1e-6;

    private final int width;
    private final int maxBatch;
    private final int m;
    private final double ridge;

    private final float[][] g;
    private final float[][] r;
    private final double[] gram;
    private final float[] x;
    private final double[] system;
    private final double[] alpha;
    private final double[] dots = new double[2];
    private final double[] rowDots;
    private final float[][] older;
    private final int[] olderSlots;
    private final int[] slots;
    private final int[] keep;
    private final float[] weights;
    private final double[] xNorm2;
    private final double[] gNorm2;
    private final ConvergenceTracker tracker;
    private final SolveStats stats;
    private int pushed;

    /**
     * @param window the window m, at least 1
     * @param ridge the relative ridge, at least 0
     */
    public AndersonSolver(int width, int maxBatch, int window, double ridge) {
        if (window < 1) {
            throw new IllegalArgumentException("historySize must be >= 1 but was " + window);
        }
        if (!(ridge >= 0) || Double.isInfinite(ridge)) {
            throw new IllegalArgumentException("ridge must be a finite number >= 0 but was "
                + ridge);
        }
        this.width = width;
        this.maxBatch = maxBatch;
        this.m = window;
        this.ridge = ridge;
        g = new float[window][width * maxBatch];
        r = new float[window][width * maxBatch];
        gram = new double[maxBatch * window * window];
        x = new float[width * maxBatch];
        system = new double[window * (window + 1)];
        alpha = new double[window];
        slots = new int[window];
        rowDots = new double[window + 1];
        older = new float[window][];
        olderSlots = new int[window];
        keep = new int[maxBatch];
        weights = new float[window];
        xNorm2 = new double[maxBatch];
        gNorm2 = new double[maxBatch * window];
        tracker = new ConvergenceTracker(width, maxBatch);
        stats = new SolveStats(maxBatch);
    }

    @Override
    public String name() {
        return "anderson";
    }

    @Override
    public SolveStats solve(FixedPointMap f, float[] s, int batch, SolveOptions options,
                            IterationListener listener) {
        Solvers.check(f, width, batch, maxBatch);
        int budget = options.maxIterations();
        stats.reset(batch, budget, options.recordResiduals());
        tracker.start(stats);
        pushed = 0;
        int n = batch * width;

        // two plain steps: x0 = s, x1 = f(x0)
        boolean retire = options.stopsEarly() && listener == null && f.canKeepRows();
        int active = batch;
        System.arraycopy(s, 0, x, 0, n);
        for (int i = 0; i < batch; i++) {
            xNorm2[i] = Dots.dot(x, x, i * width, width);
        }
        int evals = evaluate(f, active, listener);
        if (evals < budget && !stop(options)) {
            int first = slot(pushed - 1);
            System.arraycopy(g[first], 0, x, 0, n);
            for (int i = 0; i < batch; i++) {
                xNorm2[i] = gNorm2[i * m + first];
            }
            evals = evaluate(f, active, listener);
            if (retire) {
                active = retireConverged(f, s, options.tolerance());
            }
            while (evals < budget && active > 0 && (retire || !stop(options))) {
                propose(active);
                evals = evaluate(f, active, listener);
                if (retire) {
                    active = retireConverged(f, s, options.tolerance());
                }
            }
        }

        tracker.copyActive(g[slot(pushed - 1)], s);
        tracker.finish();
        return stats;
    }

    private boolean stop(SolveOptions options) {
        return options.stopsEarly() && tracker.allBelow(options.tolerance());
    }

    /**
     * Writes the last outputs of the rows now below the tolerance into their samples' rows of
     * the result and drops those rows from every per-sample buffer (iterates, outputs,
     * residuals, Gram blocks, norms) and from the map; returns the number of rows kept.
     */
    private int retireConverged(FixedPointMap f, float[] result, double tolerance) {
        int active = tracker.active();
        int kept = tracker.stillAbove(tolerance, keep);
        if (kept == active) {
            return active;
        }
        tracker.copyRetired(g[slot(pushed - 1)], keep, kept, result);
        Rows.keep(x, width, keep, kept);
        for (int c = 0; c < m; c++) {
            Rows.keep(g[c], width, keep, kept);
            Rows.keep(r[c], width, keep, kept);
        }
        Rows.keep(gram, m * m, keep, kept);
        Rows.keep(gNorm2, m, keep, kept);
        Rows.keep(xNorm2, 1, keep, kept);
        tracker.keepRows(keep, kept);
        if (kept > 0) {
            f.keepRows(keep, kept);
        }
        return kept;
    }

    private int slot(int entry) {
        return entry % m;
    }

    /**
     * Evaluates f at x into the next ring slot, records it, forms the residual and updates the
     * Gram matrix: the new residual column dotted with every column in the window, and the
     * squared norm of the new output (the safeguard's norm of x when this output becomes the
     * plain step), all in one pass over the sample's row.
     */
    private int evaluate(FixedPointMap f, int batch, IterationListener listener) {
        int slot = slot(pushed);
        float[] gs = g[slot];
        float[] rs = r[slot];
        f.apply(x, gs, batch);
        // the previous output is still in the ring unless the window is a single slot
        int evals = m > 1 ? tracker.record(gs, g[slot(pushed + m - 1)]) : tracker.record(gs);
        if (listener != null) {
            listener.onOutput(evals, gs, batch);
        }
        pushed++;
        int count = Math.min(pushed, m);
        int olderCount = count - 1;
        for (int c = 1; c < count; c++) {
            olderSlots[c - 1] = slot(pushed - 1 - c);
            older[c - 1] = r[olderSlots[c - 1]];
        }

        for (int i = 0; i < batch; i++) {
            int base = i * width;
            int gBase = i * m * m;
            Dots.residualAndDots(gs, x, rs, older, olderCount, base, width, rowDots);
            gram[gBase + slot * m + slot] = rowDots[1];
            for (int c = 0; c < olderCount; c++) {
                int other = olderSlots[c];
                double dot = rowDots[2 + c];
                gram[gBase + slot * m + other] = dot;
                gram[gBase + other * m + slot] = dot;
            }
            gNorm2[i * m + slot] = rowDots[0];
        }
        return evals;
    }

    /**
     * Writes the next iterate into x, sample by sample, with the safeguard: the proposal
     * {@code x~ = G alpha} is kept when its proxy residual {@code |G_last - x~| / |x~|} is
     * below the plain step's {@code |F_last| / |x_last|}; {@code |F_last|^2} is the Gram
     * diagonal and {@code |x_last|^2} was kept when x_last was formed.
     */
    private void propose(int batch) {
        int count = Math.min(pushed, m);
        for (int c = 0; c < count; c++) {
            slots[c] = slot(pushed - count + c);
        }
        int last = slot(pushed - 1);
        float[] gLast = g[last];

        for (int i = 0; i < batch; i++) {
            int base = i * width;
            boolean accept = false;
            if (solveWeights(i, count)) {
                for (int c = 0; c < count; c++) {
                    weights[c] = (float) alpha[c];
                }
                if (Dots.VECTOR && count == 4) {
                    // one pass: the proposal, its distance to the plain step and its norm
                    VectorDots.combine4AndCompare(g[slots[0]], g[slots[1]], g[slots[2]],
                        gLast, weights[0], weights[1], weights[2], weights[3], x, base, width,
                        dots);
                } else {
                    combine(count, base);
                    Dots.differenceAndNorm(x, gLast, base, width, dots);
                }
                double diff = dots[0];
                double norm = dots[1];
                double plainNorm = gram[i * m * m + last * m + last];
                double resAnderson = Math.sqrt(diff / norm);
                double resPlain = Math.sqrt(plainNorm / xNorm2[i]);
                accept = resAnderson < resPlain;
                if (accept) {
                    xNorm2[i] = norm;
                }
            }
            if (!accept) {
                System.arraycopy(gLast, base, x, base, width);
                xNorm2[i] = gNorm2[i * m + last];
                stats.fallbacks[tracker.sample(i)]++;
            }
        }
    }

    /**
     * {@code x = sum_c weights[c] G_{slots[c]}} over one sample's row, in float: the same index
     * into distinct arrays, so that C2 vectorises the loops.
     */
    private void combine(int count, int base) {
        int end = base + width;
        float[] g0 = g[slots[0]];
        float w0 = weights[0];
        if (count == 1) {
            for (int j = base; j < end; j++) {
                x[j] = w0 * g0[j];
            }
            return;
        }
        float[] g1 = g[slots[1]];
        float w1 = weights[1];
        if (count == 2) {
            for (int j = base; j < end; j++) {
                x[j] = w0 * g0[j] + w1 * g1[j];
            }
            return;
        }
        float[] g2 = g[slots[2]];
        float w2 = weights[2];
        if (count == 3) {
            for (int j = base; j < end; j++) {
                x[j] = w0 * g0[j] + w1 * g1[j] + w2 * g2[j];
            }
            return;
        }
        float[] g3 = g[slots[3]];
        float w3 = weights[3];
        for (int j = base; j < end; j++) {
            x[j] = w0 * g0[j] + w1 * g1[j] + w2 * g2[j] + w3 * g3[j];
        }
        for (int c = 4; c < count; c++) {
            float[] gc = g[slots[c]];
            float wc = weights[c];
            for (int j = base; j < end; j++) {
                x[j] += wc * gc[j];
            }
        }
    }

    /** Solves sample i's regularised Gram system into alpha; false if it failed. */
    private boolean solveWeights(int i, int count) {
        int gBase = i * m * m;
        int cols = count + 1;
        double maxDiag = 0;
        for (int a = 0; a < count; a++) {
            maxDiag = Math.max(maxDiag, gram[gBase + slots[a] * m + slots[a]]);
        }
        if (!(maxDiag > 0) || Double.isInfinite(maxDiag)) {
            return false;
        }
        double lambda = ridge * maxDiag;
        for (int a = 0; a < count; a++) {
            for (int b = 0; b < count; b++) {
                system[a * cols + b] = gram[gBase + slots[a] * m + slots[b]];
            }
            system[a * cols + a] += lambda;
            system[a * cols + count] = 1.0;
        }
        if (!gaussianElimination(system, count, cols, alpha)) {
            return false;
        }
        double sum = 0;
        for (int a = 0; a < count; a++) {
            sum += alpha[a];
        }
        if (sum == 0 || !Double.isFinite(sum)) {
            return false;
        }
        for (int a = 0; a < count; a++) {
            alpha[a] /= sum;
        }
        return true;
    }

    /** Solves the augmented n x (n+1) system in place; false if a pivot vanishes. */
    static boolean gaussianElimination(double[] a, int n, int cols, double[] out) {
        for (int p = 0; p < n; p++) {
            int best = p;
            for (int row = p + 1; row < n; row++) {
                if (Math.abs(a[row * cols + p]) > Math.abs(a[best * cols + p])) {
                    best = row;
                }
            }
            if (!(Math.abs(a[best * cols + p]) > 0)) {
                return false;
            }
            if (best != p) {
                for (int c = 0; c < cols; c++) {
                    double t = a[p * cols + c];
                    a[p * cols + c] = a[best * cols + c];
                    a[best * cols + c] = t;
                }
            }
            for (int row = p + 1; row < n; row++) {
                double factor = a[row * cols + p] / a[p * cols + p];
                for (int c = p; c < cols; c++) {
                    a[row * cols + c] -= factor * a[p * cols + c];
                }
            }
        }
        for (int row = n - 1; row >= 0; row--) {
            double v = a[row * cols + n];
            for (int c = row + 1; c < n; c++) {
                v -= a[row * cols + c] * out[c];
            }
            out[row] = v / a[row * cols + row];
            if (!Double.isFinite(out[row])) {
                return false;
            }
        }
        return true;
    }

}
