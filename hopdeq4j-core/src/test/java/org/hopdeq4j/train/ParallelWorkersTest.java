package org.hopdeq4j.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.hopdeq4j.eval.EvaluationResult;
import org.hopdeq4j.eval.Evaluator;
import org.hopdeq4j.ham.HamNetwork;
import org.hopdeq4j.ham.Update;
import org.hopdeq4j.linalg.Compute;
import org.hopdeq4j.solve.Solvers;
import org.hopdeq4j.testing.TestNetworks;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Sharing a batch's rows among workers changes nothing but the rounding of sums. */
class ParallelWorkersTest {

    private static final int[] SIZES = {30, 12, 7, 5};

    private static int[] labels(int count, long seed) {
        java.util.SplittableRandom random = new java.util.SplittableRandom(seed);
        int[] y = new int[count];
        for (int i = 0; i < count; i++) {
            y[i] = random.nextInt(SIZES[SIZES.length - 1]);
        }
        return y;
    }

    /**
     * The plain backend computes every output element on its own, whatever the number of rows,
     * so an evaluation split over three workers must equal the one-worker evaluation exactly,
     * traces included (37 images in batches of 16: the last batch is partial and one worker
     * of the last batch gets fewer rows).
     */
    @ParameterizedTest
    @EnumSource(Update.class)
    void evaluationOnSeveralWorkersEqualsOneWorker(Update update) {
        HamNetwork net = TestNetworks.network(SIZES, 41, 1.0);
        int count = 37;
        float[] x = TestNetworks.uniform(count * SIZES[0], 42, 0, 1);
        int[] y = labels(count, 43);
        Evaluator.Settings settings = new Evaluator.Settings(update, Solvers.ANDERSON, 1.0, 20,
            Double.NaN, 16, true, true);

        EvaluationResult one;
        EvaluationResult three;
        try (Compute c1 = Compute.create("plain", 1); Compute c3 = Compute.create("plain", 3)) {
            one = Evaluator.evaluate(net, c1, x, y, count, settings, new SilentProgress());
            three = Evaluator.evaluate(net, c3, x, y, count, settings, new SilentProgress());
        }
        assertEquals(one.accuracy(), three.accuracy());
        assertEquals(one.meanIterations(), three.meanIterations());
        assertEquals(one.notConverged(), three.notConverged());
        assertEquals(one.fallbacks(), three.fallbacks());
        assertArrayEquals(one.meanResidual(), three.meanResidual(), 1e-12);
        assertArrayEquals(one.meanEnergy(), three.meanEnergy(), 1e-9);
    }

    /** Training steps on two workers end near the one-worker weights (sums in another order). */
    @ParameterizedTest
    @EnumSource(Update.class)
    void trainingStepsOnTwoWorkersMatchOneWorker(Update update) {
        int batch = 9;
        TrainConfig config = new TrainConfig(SIZES, update, Solvers.ANDERSON, 1.0, 15,
            "recurrent", 4, Solvers.PICARD, Double.NaN, Optimizer.Kind.MADAM, 0.01, 10, 1, batch,
            5, 0, Loss.MSE);
        HamNetwork a = TestNetworks.network(SIZES, 44, 1.0);
        HamNetwork b = a.copy();
        float[] x = TestNetworks.uniform(batch * SIZES[0], 45, 0, 1);
        int[] y = labels(batch, 46);

        double lossA = 0;
        double lossB = 0;
        try (Compute c1 = Compute.create("plain", 1); Compute c2 = Compute.create("plain", 2);
             TrainingStep one = new TrainingStep(config, a, Optimizer.Kind.MADAM.create(SIZES), c1);
             TrainingStep two = new TrainingStep(config, b, Optimizer.Kind.MADAM.create(SIZES), c2)) {
            for (int step = 0; step < 3; step++) {
                one.step(x, y, batch, 0.01);
                two.step(x, y, batch, 0.01);
                lossA += one.lastLoss();
                lossB += two.lastLoss();
                assertEquals(one.lastIterationsSum(), two.lastIterationsSum());
            }
        }
        assertEquals(lossA, lossB, 1e-6 * Math.abs(lossA));
        for (int l = 0; l < a.layers(); l++) {
            float[] wa = a.weight(l);
            float[] wb = b.weight(l);
            for (int i = 0; i < wa.length; i++) {
                assertEquals(wa[i], wb[i], 1e-5 * (1e-3 + Math.abs(wa[i])), "W" + l + "[" + i + "]");
            }
        }
    }

    /** A progress listener that ignores everything. */
    private static final class SilentProgress implements org.hopdeq4j.eval.ProgressListener {
    }
}
