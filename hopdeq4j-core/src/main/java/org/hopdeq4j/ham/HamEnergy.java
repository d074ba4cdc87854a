package org.hopdeq4j.ham;

import org.hopdeq4j.linalg.Activation;

/**
 * The HAM energy (the paper's Eq. 3 with the input split out), per sample, in double precision:
 *
 * <pre>
 * E(s) = sum_{l=1..L} sum_i [ s_i rho(s_i) - Lag(s_i) ]
 *      - sum_{l=0..L-1} rho(s_l) W_l rho(s_{l+1})^T
 *      - sum_{l=1..L} b_l . rho(s_l)
 * </pre>
 *
 * with {@code s_0 = x}. Along the continuous dynamics {@code ds/dt = -s + c(s)} it never
 * increases, and each even-odd half-step minimises it exactly over one parity class.
 *
 * <p>Plain double loops over every block, the input coupling's included: for 784-1990-10
 * hundreds of times the cost of one even-odd map evaluation, so traces compute it only on
 * request, for diagnostics.
 */
public final class HamEnergy {

    private HamEnergy() {
    }

    /**
     * Energies of {@code batch} samples.
     *
     * @param x inputs, batch rows of n_0 floats from {@code xOff}; not modified
     * @param full full states in the {@link StateLayout#allFree} layout; not modified
     * @param out receives E for each sample, length >= batch
     */
    public static void energy(HamNetwork net, float[] x, int xOff, float[] full, int batch,
                              double[] out) {
        Activation act = net.activation();
        int layers = net.layers();
        StateLayout all = StateLayout.allFree(net.sizes());
        int width = all.width();
        double[][] r = new double[layers + 1][];
        for (int l = 0; l <= layers; l++) {
            r[l] = new double[net.size(l)];
        }

        for (int i = 0; i < batch; i++) {
            double e = 0;
            int n0 = net.size(0);
            for (int j = 0; j < n0; j++) {
                r[0][j] = act.valueExact(x[xOff + i * n0 + j]);
            }

            // per-unit terms and biases
            for (int l = 1; l <= layers; l++) {
                float[] b = net.bias(l);
                int base = i * width + all.offset(l);
                for (int j = 0; j < net.size(l); j++) {
                    double s = full[base + j];
                    double rs = act.valueExact(s);
                    r[l][j] = rs;
                    e += s * rs - act.lagrangian(s) - b[j] * rs;
                }
            }

            // couplings between consecutive layers, the input's included
            for (int l = 0; l < layers; l++) {
                float[] w = net.weight(l);
                int cols = net.size(l + 1);
                double[] below = r[l];
                double[] above = r[l + 1];
                for (int a = 0; a < below.length; a++) {
                    double t = 0;
                    int row = a * cols;
                    for (int c = 0; c < cols; c++) {
                        t += w[row + c] * above[c];
                    }
                    e -= below[a] * t;
                }
            }
            out[i] = e;
        }
    }
}
