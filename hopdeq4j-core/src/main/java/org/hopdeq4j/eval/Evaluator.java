package org.hopdeq4j.eval;

import org.hopdeq4j.ham.HamEnergy;
import org.hopdeq4j.ham.HamMap;
import org.hopdeq4j.ham.HamNetwork;
import org.hopdeq4j.ham.Update;
import org.hopdeq4j.linalg.Compute;
import org.hopdeq4j.linalg.MatMul;
import org.hopdeq4j.solve.IterationListener;
import org.hopdeq4j.solve.SolveOptions;
import org.hopdeq4j.solve.SolveStats;
import org.hopdeq4j.solve.Solvers;

/**
 * Runs every image of a set through the network's fixed-point solve, batch by batch from the
 * zero state, and reports accuracy, the paper's iterations to converge and wall time. Unlike
 * the authors' loader, the last partial batch is evaluated too, so every image counts.
 */
public final class Evaluator {

    /**
     * How to evaluate.
     *
     * @param damping forward Euler step h in (0, 1]
     * @param maxIterations the forward budget (map evaluations)
     * @param tolerance early-stop tolerance, or NaN for the fixed budget
     * @param traceResiduals keep the mean residual per iteration
     * @param traceEnergy keep the mean energy per evaluation (see {@link HamEnergy}: a slow
     *     diagnostic in double precision; with it, a tolerance stops whole batches only)
     */
    public record Settings(Update update, Solvers solver, double damping, int maxIterations,
                           double tolerance, int batchSize, boolean traceResiduals,
                           boolean traceEnergy) {

        /** Validates the settings. */
        public Settings {
            if (batchSize < 1) {
                throw new IllegalArgumentException("batchSize must be >= 1 but was " + batchSize);
            }
            new SolveOptions(maxIterations, tolerance, false);
            if (!(damping > 0 && damping <= 1)) {
                throw new IllegalArgumentException("damping must be in (0, 1] but was " + damping);
            }
        }
    }

    private Evaluator() {
    }

    /**
     * Evaluates {@code count} images on one backend, on the caller's thread.
     *
     * @see #evaluate(HamNetwork, Compute, float[], int[], int, Settings, ProgressListener)
     */
    public static EvaluationResult evaluate(HamNetwork net, MatMul mm, float[] images,
                                            int[] labels, int count, Settings settings,
                                            ProgressListener progress) {
        try (Compute single = Compute.single(mm)) {
            return evaluate(net, single, images, labels, count, settings, progress);
        }
    }

    /**
     * Evaluates {@code count} images, each batch's rows shared out among the workers (see
     * {@link BatchSolve}).
     *
     * @param images count rows of n_0 floats (pixel / 255); not modified
     * @param labels count class indices; not modified
     * @throws IllegalArgumentException if the arrays are shorter than count says, or the image
     *     width differs from the network's input layer
     */
    public static EvaluationResult evaluate(HamNetwork net, Compute compute, float[] images,
                                            int[] labels, int count, Settings settings,
                                            ProgressListener progress) {
        int n0 = net.size(0);
        if ((long) count * n0 > images.length || count > labels.length) {
            throw new IllegalArgumentException("expected " + count + " images of " + n0
                + " values and as many labels but got " + images.length + " values and "
                + labels.length + " labels");
        }
        int batchSize = Math.min(settings.batchSize(), Math.max(count, 1));
        BatchSolve solve = new BatchSolve(net, settings.update(), settings.damping(),
            settings.solver(), compute, batchSize);
        SolveOptions options = new SolveOptions(settings.maxIterations(), settings.tolerance(),
            settings.traceResiduals());
        for (int l = 0; l < net.layers(); l++) {
            compute.pinAll(net.weight(l));
        }
        try {
            return run(net, compute, solve, images, labels, count, batchSize, settings,
                options, progress);
        } finally {
            for (int l = 0; l < net.layers(); l++) {
                compute.unpinAll(net.weight(l));
            }
        }
    }

    private static EvaluationResult run(HamNetwork net, Compute compute, BatchSolve solve,
                                        float[] images, int[] labels, int count,
                                        int batchSize, Settings settings, SolveOptions options,
                                        ProgressListener progress) {
        int n0 = net.size(0);
        int width = solve.width();
        int outOff = solve.outputOffset();
        int classes = net.size(net.layers());
        double[] residualSum = new double[Math.max(settings.maxIterations() - 1, 0)];
        long[] residualCount = new long[residualSum.length];
        EnergyTrace[] energy = null;
        if (settings.traceEnergy()) {
            energy = new EnergyTrace[solve.workers()];
            for (int w = 0; w < energy.length; w++) {
                energy[w] = new EnergyTrace(solve.map(w), settings.maxIterations());
            }
        }

        progress.begin("evaluate", count);
        long start = System.nanoTime();
        long iterations = 0;
        long evaluations = 0;
        long fallbacks = 0;
        int notConverged = 0;
        int correct = 0;
        for (int first = 0; first < count; first += batchSize) {
            int batch = Math.min(batchSize, count - first);
            if (energy != null) {
                for (int w = 0; w < energy.length; w++) {
                    energy[w].start(images, (first + compute.rowStart(batch, w)) * n0);
                }
            }
            solve.solve(images, first * n0, batch, options, energy);

            for (int w = 0; w < solve.workers(); w++) {
                SolveStats st = solve.stats(w);
                if (st == null) {
                    continue;
                }
                float[] s = solve.state(w);
                int base = first + solve.firstRow(w);
                for (int i = 0; i < solve.rows(w); i++) {
                    int row = i * width + outOff;
                    int best = 0;
                    for (int c = 1; c < classes; c++) {
                        if (s[row + c] > s[row + best]) {
                            best = c;
                        }
                    }
                    if (best == labels[base + i]) {
                        correct++;
                    }
                    if (st.hasResiduals()) {
                        for (int k = 0; k < st.evaluations() - 1; k++) {
                            float r = st.residual(k, i);
                            if (Float.isFinite(r)) {
                                residualSum[k] += r;
                                residualCount[k]++;
                            }
                        }
                    }
                }
                iterations += st.sumIterations();
                notConverged += st.notConverged();
                evaluations += st.evaluations();
                fallbacks += st.sumFallbacks();
            }
            progress.progress(first + batch, null);
        }
        double wall = (System.nanoTime() - start) * 1e-9;
        progress.end();

        double[] energyMean = new double[0];
        if (energy != null) {
            double[] sum = new double[settings.maxIterations()];
            long[] n = new long[sum.length];
            for (EnergyTrace e : energy) {
                for (int k = 0; k < sum.length; k++) {
                    sum[k] += e.sum[k];
                    n[k] += e.count[k];
                }
            }
            energyMean = means(sum, n);
        }
        return new EvaluationResult(count, correct, count == 0 ? Double.NaN
            : (double) iterations / count, notConverged, evaluations, fallbacks, wall,
            settings.traceResiduals() ? means(residualSum, residualCount) : new double[0],
            energyMean);
    }

    private static double[] means(double[] sum, long[] count) {
        int n = 0;
        while (n < sum.length && count[n] > 0) {
            n++;
        }
        double[] mean = new double[n];
        for (int k = 0; k < n; k++) {
            mean[k] = sum[k] / count[k];
        }
        return mean;
    }

    /**
     * Adds the energy of every map output to running sums, per evaluation index: one per
     * worker, called on that worker's thread with its rows.
     */
    private static final class EnergyTrace implements IterationListener {
        private final HamMap map;
        private final HamNetwork net;
        private final float[] full;
        private final double[] energies;
        final double[] sum;
        final long[] count;
        private float[] x;
        private int xOff;

        EnergyTrace(HamMap map, int budget) {
            this.map = map;
            this.net = map.network();
            this.full = new float[map.maxBatch() * net.freeUnits()];
            this.energies = new double[map.maxBatch()];
            this.sum = new double[budget];
            this.count = new long[budget];
        }

        void start(float[] x, int xOff) {
            this.x = x;
            this.xOff = xOff;
        }

        @Override
        public void onOutput(int evaluation, float[] out, int batch) {
            map.expand(out, full, batch);
            HamEnergy.energy(net, x, xOff, full, batch, energies);
            for (int i = 0; i < batch; i++) {
                if (Double.isFinite(energies[i])) {
                    sum[evaluation - 1] += energies[i];
                    count[evaluation - 1]++;
                }
            }
        }
    }
}
