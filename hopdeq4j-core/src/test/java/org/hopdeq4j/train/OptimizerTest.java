package org.hopdeq4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.hopdeq4j.ham.HamGradient;
import org.hopdeq4j.ham.HamNetwork;
import org.hopdeq4j.linalg.ShiftedSigmoid;
import org.junit.jupiter.api.Test;

class OptimizerTest {

    @Test
    void madamFollowsItsDefinitionAndKeepsZerosZero() {
        int[] sizes = {2, 2};
        HamNetwork net = new HamNetwork(sizes, new ShiftedSigmoid());
        float[] w = net.weight(0);
        w[0] = 0.5f;
        w[1] = -0.25f;
        w[2] = 0f;
        w[3] = 1f;
        net.bias(1)[0] = 0.1f;
        HamGradient g = new HamGradient(sizes);
        float[] gw = g.weight(0);
        gw[0] = 2f;
        gw[1] = 2f;
        gw[2] = 5f;
        gw[3] = -1e-3f;
        double lr = 0.01;
        Madam madam = new Madam(sizes, 1024, 3);
        madam.step(net, g, lr);
        // step 1: v = 0.001 g^2, correction 0.001: gn = g / |g| = sign(g)
        assertEquals(0.5 * Math.exp(-lr), w[0], 1e-7);
        assertEquals(-0.25 * Math.exp(lr), w[1], 1e-7);
        assertEquals(0f, w[2]);
        assertEquals(1.0 * Math.exp(lr), w[3], 1e-6);

        // step 2 with the same gradient: v = 0.999*0.001 g^2 + 0.001 g^2, correction 1-0.999^2
        float before = w[0];
        madam.step(net, g, lr);
        double v = 0.999 * 0.001 * 4 + 0.001 * 4;
        double gn = 2 / Math.sqrt(v / (1 - 0.999 * 0.999));
        assertEquals(before * Math.exp(-lr * gn), w[0], 1e-6);
        assertEquals(0f, w[2]);
        assertEquals(0f, net.bias(1)[1]);
    }

    @Test
    void madamClampsNormalisedGradientAndMagnitude() {
        int[] sizes = {1, 2};
        HamNetwork net = new HamNetwork(sizes, new ShiftedSigmoid());
        net.weight(0)[0] = 1f;
        net.weight(0)[1] = 1f;
        HamGradient g = new HamGradient(sizes);
        Madam madam = new Madam(sizes, 1.0, 3);
        g.weight(0)[0] = -1f;
        g.weight(0)[1] = 1f;
        madam.step(net, g, 0.5);
        // RMS 1 and p_scale 1: the growing entry is clamped to 1, the shrinking one is not
        assertEquals(1f, net.weight(0)[0]);
        assertEquals(Math.exp(-0.5), net.weight(0)[1], 1e-6);
    }

    @Test
    void learningRateDecaysLinearlyToATenthOverTheHorizon() {
        TrainConfig c = new TrainConfig(new int[] {4, 3, 2}, org.hopdeq4j.ham.Update.EVEN_ODD,
            org.hopdeq4j.solve.Solvers.ANDERSON, 1.0, 40, "recurrent", 8,
            org.hopdeq4j.solve.Solvers.PICARD, Double.NaN, Optimizer.Kind.MADAM, 0.01, 10, 12,
            64, 1, 0, Loss.MSE);
        assertEquals(0.01, c.learningRate(0), 1e-12);
        assertEquals(0.01 * (1 - 0.9 * 4 / 9.0), c.learningRate(4), 1e-12);
        assertEquals(0.001, c.learningRate(9), 1e-12);
        assertEquals(0.001, c.learningRate(11), 1e-12);
    }

    @Test
    void adamAndSgdDescendAQuadratic() {
        int[] sizes = {1, 1};
        for (Optimizer.Kind kind : new Optimizer.Kind[] {Optimizer.Kind.ADAM, Optimizer.Kind.SGD}) {
            HamNetwork net = new HamNetwork(sizes, new ShiftedSigmoid());
            net.weight(0)[0] = 3f;
            Optimizer opt = kind.create(sizes);
            HamGradient g = new HamGradient(sizes);
            for (int t = 0; t < 500; t++) {
                g.weight(0)[0] = net.weight(0)[0] - 1f;
                opt.step(net, g, 0.05);
            }
            assertEquals(1.0, net.weight(0)[0], 0.05, kind.label());
        }
    }

    /**
     * Madam's vectorised small-step update against the definition evaluated in double
     * precision with Math.exp, over several steps on seeded random tensors of odd sizes.
     */
    @Test
    void madamSmallStepUpdateMatchesTheDefinitionInDouble() {
        int[] sizes = {13, 17};
        HamNetwork net = new HamNetwork(sizes, new ShiftedSigmoid());
        java.util.SplittableRandom random = new java.util.SplittableRandom(7);
        float[] w = net.weight(0);
        for (int i = 0; i < w.length; i++) {
            w[i] = i % 11 == 0 ? 0f : (float) (random.nextDouble() - 0.5);
        }
        double[] p = new double[w.length];
        double[] v = new double[w.length];
        for (int i = 0; i < w.length; i++) {
            p[i] = w[i];
        }
        Madam madam = new Madam(sizes, 1024, 3);
        HamGradient g = new HamGradient(sizes);
        double lr = 0.02;
        for (int t = 1; t <= 4; t++) {
            float[] gw = g.weight(0);
            for (int i = 0; i < gw.length; i++) {
                gw[i] = i % 7 == 0 ? 0f : (float) (random.nextDouble() - 0.5) * 1e-3f;
            }
            madam.step(net, g, lr);
            double correction = 1 - Math.pow(0.999, t);
            for (int i = 0; i < p.length; i++) {
                v[i] = 0.999 * v[i] + 0.001 * gw[i] * gw[i];
                double gn = v[i] == 0 ? 0 : gw[i] / Math.sqrt(v[i] / correction);
                gn = Math.max(-3, Math.min(3, gn));
                p[i] = p[i] * Math.exp(-lr * gn * Math.signum(p[i]));
            }
        }
        for (int i = 0; i < p.length; i++) {
            assertEquals(p[i], w[i], 4e-7 * Math.abs(p[i]), "entry " + i);
        }
    }

    /** A NaN gradient entry leaves its parameter unchanged, as the definition says. */
    @Test
    void madamIgnoresNanGradientEntries() {
        int[] sizes = {2, 2};
        HamNetwork net = new HamNetwork(sizes, new ShiftedSigmoid());
        net.weight(0)[0] = 0.5f;
        net.weight(0)[1] = 0.5f;
        HamGradient g = new HamGradient(sizes);
        g.weight(0)[0] = Float.NaN;
        g.weight(0)[1] = 1f;
        new Madam(sizes, 1024, 3).step(net, g, 0.01);
        assertEquals(0.5f, net.weight(0)[0]);
        assertEquals(0.5 * Math.exp(-0.01), net.weight(0)[1], 1e-7);
    }
}
