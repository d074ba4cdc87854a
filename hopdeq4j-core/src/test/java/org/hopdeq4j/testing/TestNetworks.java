package org.hopdeq4j.testing;

import java.util.SplittableRandom;

import org.hopdeq4j.ham.HamNetwork;
import org.hopdeq4j.linalg.MatMul;

/** Seeded random networks and inputs shared by the HAM tests. */
public final class TestNetworks {

    private TestNetworks() {
    }

    /** Layer shapes with odd and even output parity, one to four free layers. */
    public static final int[][] SHAPES = {
        {7, 4},
        {9, 7, 3},
        {11, 6, 5, 3},
        {13, 8, 6, 5, 3},
        {10, 12, 9, 7, 5, 4, 3},
    };

    public static MatMul plain() {
        return new MatMul() {
            @Override
            public void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
                             float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                             float beta, float[] c, int cOff, int ldc) {
                for (int i = 0; i < m; i++) {
                    for (int j = 0; j < n; j++) {
                        double sum = 0;
                        for (int p = 0; p < k; p++) {
                            double av = transA ? a[aOff + p * lda + i] : a[aOff + i * lda + p];
                            double bv = transB ? b[bOff + j * ldb + p] : b[bOff + p * ldb + j];
                            sum += av * bv;
                        }
                        int at = cOff + i * ldc + j;
                        c[at] = (float) (alpha * sum + (beta == 0 ? 0 : beta * c[at]));
                    }
                }
            }

            @Override
            public String name() {
                return "test-loops";
            }

            @Override
            public int threads() {
                return 1;
            }
        };
    }

    /** The paper's initialisation with every weight scaled, so that the map contracts. */
    public static HamNetwork network(int[] sizes, long seed, double weightScale) {
        HamNetwork net = HamNetwork.initialise(sizes, seed);
        for (int l = 0; l < net.layers(); l++) {
            float[] w = net.weight(l);
            for (int i = 0; i < w.length; i++) {
                w[i] *= (float) weightScale;
            }
        }
        // larger biases than the paper's, so that every term of the drive matters in the checks
        SplittableRandom random = new SplittableRandom(seed + 1);
        for (int l = 1; l <= net.layers(); l++) {
            float[] b = net.bias(l);
            for (int i = 0; i < b.length; i++) {
                b[i] = (float) (0.5 * (random.nextDouble() - 0.5));
            }
        }
        return net;
    }

    public static float[] uniform(int length, long seed, double low, double high) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] v = new float[length];
        for (int i = 0; i < length; i++) {
            v[i] = (float) (low + (high - low) * random.nextDouble());
        }
        return v;
    }
}
