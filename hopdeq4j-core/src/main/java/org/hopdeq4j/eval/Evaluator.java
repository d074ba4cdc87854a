package org.hopdeq4j.eval;

import java.util.Arrays;

import org.hopdeq4j.ham.HamEnergy;
import org.hopdeq4j.ham.HamMap;
import org.hopdeq4j.ham.HamNetwork;
import org.hopdeq4j.ham.Update;
import org.hopdeq4j.linalg.MatMul;
import org.hopdeq4j.solve.FixedPointSolver;
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
     * @param traceEnergy keep the mean energy per evaluation (costs about one extra synchronous
     *     step per evaluation, and slows the timing accordingly)
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
     * Evaluates {@code count} images.
     *
     * @param images count rows of n_0 floats (pixel / 255); not modified
     * @param labels count class indices; not modified
     * @throws IllegalArgumentException if the arrays are shorter than count says, or the image
     *     width differs from the network's input layer
     */
    public static EvaluationResult evaluate(HamNetwork net, MatMul mm, float[] images,
                                            int[] labels, int count, Settings settings,
                                            ProgressListener progress) {
        int n0 = net.size(0);
        if ((long) count * n0 > images.length || count > labels.length) {
            throw new IllegalArgumentException("expected " + count + " images of " + n0
                + " values and as many labels but got " + images.length + " values and "
                + labels.length + " labels");
        }
        int batchSize = Math.min(settings.batchSize(), Math.max(count, 1));
        HamMap map = new HamMap(net, settings.update(), settings.damping(), mm, batchSize);
        FixedPointSolver solver = settings.solver().create(map.width(), batchSize);
        SolveOptions options = new SolveOptions(settings.maxIterations(), settings.tolerance(),
            settings.traceResiduals());
        float[] s = new float[batchSize * map.width()];
        int outOff = map.outputOffset();
        int classes = net.size(net.layers());

        double[] residualSum = new double[Math.max(settings.maxIterations() - 1, 0)];
        long[] residualCount = new long[residualSum.length];
        double[] energySum = new double[settings.maxIterations()];
        long[] energyCount = new long[energySum.length];
        EnergyTrace energy = settings.traceEnergy() ? new EnergyTrace(map, batchSize) : null;

        progress.begin("evaluate", count);
        long start = System.nanoTime();
        long iterations = 0;
        long evaluations = 0;
        long fallbacks = 0;
        int notConverged = 0;
        int correct = 0;
        for (int first = 0; first < count; first += batchSize) {
            int batch = Math.min(batchSize, count - first);
            map.setInput(images, first * n0, batch);
            Arrays.fill(s, 0, batch * map.width(), 0f);
            if (energy != null) {
                energy.start(images, first * n0, energySum, energyCount);
            }
            SolveStats st = solver.solve(map, s, batch, options, energy);

            for (int i = 0; i < batch; i++) {
                int row = i * map.width() + outOff;
                int best = 0;
                for (int c = 1; c < classes; c++) {
                    if (s[row + c] > s[row + best]) {
                        best = c;
                    }
                }
                if (best == labels[first + i]) {
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
            progress.progress(first + batch, null);
        }
        double wall = (System.nanoTime() - start) * 1e-9;
        progress.end();

        return new EvaluationResult(count, correct, count == 0 ? Double.NaN
            : (double) iterations / count, notConverged, evaluations, fallbacks, wall,
            settings.traceResiduals() ? means(residualSum, residualCount) : new double[0],
            settings.traceEnergy() ? means(energySum, energyCount) : new double[0]);
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

    /** Adds the energy of every map output to running sums, per evaluation index. */
    private static final class EnergyTrace implements IterationListener {
        private final HamMap map;
        private final HamNetwork net;
        private final float[] full;
        private final double[] energies;
        private float[] x;
        private int xOff;
        private double[] sum;
        private long[] count;

        EnergyTrace(HamMap map, int maxBatch) {
            this.map = map;
            this.net = map.network();
            this.full = new float[maxBatch * net.freeUnits()];
            this.energies = new double[maxBatch];
        }

        void start(float[] x, int xOff, double[] sum, long[] count) {
            this.x = x;
            this.xOff = xOff;
            this.sum = sum;
            this.count = count;
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
