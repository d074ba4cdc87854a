package org.hopdeq4j.ham;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;

import org.hopdeq4j.linalg.Activation;
import org.hopdeq4j.testing.TestNetworks;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class HamEnergyTest {

    static Stream<Arguments> cases() {
        Stream.Builder<Arguments> b = Stream.builder();
        long seed = 100;
        for (int[] shape : TestNetworks.SHAPES) {
            for (double scale : new double[] {0.5, 1.0, 2.0}) {
                b.add(Arguments.of(shape, scale, seed++));
            }
        }
        return b.build();
    }

    private static double[] energies(HamNetwork net, float[] x, float[] full, int batch) {
        double[] e = new double[batch];
        HamEnergy.energy(net, x, 0, full, batch, e);
        return e;
    }

    @ParameterizedTest
    @MethodSource("cases")
    void energyGradientMatchesFiniteDifferences(int[] sizes, double scale, long seed) {
        // dE/ds_i = rho'(s_i) (s_i - c_i(s)): ties the energy to the map it must be Lyapunov for
        HamNetwork net = TestNetworks.network(sizes, seed, scale);
        Activation act = net.activation();
        float[] x = TestNetworks.uniform(sizes[0], seed, 0, 1);
        HamMap map = new HamMap(net, Update.SYNC, 1.0, TestNetworks.plain(), 1);
        map.setInput(x, 0, 1);
        float[] s = TestNetworks.uniform(map.width(), seed + 1, -0.5, 1.5);
        double[] c = HamMapTest.driveByDefinition(net, x, s, 0);
        for (int j = 0; j < s.length; j++) {
            float[] plus = s.clone();
            float[] minus = s.clone();
            float h = 1e-2f;
            plus[j] += h;
            minus[j] -= h;
            double numeric = (energies(net, x, plus, 1)[0] - energies(net, x, minus, 1)[0])
                / (plus[j] - minus[j]);
            double r = act.valueExact(s[j]);
            double analytic = 4 * r * (1 - r) * (s[j] - c[j]);
            assertEquals(analytic, numeric, 2e-3 * (1 + Math.abs(analytic)), "unit " + j);
        }
    }

    @ParameterizedTest
    @MethodSource("cases")
    void energyNeverIncreasesAlongSmallStepForwardEuler(int[] sizes, double scale, long seed) {
        HamNetwork net = TestNetworks.network(sizes, seed, scale);
        int batch = 3;
        float[] x = TestNetworks.uniform(batch * sizes[0], seed, 0, 1);
        HamMap map = new HamMap(net, Update.SYNC, 0.05, TestNetworks.plain(), batch);
        map.setInput(x, 0, batch);
        float[] s = TestNetworks.uniform(batch * map.width(), seed + 2, -1, 2);
        float[] next = new float[s.length];
        double[] before = energies(net, x, s, batch);
        for (int step = 0; step < 150; step++) {
            map.apply(s, next, batch);
            double[] after = energies(net, x, next, batch);
            for (int i = 0; i < batch; i++) {
                assertTrue(after[i] <= before[i] + 1e-9 * (1 + Math.abs(before[i])),
                    "step " + step + " sample " + i + ": " + before[i] + " -> " + after[i]);
            }
            before = after;
            float[] t = s;
            s = next;
            next = t;
        }
    }

    @ParameterizedTest
    @MethodSource("cases")
    void energyNeverIncreasesAcrossEvenOddHalfSteps(int[] sizes, double scale, long seed) {
        HamNetwork net = TestNetworks.network(sizes, seed, scale);
        int batch = 3;
        float[] x = TestNetworks.uniform(batch * sizes[0], seed, 0, 1);
        HamMap sync = new HamMap(net, Update.SYNC, 1.0, TestNetworks.plain(), batch);
        sync.setInput(x, 0, batch);
        StateLayout all = sync.layout();
        float[] s = TestNetworks.uniform(batch * all.width(), seed + 3, -1, 2);
        float[] drive = new float[s.length];
        double[] before = energies(net, x, s, batch);
        for (int half = 0; half < 20; half++) {
            // set one parity class to its exact local optimum c(s), the other held fixed
            int parity = half % 2;
            sync.apply(s, drive, batch);
            for (int l : all.layers()) {
                if (l % 2 != parity) {
                    continue;
                }
                for (int i = 0; i < batch; i++) {
                    int off = i * all.width() + all.offset(l);
                    System.arraycopy(drive, off, s, off, net.size(l));
                }
            }
            double[] after = energies(net, x, s, batch);
            for (int i = 0; i < batch; i++) {
                assertTrue(after[i] <= before[i] + 1e-9 * (1 + Math.abs(before[i])),
                    "half-step " + half + " sample " + i + ": " + before[i] + " -> " + after[i]);
            }
            before = after;
        }
    }
}
