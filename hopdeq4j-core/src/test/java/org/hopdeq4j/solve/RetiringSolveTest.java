package org.hopdeq4j.solve;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;

import org.hopdeq4j.ham.HamMap;
import org.hopdeq4j.ham.HamNetwork;
import org.hopdeq4j.ham.Update;
import org.hopdeq4j.testing.TestNetworks;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * With a tolerance, samples leave the batch as soon as they are below it. Samples never
 * interact, so every sample's result and statistics must equal those of a solve of that
 * sample alone (the plain product is exact per element, so equality is exact).
 */
class RetiringSolveTest {

    @ParameterizedTest
    @EnumSource(Solvers.class)
    void retiredSamplesEqualSolvingEachSampleAlone(Solvers kind) {
        for (Update update : Update.values()) {
            int[] sizes = {11, 6, 5, 3};
            HamNetwork net = TestNetworks.network(sizes, 17, 1.0);
            int batch = 7;
            float[] x = TestNetworks.uniform(batch * sizes[0], 18, 0, 1);
            // mixed difficulty: some inputs scaled down converge sooner
            for (int i = 0; i < batch; i += 2) {
                for (int j = 0; j < sizes[0]; j++) {
                    x[i * sizes[0] + j] *= 0.1f;
                }
            }
            SolveOptions options = new SolveOptions(60, 1e-4, true);

            HamMap map = new HamMap(net, update, 1.0, TestNetworks.plain(), batch);
            FixedPointSolver solver = kind.create(map.width(), batch);
            map.setInput(x, 0, batch);
            float[] s = new float[batch * map.width()];
            SolveStats st = solver.solve(map, s, batch, options, null);
            int[] iterations = new int[batch];
            boolean[] converged = new boolean[batch];
            int[] fallbacks = new int[batch];
            float[][] residuals = new float[batch][59];
            for (int i = 0; i < batch; i++) {
                iterations[i] = st.iterations(i);
                converged[i] = st.converged(i);
                fallbacks[i] = st.fallbacks(i);
                for (int k = 0; k < 59; k++) {
                    residuals[i][k] = st.residual(k, i);
                }
            }
            int batchEvaluations = st.evaluations();

            HamMap one = new HamMap(net, update, 1.0, TestNetworks.plain(), 1);
            FixedPointSolver alone = kind.create(one.width(), 1);
            int most = 0;
            for (int i = 0; i < batch; i++) {
                one.setInput(x, i * sizes[0], 1);
                float[] si = new float[one.width()];
                SolveStats si1 = alone.solve(one, si, 1, options, null);
                String what = kind + " " + update + " sample " + i;
                assertArrayEquals(si, Arrays.copyOfRange(s, i * map.width(),
                    (i + 1) * map.width()), what);
                assertEquals(si1.iterations(0), iterations[i], what);
                assertEquals(si1.converged(0), converged[i], what);
                assertEquals(si1.fallbacks(0), fallbacks[i], what);
                for (int k = 0; k < si1.evaluations() - 1; k++) {
                    assertEquals(si1.residual(k, 0), residuals[i][k], what + " r_" + k);
                }
                most = Math.max(most, si1.evaluations());
            }
            assertEquals(most, batchEvaluations, kind + " " + update);
            assertTrue(most < 60, "the test needs samples that converge within the budget");
        }
    }
}
