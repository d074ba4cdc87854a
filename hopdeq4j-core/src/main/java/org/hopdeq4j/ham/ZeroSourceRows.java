package org.hopdeq4j.ham;

import java.util.Arrays;

import org.hopdeq4j.linalg.MatMul;

/**
 * The products a layer's drive takes from a neighbour whose state is 0 in every row, as at
 * the zero start of a solve: the neighbour's activations are then one value {@code r} (that
 * is, {@code rho(0)}) throughout, and {@code r 1^T W} is the same row for every sample. For
 * layer l these are {@code r 1^T W_{l-1}} (from below: r times the column sums of
 * {@code W_{l-1}}) and {@code r 1^T W_l^T} (from above: r times the row sums of {@code W_l}).
 *
 * <p>Each row is computed on first use, as a one-row product on the map's backend (so that
 * pinned weights are read where they live), and kept until the network reports a change of
 * its parameters ({@link HamNetwork#revision()}), the weight array is replaced, or r differs.
 * With Java assertions enabled every use checks the row against the weights. A row differs
 * from the batch product it replaces only in float rounding (the sum runs in another order).
 *
 * <p>Not thread-safe: one per map.
 */
final class ZeroSourceRows {

    private final HamNetwork net;
    private final MatMul mm;
    private final Cached[] below;
    private final Cached[] above;
    private final float[] ones;

    ZeroSourceRows(HamNetwork net, MatMul mm) {
        this.net = net;
        this.mm = mm;
        int layers = net.layers();
        below = new Cached[layers + 1];
        above = new Cached[layers + 1];
        int widest = 0;
        for (int l = 0; l <= layers; l++) {
            widest = Math.max(widest, net.size(l));
        }
        ones = new float[widest];
        Arrays.fill(ones, 1f);
    }

    /** {@code r 1^T W_{l-1}}, n_l values; for 2 <= l <= L. Live buffer, do not modify. */
    float[] fromBelow(int l, float r) {
        if (below[l] == null) {
            below[l] = new Cached(net.size(l));
        }
        return row(below[l], true, l, r);
    }

    /** {@code r 1^T W_l^T}, n_l values; for 1 <= l < L. Live buffer, do not modify. */
    float[] fromAbove(int l, float r) {
        if (above[l] == null) {
            above[l] = new Cached(net.size(l));
        }
        return row(above[l], false, l, r);
    }

    private float[] row(Cached c, boolean fromBelow, int l, float r) {
        float[] w = net.weight(fromBelow ? l - 1 : l);
        if (c.revision != net.revision() || c.weight != w
            || Float.floatToRawIntBits(c.r) != Float.floatToRawIntBits(r)) {
            compute(fromBelow, l, r, c.row);
            c.revision = net.revision();
            c.weight = w;
            c.r = r;
        }
        assert matches(c, fromBelow, l)
            : "the parameters changed without HamNetwork.parametersChanged()";
        return c.row;
    }

    private void compute(boolean fromBelow, int l, float r, float[] out) {
        int n = net.size(l);
        if (fromBelow) {
            int k = net.size(l - 1);
            mm.gemm(false, false, 1, n, k, r, ones, 0, k, net.weight(l - 1), 0, n,
                0f, out, 0, n);
        } else {
            int k = net.size(l + 1);
            mm.gemm(false, true, 1, n, k, r, ones, 0, k, net.weight(l), 0, k, 0f, out, 0, n);
        }
    }

    /**
     * Whether the row is still r times the sums of the weights, recomputed with plain loops
     * (not on the backend, so that the check adds no product to what a backend records): it
     * catches weights changed without {@link HamNetwork#parametersChanged()}, not rounding.
     */
    private boolean matches(Cached c, boolean fromBelow, int l) {
        int n = net.size(l);
        int k = net.size(fromBelow ? l - 1 : l + 1);
        float[] w = c.weight;
        for (int j = 0; j < n; j++) {
            double sum = 0;
            double magnitude = 0;
            for (int a = 0; a < k; a++) {
                double v = fromBelow ? w[a * n + j] : w[j * k + a];
                sum += v;
                magnitude += Math.abs(v);
            }
            double want = c.r * sum;
            if (!(Math.abs(c.row[j] - want) <= 1e-5 * (Math.abs(c.r) * magnitude + 1e-30))) {
                return false;
            }
        }
        return true;
    }

    /** One cached row and what it was computed from. */
    private static final class Cached {
        final float[] row;
        long revision = -1;
        float[] weight;
        float r = Float.NaN;

        Cached(int n) {
            row = new float[n];
        }
    }
}
