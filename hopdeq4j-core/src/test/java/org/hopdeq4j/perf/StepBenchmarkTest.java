package org.hopdeq4j.perf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.hopdeq4j.data.Dataset;
import org.hopdeq4j.eval.Budgets;
import org.hopdeq4j.ham.HamNetwork;
import org.hopdeq4j.ham.Update;
import org.hopdeq4j.linalg.Compute;
import org.hopdeq4j.solve.Solvers;
import org.hopdeq4j.testing.TestNetworks;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The benchmark counts the multiply-adds of the products a training step really performs; they
 * must equal what the algorithm needs, worked out from the shapes by hand. With P the
 * multiply-adds of one pass over the free layers' blocks ({@code sum_{l>=1} n_l n_{l+1}}),
 * per sample: the input drive and the input coupling's gradient {@code n_0 n_1} each once,
 * {@code 2P} per forward evaluation (F of the solve, K - 1 of recurrent backprop), {@code 4P}
 * per vector-Jacobian product (K), and for even-odd one more P, the auxiliary class of the
 * last backward state.
 */
class StepBenchmarkTest {

    private static final int[] SIZES = {12, 7, 5, 3};

    private static Dataset data(int count) {
        float[] x = TestNetworks.uniform(count * SIZES[0], 61, 0, 1);
        int[] y = new int[count];
        for (int i = 0; i < count; i++) {
            y[i] = i % SIZES[SIZES.length - 1];
        }
        return new Dataset("generated", x, y, 3, 4, SIZES[SIZES.length - 1], List.of());
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2})
    void countedMultiplyAddsEqualTheAlgorithmsCount(int workers) {
        Dataset d = data(40);
        long p = 7 * 5 + 5 * 3;
        long input = 12 * 7;
        int batch = 16;
        // 4 layers: the paper's budgets 80 forward, 16 backward
        long f = 80;
        long k = 16;
        long sync = batch * (2 * input + (f + k - 1) * 2 * p + k * 4 * p);
        StepBenchmark.Settings settings = new StepBenchmark.Settings(1, 0, 0, batch, 3, 1e-4);
        try (Compute compute = Compute.create("plain", workers)) {
            for (Update update : Update.values()) {
                HamNetwork net = TestNetworks.network(SIZES, 62, 1.0);
                StepBenchmark.Result r = StepBenchmark.run(net, update, Solvers.ANDERSON, d, d,
                    compute, settings);
                long expected = update == Update.SYNC ? sync : sync + batch * p;
                assertEquals(expected, r.multiplyAddsPerStep(), update.label());
                assertTrue(r.secondsPerTrainingStep() > 0 && r.backendSecondsPerStep() > 0);
                assertEquals(workers, r.threads());
            }
        }
    }

    /**
     * Inference runs on the network as given: how many training steps ran before it does not
     * change what the early-stop solve needs (it did when inference used the trained net).
     */
    @Test
    void inferenceSeesTheNetworkAsGiven() {
        Dataset d = data(64);
        double[] evaluations = new double[2];
        int[] steps = {1, 6};
        try (Compute compute = Compute.create("plain", 1)) {
            for (int i = 0; i < 2; i++) {
                HamNetwork net = TestNetworks.network(SIZES, 62, 1.0);
                StepBenchmark.Settings settings = new StepBenchmark.Settings(steps[i], 0, 0, 16,
                    3, 1e-3);
                evaluations[i] = StepBenchmark.run(net, Update.EVEN_ODD, Solvers.PICARD, d, d,
                    compute, settings).toleranceEvaluations();
            }
        }
        assertEquals(evaluations[0], evaluations[1]);
        assertTrue(evaluations[0] < Budgets.forward(SIZES, 1.0),
            "the test network converges before the budget: " + evaluations[0]);
    }

    @Test
    void solverComparisonTimesBothSolversAndLeavesTheNetworkAlone() {
        Dataset d = data(40);
        StepBenchmark.Settings settings = new StepBenchmark.Settings(3, 0, 0, 16, 3, 1e-4);
        try (Compute compute = Compute.create("plain", 2)) {
            HamNetwork net = TestNetworks.network(SIZES, 62, 1.0);
            HamNetwork before = net.copy();
            StepBenchmark.SolverComparison c = StepBenchmark.compareSolvers(net, Update.SYNC,
                d, compute, settings);
            assertEquals(3, c.pairs());
            assertTrue(c.picardSecondsPerBatch() > 0 && c.andersonSecondsPerBatch() > 0);
            assertTrue(c.medianRatio() > 0 && Double.isFinite(c.medianRatio()));
            for (int l = 0; l < net.layers(); l++) {
                assertArrayEquals(before.weight(l), net.weight(l), "W" + l);
            }
        }
    }
}
