package org.hopdeq4j.bench;

import java.util.SplittableRandom;

import org.hopdeq4j.solve.AndersonSolver;
import org.hopdeq4j.solve.FixedPointMap;
import org.hopdeq4j.solve.PicardSolver;
import org.hopdeq4j.solve.SolveOptions;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;

/**
 * The solvers' own cost per iteration, apart from the map: a 40-evaluation solve of a cheap
 * elementwise contraction {@code f(s) = c + a s} (per-unit slopes a in [0.5, 0.9]) on a batch
 * of 64 states of the width of a HAM's solver state (10: 3-layer even-odd, 520: 5-layer
 * even-odd, 2000: every synchronous state). The difference between {@code anderson} and
 * {@code picard} is the Anderson update (residuals, Gram matrix, small solves, proposal,
 * safeguard) plus the convergence measure both pay.
 *
 * <p>The setup checks both solvers against the fixed point computed by a plain loop,
 * {@code s* = c / (1 - a)}, before anything is timed.
 */
public class AndersonBenchmark extends KernelBenchmark {

    private static final int BATCH = 64;
    private static final int EVALUATIONS = 40;

    /** Floats per sample in the solver's state. */
    @Param({"10", "520", "2000"})
    public int width;

    private float[] c;
    private float[] a;
    private float[] s;
    private FixedPointMap map;
    private AndersonSolver anderson;
    private PicardSolver picard;
    private final SolveOptions options = SolveOptions.fixedBudget(EVALUATIONS);

    /** An elementwise affine contraction with per-unit slopes in [0.5, 0.9]. */
    @Setup(Level.Trial)
    public void setUp() {
        SplittableRandom random = new SplittableRandom(BenchSettings.SEED);
        int n = BATCH * width;
        c = new float[n];
        a = new float[n];
        s = new float[n];
        for (int i = 0; i < n; i++) {
            c[i] = (float) (random.nextDouble() - 0.5);
            a[i] = (float) (0.5 + 0.4 * random.nextDouble());
        }
        map = new FixedPointMap() {
            @Override
            public int width() {
                return width;
            }

            @Override
            public void apply(float[] x, float[] out, int batch) {
                for (int i = 0, end = batch * width; i < end; i++) {
                    out[i] = c[i] + a[i] * x[i];
                }
            }
        };
        anderson = new AndersonSolver(width, BATCH, AndersonSolver.DEFAULT_WINDOW,
            AndersonSolver.DEFAULT_RIDGE);
        picard = new PicardSolver(width, BATCH);

        // Anderson solves an affine map exactly within a few steps; Picard gets to 0.9^40
        check(solveWith(anderson, 200), 1e-5, "anderson");
        check(solveWith(picard, 400), 1e-5, "picard");
    }

    private float[] solveWith(org.hopdeq4j.solve.FixedPointSolver solver, int budget) {
        java.util.Arrays.fill(s, 0f);
        solver.solve(map, s, BATCH, SolveOptions.fixedBudget(budget), null);
        return s;
    }

    private void check(float[] result, double tolerance, String name) {
        for (int i = 0; i < result.length; i++) {
            double exact = c[i] / (1.0 - a[i]);
            if (!(Math.abs(result[i] - exact) <= tolerance * (1 + Math.abs(exact)))) {
                throw new IllegalStateException(name + " reached " + result[i] + " at " + i
                    + " but the fixed point is " + exact);
            }
        }
    }

    /** Anderson, window 4, the paper's budget of 40 evaluations. */
    @Benchmark
    public float[] anderson() {
        java.util.Arrays.fill(s, 0f);
        anderson.solve(map, s, BATCH, options, null);
        return s;
    }

    /** Picard with the same map and budget. */
    @Benchmark
    public float[] picard() {
        java.util.Arrays.fill(s, 0f);
        picard.solve(map, s, BATCH, options, null);
        return s;
    }
}
