package org.hopdeq4j.testing;

import org.hopdeq4j.ham.HamNetwork;
import org.hopdeq4j.ham.StateLayout;
import org.hopdeq4j.ham.Update;

/**
 * The HAM maps in double precision, written straight from the definitions with per-layer
 * arrays: the independent computation the float32 maps and their vector-Jacobian products are
 * checked against.
 */
public final class ReferenceHam {

    public final int[] n;
    public final double[][] w;
    public final double[][] b;

    public ReferenceHam(HamNetwork net) {
        n = net.sizes();
        w = new double[n.length - 1][];
        b = new double[n.length][];
        for (int l = 0; l < n.length - 1; l++) {
            w[l] = toDouble(net.weight(l));
        }
        for (int l = 1; l < n.length; l++) {
            b[l] = toDouble(net.bias(l));
        }
    }

    public static double[] toDouble(float[] v) {
        double[] d = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            d[i] = v[i];
        }
        return d;
    }

    public static double rho(double s) {
        return 1.0 / (1.0 + Math.exp(2.0 - 4.0 * s));
    }

    public int layers() {
        return n.length - 1;
    }

    /** c_l given every layer's state in {@code s} (s[0] is the raw input x). */
    public double[] drive(int l, double[][] s) {
        double[] c = b[l].clone();
        for (int a = 0; a < n[l - 1]; a++) {
            double r = rho(s[l - 1][a]);
            for (int j = 0; j < n[l]; j++) {
                c[j] += r * w[l - 1][a * n[l] + j];
            }
        }
        if (l < layers()) {
            for (int a = 0; a < n[l + 1]; a++) {
                double r = rho(s[l + 1][a]);
                for (int j = 0; j < n[l]; j++) {
                    c[j] += r * w[l][j * n[l + 1] + a];
                }
            }
        }
        return c;
    }

    /**
     * The map on one sample's solver state {@code state} (layout of the given update), with
     * damping h; returns the output in the same layout.
     */
    public double[] apply(Update update, double h, double[] x, double[] state) {
        StateLayout layout = update == Update.SYNC ? StateLayout.allFree(n)
            : StateLayout.parityClass(n, layers() % 2);
        double[][] s = new double[n.length][];
        s[0] = x;
        for (int l = 1; l < n.length; l++) {
            s[l] = new double[n[l]];
            if (layout.contains(l)) {
                System.arraycopy(state, layout.offset(l), s[l], 0, n[l]);
            }
        }
        if (update == Update.EVEN_ODD) {
            for (int l = 1; l < n.length; l++) {
                if (!layout.contains(l)) {
                    s[l] = drive(l, s);
                }
            }
        }
        double[] out = new double[state.length];
        for (int l : layout.layers()) {
            double[] c = drive(l, s);
            for (int j = 0; j < n[l]; j++) {
                int k = layout.offset(l) + j;
                out[k] = (1 - h) * state[k] + h * c[j];
            }
        }
        return out;
    }
}
