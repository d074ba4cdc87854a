package org.hopdeq4j.linalg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.SplittableRandom;
import java.util.function.Supplier;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The pin / refresh / unpin contract of {@link MatMul}: a pinned operand that changes is read
 * afresh after refresh, also as a sub-block, as the other operand, and after it was
 * written as C.
 */
class PinnedOperandTest {

    static java.util.stream.Stream<org.junit.jupiter.params.provider.Arguments> backends() {
        return MatMulAgreementTest.backends();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void refreshedWeightsChangeTheProduct(String label, Supplier<MatMul> factory) {
        SplittableRandom random = new SplittableRandom(41);
        int m = 9;
        int n = 67;
        int k = 13;
        float[] x = MatMulAgreementTest.randomArray(m * k, random);
        float[] w = MatMulAgreementTest.randomArray(k * n, random);
        try (MatMul mm = factory.get()) {
            mm.pin(w);
            for (int t = 0; t < 2; t++) {
                boolean transB = t == 1;
                float[] first = product(mm, x, w, m, n, k, transB);
                assertClose(reference(x, w, m, n, k, transB), first, label);

                for (int i = 0; i < w.length; i++) {
                    w[i] = -2f * w[i] + 0.25f;
                }
                mm.refresh(w);
                float[] second = product(mm, x, w, m, n, k, transB);
                assertClose(reference(x, w, m, n, k, transB), second, label + " refreshed");
                assertNotEquals(first[0], second[0], label);
            }

            mm.unpin(w);
            w[0] += 1f;
            assertClose(reference(x, w, m, n, k, false), product(mm, x, w, m, n, k, false),
                label + " unpinned");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void pinnedSubBlocksAndPinnedLeftOperandAreRead(String label, Supplier<MatMul> factory) {
        SplittableRandom random = new SplittableRandom(43);
        int m = 7;
        int n = 13;
        int k = 11;
        // Two weight blocks in one array, at offsets 0 and k * n.
        float[] blocks = MatMulAgreementTest.randomArray(2 * k * n, random);
        float[] x = MatMulAgreementTest.randomArray(m * k, random);
        try (MatMul mm = factory.get()) {
            mm.pin(blocks);
            mm.pin(x);
            for (int block = 0; block < 2; block++) {
                float[] c = new float[m * n];
                mm.gemm(false, false, m, n, k, 1f, x, 0, k, blocks, block * k * n, n,
                    0f, c, 0, n);
                float[] w = java.util.Arrays.copyOfRange(blocks, block * k * n,
                    (block + 1) * k * n);
                assertClose(reference(x, w, m, n, k, false), c, label + " block " + block);
            }

            x[5] = 3f;
            mm.refresh(x);
            float[] c = new float[m * n];
            mm.gemm(false, false, m, n, k, 1f, x, 0, k, blocks, 0, n, 0f, c, 0, n);
            float[] w = java.util.Arrays.copyOfRange(blocks, 0, k * n);
            assertClose(reference(x, w, m, n, k, false), c, label + " refreshed left");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void pinnedArrayWrittenAsResultIsReadAfresh(String label, Supplier<MatMul> factory) {
        SplittableRandom random = new SplittableRandom(47);
        int m = 5;
        int n = 9;
        int k = 9;
        float[] x = MatMulAgreementTest.randomArray(m * k, random);
        float[] w = MatMulAgreementTest.randomArray(k * n, random);
        float[] y = MatMulAgreementTest.randomArray(k * n, random);
        try (MatMul mm = factory.get()) {
            mm.pin(w);
            float[] unused = product(mm, x, w, m, n, k, false);
            assertEquals(m * n, unused.length);

            // w = y^T y written by the backend itself; no refresh needed.
            mm.gemm(true, false, k, n, k, 1f, y, 0, n, y, 0, n, 0f, w, 0, n);
            assertClose(reference(x, w, m, n, k, false), product(mm, x, w, m, n, k, false),
                label);
        }
    }

    private static float[] product(MatMul mm, float[] x, float[] w, int m, int n, int k,
                                   boolean transB) {
        float[] c = new float[m * n];
        if (transB) {
            // w read as an n x k matrix, transposed.
            mm.gemm(false, true, m, n, k, 1f, x, 0, k, w, 0, k, 0f, c, 0, n);
        } else {
            mm.gemm(false, false, m, n, k, 1f, x, 0, k, w, 0, n, 0f, c, 0, n);
        }
        return c;
    }

    private static double[] reference(float[] x, float[] w, int m, int n, int k,
                                      boolean transB) {
        double[] c = new double[m * n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double sum = 0;
                for (int p = 0; p < k; p++) {
                    sum += (double) x[i * k + p] * (transB ? w[j * k + p] : w[p * n + j]);
                }
                c[i * n + j] = sum;
            }
        }
        return c;
    }

    private static void assertClose(double[] expected, float[] actual, String label) {
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], 1e-5 * (1 + Math.abs(expected[i])),
                label + " element " + i);
        }
    }
}
