package org.hopdeq4j.eval;

import java.util.Arrays;
import java.util.Collection;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;

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
     * Evaluates {@code count} images in batches, each batch solved whole by one worker, the
     * workers taking batches in turn (see {@link BatchSolve#solveAll}). The results do not
     * depend on the number of workers except through the rounding of the products.
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
            return run(net, solve, images, labels, count, settings, options, progress);
        } finally {
            for (int l = 0; l < net.layers(); l++) {
                compute.unpinAll(net.weight(l));
            }
        }
    }

    private static EvaluationResult run(HamNetwork net, BatchSolve solve, float[] images,
                                        int[] labels, int count, Settings settings,
                                        SolveOptions options, ProgressListener progress) {
        int traced = Math.max(settings.maxIterations() - 1, 0);
        EnergyTrace[] energy = null;
        if (settings.traceEnergy()) {
            energy = new EnergyTrace[solve.workers()];
            for (int w = 0; w < energy.length; w++) {
                energy[w] = new EnergyTrace(solve.map(w), settings.maxIterations());
            }
        }
        Tally tally = new Tally(net, solve, images, labels, traced, energy, progress);

        progress.begin("evaluate", count);
        long start = System.nanoTime();
        solve.solveAll(images, 0, count, options, tally);
        double wall = (System.nanoTime() - start) * 1e-9;
        progress.end();

        // Sums over batches in image order, so the means do not depend on which worker
        // solved which batch.
        double[] residualSum = new double[traced];
        long[] residualCount = new long[traced];
        double[] energySum = new double[settings.maxIterations()];
        long[] energyCount = new long[energySum.length];
        long iterations = 0;
        long evaluations = 0;
        long fallbacks = 0;
        int notConverged = 0;
        int correct = 0;
        for (Tally.Batch b : tally.batches()) {
            iterations += b.iterations;
            evaluations += b.evaluations;
            fallbacks += b.fallbacks;
            notConverged += b.notConverged;
            correct += b.correct;
            if (b.residualSum != null) {
                for (int k = 0; k < traced; k++) {
                    residualSum[k] += b.residualSum[k];
                    residualCount[k] += b.residualCount[k];
                }
            }
            if (b.energySum != null) {
                for (int k = 0; k < energySum.length; k++) {
                    energySum[k] += b.energySum[k];
                    energyCount[k] += b.energyCount[k];
                }
            }
        }
        return new EvaluationResult(count, correct, count == 0 ? Double.NaN
            : (double) iterations / count, notConverged, evaluations, fallbacks, wall,
            settings.traceResiduals() ? means(residualSum, residualCount) : new double[0],
            energy != null ? means(energySum, energyCount) : new double[0]);
    }

    /**
     * Scores each batch on the thread of the worker that solved it and keeps its sums apart,
     * indexed by the batch's first image; progress is reported from worker 0 (the caller's
     * thread).
     */
    private static final class Tally implements BatchSolve.BatchHandler {

        /** One batch's sums. */
        static final class Batch {
            long iterations;
            long evaluations;
            long fallbacks;
            int notConverged;
            int correct;
            double[] residualSum;
            long[] residualCount;
            double[] energySum;
            long[] energyCount;
        }

        private final int[] labels;
        private final int width;
        private final int outOff;
        private final int classes;
        private final int traced;
        private final EnergyTrace[] energy;
        private final ProgressListener progress;
        private final float[] images;
        private final int n0;
        private final ConcurrentSkipListMap<Integer, Batch> done =
            new ConcurrentSkipListMap<>();
        private final AtomicLong solved =
            new AtomicLong();

        Tally(HamNetwork net, BatchSolve solve, float[] images, int[] labels, int traced,
              EnergyTrace[] energy, ProgressListener progress) {
            this.labels = labels;
            this.width = solve.width();
            this.outOff = solve.outputOffset();
            this.classes = net.size(net.layers());
            this.traced = traced;
            this.energy = energy;
            this.progress = progress;
            this.images = images;
            this.n0 = net.size(0);
        }

        Collection<Batch> batches() {
            return done.values();
        }

        @Override
        public IterationListener begin(int w, int first, int rows) {
            if (energy == null) {
                return null;
            }
            energy[w].start(images, first * n0);
            return energy[w];
        }

        @Override
        public void done(int w, int first, int rows, float[] s, SolveStats st) {
            Batch b = new Batch();
            for (int i = 0; i < rows; i++) {
                int row = i * width + outOff;
                int best = 0;
                for (int c = 1; c < classes; c++) {
                    if (s[row + c] > s[row + best]) {
                        best = c;
                    }
                }
                if (best == labels[first + i]) {
                    b.correct++;
                }
            }
            if (st.hasResiduals()) {
                b.residualSum = new double[traced];
                b.residualCount = new long[traced];
                for (int i = 0; i < rows; i++) {
                    for (int k = 0; k < st.evaluations() - 1; k++) {
                        float r = st.residual(k, i);
                        if (Float.isFinite(r)) {
                            b.residualSum[k] += r;
                            b.residualCount[k]++;
                        }
                    }
                }
            }
            if (energy != null) {
                b.energySum = energy[w].sum.clone();
                b.energyCount = energy[w].count.clone();
            }
            b.iterations = st.sumIterations();
            b.notConverged = st.notConverged();
            b.evaluations = st.evaluations();
            b.fallbacks = st.sumFallbacks();
            done.put(first, b);
            long total = solved.addAndGet(rows);
            if (w == 0) {
                progress.progress(total, null);
            }
        }
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

        /** Starts a batch whose images begin at float offset xOff of x; clears the sums. */
        void start(float[] x, int xOff) {
            this.x = x;
            this.xOff = xOff;
            Arrays.fill(sum, 0);
            Arrays.fill(count, 0);
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
