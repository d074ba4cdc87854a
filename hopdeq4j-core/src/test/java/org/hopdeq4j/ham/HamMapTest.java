package org.hopdeq4j.ham;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;

import org.hopdeq4j.linalg.Activation;
import org.hopdeq4j.solve.PicardSolver;
import org.hopdeq4j.solve.SolveOptions;
import org.hopdeq4j.solve.SolveStats;
import org.hopdeq4j.testing.TestNetworks;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class HamMapTest {

    static Stream<Arguments> shapes() {
        return Stream.of(TestNetworks.SHAPES).map(s -> Arguments.of((Object) s));
    }

    /** c_l(s) written out with plain double loops from the definition in DESIGN.md. */
    static double[] driveByDefinition(HamNetwork net, float[] x, float[] full, int sample) {
        Activation act = net.activation();
        StateLayout all = StateLayout.allFree(net.sizes());
        double[] c = new double[all.width()];
        for (int l = 1; l <= net.layers(); l++) {
            int n = net.size(l);
            for (int j = 0; j < n; j++) {
                double v = net.bias(l)[j];
                int nb = net.size(l - 1);
                for (int a = 0; a < nb; a++) {
                    double below = l == 1 ? x[sample * nb + a]
                        : full[sample * all.width() + all.offset(l - 1) + a];
                    v += act.valueExact(below) * net.weight(l - 1)[a * n + j];
                }
                if (l < net.layers()) {
                    int na = net.size(l + 1);
                    for (int a = 0; a < na; a++) {
                        double above = full[sample * all.width() + all.offset(l + 1) + a];
                        v += act.valueExact(above) * net.weight(l)[j * na + a];
                    }
                }
                c[all.offset(l) + j] = v;
            }
        }
        return c;
    }

    @ParameterizedTest
    @MethodSource("shapes")
    void synchronousMapEqualsDriveDefinition(int[] sizes) {
        HamNetwork net = TestNetworks.network(sizes, 11, 1.0);
        int batch = 3;
        float[] x = TestNetworks.uniform(batch * sizes[0], 1, 0, 1);
        HamMap map = new HamMap(net, Update.SYNC, 1.0, TestNetworks.plain(), batch);
        map.setInput(x, 0, batch);
        float[] s = TestNetworks.uniform(batch * map.width(), 2, -1, 2);
        float[] out = new float[s.length];
        map.apply(s, out, batch);
        for (int i = 0; i < batch; i++) {
            double[] c = driveByDefinition(net, x, s, i);
            for (int j = 0; j < c.length; j++) {
                assertEquals(c[j], out[i * map.width() + j], 1e-5 * (1 + Math.abs(c[j])),
                    "sample " + i + " unit " + j);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("shapes")
    void dampedMapIsForwardEulerStep(int[] sizes) {
        HamNetwork net = TestNetworks.network(sizes, 12, 1.0);
        int batch = 2;
        float[] x = TestNetworks.uniform(batch * sizes[0], 3, 0, 1);
        for (Update update : Update.values()) {
            HamMap plain = new HamMap(net, update, 1.0, TestNetworks.plain(), batch);
            HamMap damped = new HamMap(net, update, 0.3, TestNetworks.plain(), batch);
            plain.setInput(x, 0, batch);
            damped.setInput(x, 0, batch);
            float[] s = TestNetworks.uniform(batch * plain.width(), 4, -1, 1);
            float[] f = new float[s.length];
            float[] fh = new float[s.length];
            plain.apply(s, f, batch);
            damped.apply(s, fh, batch);
            for (int j = 0; j < s.length; j++) {
                assertEquals(0.7 * s[j] + 0.3 * f[j], fh[j], 1e-5);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("shapes")
    void evenOddMapIsTwoHalfStepsOfTheSynchronousDrive(int[] sizes) {
        HamNetwork net = TestNetworks.network(sizes, 13, 1.0);
        int batch = 2;
        float[] x = TestNetworks.uniform(batch * sizes[0], 5, 0, 1);
        HamMap eo = new HamMap(net, Update.EVEN_ODD, 1.0, TestNetworks.plain(), batch);
        HamMap sync = new HamMap(net, Update.SYNC, 1.0, TestNetworks.plain(), batch);
        eo.setInput(x, 0, batch);
        sync.setInput(x, 0, batch);
        float[] s = TestNetworks.uniform(batch * eo.width(), 6, -1, 1);

        // full state with the auxiliary class at its local optimum, then one more drive
        float[] full = new float[batch * sync.width()];
        eo.expand(s, full, batch);
        float[] next = new float[full.length];
        sync.apply(full, next, batch);
        float[] out = new float[s.length];
        eo.apply(s, out, batch);

        StateLayout all = sync.layout();
        StateLayout st = eo.layout();
        for (int i = 0; i < batch; i++) {
            for (int l : st.layers()) {
                for (int j = 0; j < net.size(l); j++) {
                    assertEquals(next[i * all.width() + all.offset(l) + j],
                        out[i * st.width() + st.offset(l) + j], 1e-5);
                }
            }
        }
    }

    @ParameterizedTest
    @MethodSource("shapes")
    void evenOddFixedPointEqualsSynchronousFixedPoint(int[] sizes) {
        HamNetwork net = TestNetworks.network(sizes, 14, 0.5);
        int batch = 4;
        float[] x = TestNetworks.uniform(batch * sizes[0], 7, 0, 1);
        HamMap sync = new HamMap(net, Update.SYNC, 1.0, TestNetworks.plain(), batch);
        HamMap eo = new HamMap(net, Update.EVEN_ODD, 1.0, TestNetworks.plain(), batch);
        sync.setInput(x, 0, batch);
        eo.setInput(x, 0, batch);

        float[] s = new float[batch * sync.width()];
        SolveStats st = new PicardSolver(sync.width(), batch)
            .solve(sync, s, batch, SolveOptions.fixedBudget(300), null);
        assertEquals(0, st.notConverged(), "synchronous solve must converge");
        float[] e = new float[batch * eo.width()];
        SolveStats se = new PicardSolver(eo.width(), batch)
            .solve(eo, e, batch, SolveOptions.fixedBudget(300), null);
        assertEquals(0, se.notConverged(), "even-odd solve must converge");

        float[] full = new float[s.length];
        eo.expand(e, full, batch);
        for (int j = 0; j < s.length; j++) {
            assertEquals(s[j], full[j], 2e-5, "unit " + j);
        }
        // and it is a fixed point of the synchronous map
        float[] fs = new float[s.length];
        sync.apply(s, fs, batch);
        for (int j = 0; j < s.length; j++) {
            assertTrue(Math.abs(fs[j] - s[j]) < 2e-5, "residual at unit " + j);
        }
    }

    /**
     * After keepRows the map acts on the kept rows as a map set up on those images alone:
     * applications, and the parameter gradient, which reads rho(x) of the kept rows.
     */
    @ParameterizedTest
    @MethodSource("shapes")
    void keptRowsActAsABatchOfTheirOwn(int[] sizes) {
        HamNetwork net = TestNetworks.network(sizes, 15, 1.0);
        int n0 = sizes[0];
        int batch = 5;
        float[] x = TestNetworks.uniform(batch * n0, 8, 0, 1);
        // images 1 and 4 of the batch, kept in two steps
        float[] sub = new float[2 * n0];
        System.arraycopy(x, n0, sub, 0, n0);
        System.arraycopy(x, 4 * n0, sub, n0, n0);
        for (Update update : Update.values()) {
            HamMap kept = new HamMap(net, update, 1.0, TestNetworks.plain(), batch);
            HamMap fresh = new HamMap(net, update, 1.0, TestNetworks.plain(), batch);
            kept.setInput(x, 0, batch);
            kept.keepRows(new int[] {1, 3, 4}, 3);
            kept.keepRows(new int[] {0, 2}, 2);
            fresh.setInput(sub, 0, 2);
            int width = kept.width();
            float[] s = TestNetworks.uniform(2 * width, 9, -1, 1);
            float[] u = TestNetworks.uniform(2 * width, 10, -1, 1);
            float[] a = new float[s.length];
            float[] b = new float[s.length];
            for (int round = 0; round < 2; round++) {
                kept.apply(s, a, 2);
                fresh.apply(s, b, 2);
                for (int j = 0; j < a.length; j++) {
                    assertEquals(b[j], a[j], 1e-5 * (1 + Math.abs(b[j])), update + " " + j);
                }
                // the gradient moves the kept input rows into place; the next round checks
                // that applications still read the right rows
                HamGradient gk = new HamGradient(sizes);
                HamGradient gf = new HamGradient(sizes);
                kept.vjp(s, u, a, gk, 2);
                fresh.vjp(s, u, b, gf, 2);
                for (int l = 0; l < net.layers(); l++) {
                    float[] wk = gk.weight(l);
                    float[] wf = gf.weight(l);
                    for (int j = 0; j < wk.length; j++) {
                        assertEquals(wf[j], wk[j], 1e-5 * (1 + Math.abs(wf[j])),
                            update + " dW_" + l + " " + j);
                    }
                }
            }
        }
    }
}
