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
    private final int[] slots;
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
        System.arraycopy(s, 0, x, 0, n);
        int evals = evaluate(f, batch, listener);
        if (evals < budget && !stop(options)) {
            System.arraycopy(g[slot(pushed - 1)], 0, x, 0, n);
            evals = evaluate(f, batch, listener);
            while (evals < budget && !stop(options)) {
                propose(batch);
                evals = evaluate(f, batch, listener);
            }
        }

        System.arraycopy(g[slot(pushed - 1)], 0, s, 0, n);
        tracker.finish();
        return stats;
    }

    private boolean stop(SolveOptions options) {
        return options.stopsEarly() && tracker.allBelow(options.tolerance());
    }

    private int slot(int entry) {
        return entry % m;
    }

    /** Evaluates f at x into the next ring slot, records it and updates the Gram matrix. */
    private int evaluate(FixedPointMap f, int batch, IterationListener listener) {
        int slot = slot(pushed);
        float[] gs = g[slot];
        float[] rs = r[slot];
        f.apply(x, gs, batch);
        int evals = tracker.record(gs);
        if (listener != null) {
            listener.onOutput(evals, gs, batch);
        }
        for (int i = 0, end = batch * width; i < end; i++) {
            rs[i] = gs[i] - x[i];
        }
        pushed++;
        int count = Math.min(pushed, m);
        for (int i = 0; i < batch; i++) {
            int base = i * width;
            int gBase = i * m * m;
            for (int c = 0; c < count; c++) {
                int other = slot(pushed - 1 - c);
                double dot = dot(rs, r[other], base, width);
                gram[gBase + slot * m + other] = dot;
                gram[gBase + other * m + slot] = dot;
            }
        }
        return evals;
    }

    /** Writes the next iterate into x, sample by sample, with the safeguard. */
    private void propose(int batch) {
        int count = Math.min(pushed, m);
        for (int c = 0; c < count; c++) {
            slots[c] = slot(pushed - count + c);
        }
        int last = slot(pushed - 1);
        float[] gLast = g[last];
        float[] rLast = r[last];

        for (int i = 0; i < batch; i++) {
            int base = i * width;
            boolean solved = solveWeights(i, count);
            boolean accept = false;
            if (solved) {
                // proposal x~ = G alpha, then the proxy residuals of the safeguard
                double diff = 0;
                double norm = 0;
                double lastNorm = 0;
                double plainNorm = 0;
                for (int j = base, end = base + width; j < end; j++) {
                    double v = 0;
                    for (int c = 0; c < count; c++) {
                        v += alpha[c] * g[slots[c]][j];
                    }
                    float xt = (float) v;
                    x[j] = xt;
                    double d = gLast[j] - xt;
                    diff += d * d;
                    norm += (double) xt * xt;
                    double xl = gLast[j] - rLast[j];
                    lastNorm += xl * xl;
                    plainNorm += (double) rLast[j] * rLast[j];
                }
                double resAnderson = Math.sqrt(diff / norm);
                double resPlain = Math.sqrt(plainNorm / lastNorm);
                accept = resAnderson < resPlain;
            }
            if (!accept) {
                System.arraycopy(gLast, base, x, base, width);
                stats.fallbacks[i]++;
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

    private static double dot(float[] a, float[] b, int base, int len) {
        double sum = 0;
        for (int j = base, end = base + len; j < end; j++) {
            sum += (double) a[j] * b[j];
        }
        return sum;
    }
}
