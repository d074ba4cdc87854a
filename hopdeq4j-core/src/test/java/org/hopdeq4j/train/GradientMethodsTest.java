package org.hopdeq4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import org.hopdeq4j.ham.HamGradient;
import org.hopdeq4j.ham.HamMap;
import org.hopdeq4j.ham.HamNetwork;
import org.hopdeq4j.ham.Update;
import org.hopdeq4j.solve.PicardSolver;
import org.hopdeq4j.solve.SolveOptions;
import org.hopdeq4j.solve.Solvers;
import org.hopdeq4j.testing.ReferenceHam;
import org.hopdeq4j.testing.TestNetworks;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class GradientMethodsTest {

    private static double distance(HamGradient a, HamGradient b, int layers) {
        double d = 0;
        for (int l = 0; l < layers; l++) {
            for (int i = 0; i < a.weight(l).length; i++) {
                double e = a.weight(l)[i] - b.weight(l)[i];
                d += e * e;
            }
        }
        for (int l = 1; l <= layers; l++) {
            for (int i = 0; i < a.bias(l).length; i++) {
                double e = a.bias(l)[i] - b.bias(l)[i];
                d += e * e;
            }
        }
        return Math.sqrt(d);
    }

    private static double norm(HamGradient a, int layers) {
        return distance(a, new HamGradient(sizesOf(a, layers)), layers);
    }

    private static int[] sizesOf(HamGradient a, int layers) {
        int[] sizes = new int[layers + 1];
        for (int l = 1; l <= layers; l++) {
            sizes[l] = a.bias(l).length;
        }
        sizes[0] = a.weight(0).length / sizes[1];
        return sizes;
    }

    @ParameterizedTest
    @EnumSource(Update.class)
    void recurrentBackpropApproachesTheAdjointGradientAsKGrows(Update update) {
        int[] sizes = {12, 9, 7, 4};
        HamNetwork net = TestNetworks.network(sizes, 31, 0.5);
        int batch = 3;
        float[] x = TestNetworks.uniform(batch * sizes[0], 32, 0, 1);
        int[] labels = {0, 3, 1};
        HamMap map = new HamMap(net, update, 1.0, TestNetworks.plain(), batch);
        map.setInput(x, 0, batch);
        float[] s = new float[batch * map.width()];
        new PicardSolver(map.width(), batch).solve(map, s, batch,
            SolveOptions.fixedBudget(400), null);
        float[] dL = new float[s.length];
        Loss.MSE.evaluate(s, map.width(), map.outputOffset(), 4, labels, 0, batch, dL);

        HamGradient adjoint = new HamGradient(sizes);
        new AdjointBackward(Solvers.PICARD, 1000, 1e-7, map.width(), batch)
            .gradient(map, s, dL, batch, adjoint);
        double scale = norm(adjoint, 3);
        assertTrue(scale > 0);

        double previous = Double.POSITIVE_INFINITY;
        for (int k : new int[] {1, 2, 4, 8, 16, 32, 64}) {
            HamGradient recurrent = new HamGradient(sizes);
            new RecurrentBackprop(k, map.width(), batch).gradient(map, s, dL, batch, recurrent);
            double error = distance(recurrent, adjoint, 3) / scale;
            assertTrue(error <= previous * 1.0001, "K=" + k + ": " + error + " after " + previous);
            previous = error;
        }
        assertTrue(previous < 1e-4, "K=64 relative error " + previous);

        // Anderson solves the same adjoint equation
        HamGradient anderson = new HamGradient(sizes);
        new AdjointBackward(Solvers.ANDERSON, 200, 1e-7, map.width(), batch)
            .gradient(map, s, dL, batch, anderson);
        assertTrue(distance(anderson, adjoint, 3) / scale < 1e-4);
    }

    /** The loss of T Picard steps from zero, computed in double with the reference maps. */
    private static double unrolledLoss(ReferenceHam ref, Update update, double h, double[] x,
                                       int[] labels, int batch, int steps, int width, int outOff) {
        int n0 = ref.n[0];
        int classes = ref.n[ref.layers()];
        double total = 0;
        for (int i = 0; i < batch; i++) {
            double[] xi = new double[n0];
            System.arraycopy(x, i * n0, xi, 0, n0);
            double[] s = new double[width];
            for (int t = 0; t < steps; t++) {
                s = ref.apply(update, h, xi, s);
            }
            for (int c = 0; c < classes; c++) {
                double d = s[outOff + c] - (c == labels[i] ? 1 : 0);
                total += 0.5 * d * d;
            }
        }
        return total / batch;
    }

    @ParameterizedTest
    @EnumSource(Update.class)
    void unrolledGradientMatchesFiniteDifferencesOfTheSolverOutput(Update update) {
        int[] sizes = {8, 6, 5, 3};
        double h = 0.7;
        int steps = 6;
        HamNetwork net = TestNetworks.network(sizes, 41, 1.2);
        int batch = 2;
        float[] x = TestNetworks.uniform(batch * sizes[0], 42, 0, 1);
        int[] labels = {2, 0};
        HamMap map = new HamMap(net, update, h, TestNetworks.plain(), batch);
        map.setInput(x, 0, batch);
        float[] s = new float[batch * map.width()];
        new PicardSolver(map.width(), batch).solve(map, s, batch,
            SolveOptions.fixedBudget(steps), null);
        float[] dL = new float[s.length];
        Loss.MSE.evaluate(s, map.width(), map.outputOffset(), 3, labels, 0, batch, dL);
        HamGradient grad = new HamGradient(sizes);
        new UnrolledBackward(steps, map.width(), batch).gradient(map, s, dL, batch, grad);

        ReferenceHam ref = new ReferenceHam(net);
        double[] xd = ReferenceHam.toDouble(x);
        double eps = 1e-6;
        SplittableRandom pick = new SplittableRandom(43);
        for (int l = 0; l < 3; l++) {
            double[] p = ref.w[l];
            for (int t = 0; t < 10; t++) {
                int j = pick.nextInt(p.length);
                double keep = p[j];
                p[j] = keep + eps;
                double plus = unrolledLoss(ref, update, h, xd, labels, batch, steps,
                    map.width(), map.outputOffset());
                p[j] = keep - eps;
                double minus = unrolledLoss(ref, update, h, xd, labels, batch, steps,
                    map.width(), map.outputOffset());
                p[j] = keep;
                double numeric = (plus - minus) / (2 * eps);
                assertEquals(numeric, grad.weight(l)[j], 1e-4 * (1 + Math.abs(numeric)),
                    "dW" + l + "[" + j + "]");
            }
        }
        for (int l = 1; l <= 3; l++) {
            double[] p = ref.b[l];
            for (int j = 0; j < p.length; j++) {
                double keep = p[j];
                p[j] = keep + eps;
                double plus = unrolledLoss(ref, update, h, xd, labels, batch, steps,
                    map.width(), map.outputOffset());
                p[j] = keep - eps;
                double minus = unrolledLoss(ref, update, h, xd, labels, batch, steps,
                    map.width(), map.outputOffset());
                p[j] = keep;
                double numeric = (plus - minus) / (2 * eps);
                assertEquals(numeric, grad.bias(l)[j], 1e-4 * (1 + Math.abs(numeric)),
                    "db" + l + "[" + j + "]");
            }
        }
    }
}
