package org.hopdeq4j.solve;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SolverTest {

    /** f(s) = a * s + b per element, with a per-sample contraction factor a. */
    static final class AffineMap implements FixedPointMap {
        final int width;
        final float[] a;
        final float b;

        AffineMap(int width, float[] a, float b) {
            this.width = width;
            this.a = a;
            this.b = b;
        }

        @Override
        public int width() {
            return width;
        }

        @Override
        public void apply(float[] s, float[] out, int batch) {
            for (int i = 0; i < batch; i++) {
                for (int j = 0; j < width; j++) {
                    out[i * width + j] = a[i] * s[i * width + j] + b;
                }
            }
        }
    }

    /** f(s) = tanh(M s + c) per sample: a nonlinear contraction with a seeded M. */
    static final class TanhMap implements FixedPointMap {
        final int width;
        final float[] m;
        final float[] c;

        TanhMap(int width, long seed, double scale) {
            this.width = width;
            SplittableRandom r = new SplittableRandom(seed);
            m = new float[width * width];
            c = new float[width];
            for (int i = 0; i < m.length; i++) {
                m[i] = (float) (scale * (r.nextDouble() - 0.5) * 2 / Math.sqrt(width));
            }
            for (int i = 0; i < width; i++) {
                c[i] = (float) (r.nextDouble() - 0.5);
            }
        }

        @Override
        public int width() {
            return width;
        }

        @Override
        public void apply(float[] s, float[] out, int batch) {
            for (int i = 0; i < batch; i++) {
                for (int j = 0; j < width; j++) {
                    double v = c[j] + 0.1 * i;
                    for (int k = 0; k < width; k++) {
                        v += m[j * width + k] * s[i * width + k];
                    }
                    out[i * width + j] = (float) Math.tanh(v);
                }
            }
        }
    }

    @Test
    void convergenceMeasureFollowsThePaperDefinition() {
        // o_n = b (1 - a^n) / (1 - a) from s_0 = 0, so r_k = |a^{k+1}| (1 - a) / (1 - a^{k+2})
        float[] a = {0.5f, 0.9f, 0.2f};
        int budget = 200;
        AffineMap f = new AffineMap(3, a, 1f);
        PicardSolver solver = new PicardSolver(3, 3);
        float[] s = new float[9];
        SolveStats st = solver.solve(f, s, 3, new SolveOptions(budget, Double.NaN, true), null);
        for (int i = 0; i < 3; i++) {
            int expected = -1;
            for (int k = 0; k < budget - 1; k++) {
                double r = Math.pow(a[i], k + 1) * (1 - a[i]) / (1 - Math.pow(a[i], k + 2));
                assertEquals(r, st.residual(k, i), 1e-5 + 1e-3 * r, "r_" + k + " sample " + i);
                if (expected < 0 && r < 1e-4) {
                    expected = k;
                }
            }
            assertEquals(expected, st.iterations(i), "sample " + i);
            assertTrue(st.converged(i));
        }
        assertEquals(budget, st.evaluations());
    }

    @Test
    void sampleThatNeverConvergesCountsAsBudgetMinusOne() {
        // a = -1 oscillates forever, a = 2 diverges to infinity and then NaN
        float[] a = {-1f, 2f, 0.1f};
        AffineMap f = new AffineMap(2, a, 1f);
        PicardSolver solver = new PicardSolver(2, 3);
        SolveStats st = solver.solve(f, new float[6], 3, SolveOptions.fixedBudget(40), null);
        for (int i = 0; i < 2; i++) {
            assertFalse(st.converged(i), "sample " + i);
            assertEquals(39, st.iterations(i), "sample " + i);
        }
        assertTrue(st.converged(2));
        assertEquals(2, st.notConverged());
        assertEquals(40, st.evaluations());
    }

    @Test
    void nanOutputIsReportedAsNotConvergedByEverySolver() {
        int width = 3;
        FixedPointMap f = new FixedPointMap() {
            @Override
            public int width() {
                return width;
            }

            @Override
            public void apply(float[] s, float[] out, int batch) {
                for (int j = 0; j < width; j++) {
                    out[j] = Float.NaN;
                    out[width + j] = 0.5f * s[width + j] + 1f;
                }
            }
        };
        for (Solvers kind : Solvers.values()) {
            SolveStats st = kind.create(width, 2)
                .solve(f, new float[2 * width], 2, SolveOptions.fixedBudget(40), null);
            assertFalse(st.converged(0), kind.label());
            assertEquals(39, st.iterations(0), kind.label());
            assertTrue(Float.isNaN(st.finalResidual(0)), kind.label());
            assertTrue(st.converged(1), kind.label());
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 4, 7})
    void andersonReachesSameFixedPointAsPicard(int window) {
        int width = 23;
        int batch = 5;
        TanhMap f = new TanhMap(width, 42 + window, 0.9);
        float[] picard = new float[width * batch];
        SolveStats sp = new PicardSolver(width, batch)
            .solve(f, picard, batch, SolveOptions.fixedBudget(400), null);
        assertEquals(0, sp.notConverged());

        float[] anderson = new float[width * batch];
        SolveStats sa = new AndersonSolver(width, batch, window, AndersonSolver.DEFAULT_RIDGE)
            .solve(f, anderson, batch, SolveOptions.fixedBudget(400), null);
        assertEquals(0, sa.notConverged());
        for (int j = 0; j < picard.length; j++) {
            assertEquals(picard[j], anderson[j], 1e-5, "unit " + j);
        }
    }

    @Test
    void andersonNeedsFewerIterationsThanPicardOnASlowContraction() {
        int width = 31;
        int batch = 4;
        TanhMap f = new TanhMap(width, 7, 2.2);
        SolveStats sp = new PicardSolver(width, batch)
            .solve(f, new float[width * batch], batch, SolveOptions.fixedBudget(300), null);
        long picardIterations = sp.sumIterations();
        SolveStats sa = Solvers.ANDERSON.create(width, batch)
            .solve(f, new float[width * batch], batch, SolveOptions.fixedBudget(300), null);
        assertEquals(0, sa.notConverged());
        assertTrue(sa.sumIterations() < picardIterations,
            "anderson " + sa.sumIterations() + " vs picard " + picardIterations);
    }

    @Test
    void toleranceStopsOnceEverySampleIsBelowIt() {
        float[] a = {0.5f, 0.8f};
        AffineMap f = new AffineMap(4, a, 1f);
        for (Solvers kind : Solvers.values()) {
            FixedPointSolver solver = kind.create(4, 2);
            SolveStats st = solver.solve(f, new float[8], 2,
                new SolveOptions(500, 1e-4, false), null);
            assertTrue(st.evaluations() < 500, kind.label() + " ran " + st.evaluations());
            for (int i = 0; i < 2; i++) {
                assertTrue(st.finalResidual(i) < 1e-4f);
                assertTrue(st.converged(i));
            }
        }
    }

    @Test
    void listenerSeesEveryOutputInOrder() {
        AffineMap f = new AffineMap(2, new float[] {0.5f}, 1f);
        for (Solvers kind : Solvers.values()) {
            List<Integer> seen = new ArrayList<>();
            List<Float> firsts = new ArrayList<>();
            kind.create(2, 1).solve(f, new float[2], 1, SolveOptions.fixedBudget(6),
                (evaluation, out, batch) -> {
                    seen.add(evaluation);
                    firsts.add(out[0]);
                });
            assertEquals(List.of(1, 2, 3, 4, 5, 6), seen, kind.label());
            assertEquals(1f, firsts.get(0), kind.label());
        }
    }

    @Test
    void solveLeavesTheLastMapOutputInTheState() {
        AffineMap f = new AffineMap(1, new float[] {0.5f}, 1f);
        for (Solvers kind : Solvers.values()) {
            float[] s = new float[1];
            float[] last = new float[1];
            kind.create(1, 1).solve(f, s, 1, SolveOptions.fixedBudget(5),
                (evaluation, out, batch) -> last[0] = out[0]);
            assertEquals(last[0], s[0], kind.label());
        }
    }

    @Test
    void gaussianEliminationSolvesAPivotingSystem() {
        double[] a = {
            0, 2, 1, 7,
            1, 1, 1, 6,
            2, 1, 0, 4,
        };
        double[] out = new double[3];
        assertTrue(AndersonSolver.gaussianElimination(a, 3, 4, out));
        assertArrayEquals(new double[] {1, 2, 3}, out, 1e-12);
        double[] singular = {1, 1, 1, 1, 1, 1};
        assertFalse(AndersonSolver.gaussianElimination(singular, 2, 3, new double[2]));
    }

    @Test
    void rejectsBadOptionsAndShapes() {
        assertThrows(IllegalArgumentException.class, () -> SolveOptions.fixedBudget(0));
        assertThrows(IllegalArgumentException.class, () -> new SolveOptions(5, -1, false));
        assertThrows(IllegalArgumentException.class, () -> new AndersonSolver(3, 1, 0, 1e-6));
        AffineMap f = new AffineMap(3, new float[] {0.5f}, 1f);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> new PicardSolver(4, 1).solve(f, new float[4], 1,
                SolveOptions.fixedBudget(3), null));
        assertTrue(e.getMessage().contains("width"));
    }
}
