package org.hopdeq4j.ham;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import java.util.stream.Stream;

import org.hopdeq4j.testing.ReferenceHam;
import org.hopdeq4j.testing.TestNetworks;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The hand-derived vector-Jacobian products against central differences in double. */
class HamMapVjpTest {

    static Stream<Arguments> cases() {
        Stream.Builder<Arguments> b = Stream.builder();
        long seed = 500;
        for (int[] shape : TestNetworks.SHAPES) {
            for (Update update : Update.values()) {
                for (double h : new double[] {1.0, 0.4}) {
                    b.add(Arguments.of(shape, update, h, seed++));
                }
            }
        }
        return b.build();
    }

    /** <w, f(s)> summed over the batch, in double. */
    private static double objective(ReferenceHam ref, Update update, double h, double[] x,
                                    double[] s, double[] w, int batch, int n0, int width) {
        double total = 0;
        for (int i = 0; i < batch; i++) {
            double[] xi = new double[n0];
            System.arraycopy(x, i * n0, xi, 0, n0);
            double[] si = new double[width];
            System.arraycopy(s, i * width, si, 0, width);
            double[] fi = ref.apply(update, h, xi, si);
            for (int j = 0; j < width; j++) {
                total += w[i * width + j] * fi[j];
            }
        }
        return total;
    }

    @ParameterizedTest
    @MethodSource("cases")
    void vjpMatchesFiniteDifferences(int[] sizes, Update update, double h, long seed) {
        HamNetwork net = TestNetworks.network(sizes, seed, 1.0);
        int batch = 3;
        int n0 = sizes[0];
        float[] x = TestNetworks.uniform(batch * n0, seed + 1, 0, 1);
        HamMap map = new HamMap(net, update, h, TestNetworks.plain(), batch);
        map.setInput(x, 0, batch);
        int width = map.width();
        float[] s = TestNetworks.uniform(batch * width, seed + 2, -0.5, 1.5);
        float[] u = TestNetworks.uniform(batch * width, seed + 3, -1, 1);

        float[] uOut = new float[s.length];
        HamGradient grad = new HamGradient(sizes);
        map.vjp(s, u, uOut, grad, batch);

        ReferenceHam ref = new ReferenceHam(net);
        double[] xd = ReferenceHam.toDouble(x);
        double[] sd = ReferenceHam.toDouble(s);
        double[] wd = ReferenceHam.toDouble(u);
        double eps = 1e-6;

        // state
        for (int j = 0; j < sd.length; j++) {
            double keep = sd[j];
            sd[j] = keep + eps;
            double plus = objective(ref, update, h, xd, sd, wd, batch, n0, width);
            sd[j] = keep - eps;
            double minus = objective(ref, update, h, xd, sd, wd, batch, n0, width);
            sd[j] = keep;
            double numeric = (plus - minus) / (2 * eps);
            assertEquals(numeric, uOut[j], 1e-4 * (1 + Math.abs(numeric)), "ds[" + j + "]");
        }

        // a seeded sample of every weight block and bias
        SplittableRandom pick = new SplittableRandom(seed + 4);
        for (int l = 0; l < net.layers(); l++) {
            double[] p = ref.w[l];
            for (int t = 0; t < 12; t++) {
                int j = pick.nextInt(p.length);
                double numeric = central(ref, p, j, eps, update, h, xd, sd, wd, batch, n0, width);
                assertEquals(numeric, grad.weight(l)[j], 1e-4 * (1 + Math.abs(numeric)),
                    "dW" + l + "[" + j + "]");
            }
        }
        for (int l = 1; l <= net.layers(); l++) {
            double[] p = ref.b[l];
            for (int j = 0; j < p.length; j++) {
                double numeric = central(ref, p, j, eps, update, h, xd, sd, wd, batch, n0, width);
                assertEquals(numeric, grad.bias(l)[j], 1e-4 * (1 + Math.abs(numeric)),
                    "db" + l + "[" + j + "]");
            }
        }
    }

    private static double central(ReferenceHam ref, double[] p, int j, double eps, Update update,
                                  double h, double[] x, double[] s, double[] w, int batch, int n0,
                                  int width) {
        double keep = p[j];
        p[j] = keep + eps;
        double plus = objective(ref, update, h, x, s, w, batch, n0, width);
        p[j] = keep - eps;
        double minus = objective(ref, update, h, x, s, w, batch, n0, width);
        p[j] = keep;
        return (plus - minus) / (2 * eps);
    }

    /**
     * The input coupling's gradient is summed lazily; accumulating over two batches with
     * different inputs, without reading it in between, must still give the sum of the two.
     */
    @Test
    void inputGradientAccumulatesExactlyAcrossBatches() {
        int[] sizes = {7, 5, 3};
        HamNetwork net = TestNetworks.network(sizes, 91, 1.0);
        int batch = 2;
        HamMap map = new HamMap(net, Update.SYNC, 1.0, TestNetworks.plain(), batch);
        float[][] xs = {TestNetworks.uniform(batch * 7, 92, 0, 1),
            TestNetworks.uniform(batch * 7, 93, 0, 1)};
        float[] s = TestNetworks.uniform(batch * map.width(), 94, -0.5, 1.5);
        float[] u = TestNetworks.uniform(batch * map.width(), 95, -1, 1);
        float[] uOut = new float[s.length];

        HamGradient together = new HamGradient(sizes);
        float[] separate = new float[7 * 5];
        for (float[] x : xs) {
            map.setInput(x, 0, batch);
            map.vjp(s, u, uOut, together, batch);
            HamGradient alone = new HamGradient(sizes);
            map.vjp(s, u, uOut, alone, batch);
            for (int j = 0; j < separate.length; j++) {
                separate[j] += alone.weight(0)[j];
            }
        }
        assertArrayEquals(separate, together.weight(0), 1e-6f);
    }
}
