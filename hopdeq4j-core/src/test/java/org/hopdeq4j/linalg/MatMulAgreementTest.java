package org.hopdeq4j.linalg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every backend against the definition of the product, computed here in double precision:
 * odd sizes (primes, remainder lanes), all four transpose combinations, offsets and leading
 * dimensions wider than the stored blocks, alpha and beta, and the elements around C's
 * block left untouched.
 */
class MatMulAgreementTest {

    private static final int[] M_SIZES = {1, 7, 67, 131};
    private static final int[] N_SIZES = {1, 13, 67, 131};
    private static final int[] K_SIZES = {1, 7, 131};
    private static final float GUARD = -12345.5f;

    static Stream<Arguments> backends() {
        List<Arguments> list = new ArrayList<>();
        list.add(backend("plain", PlainMatMul::new));
        list.add(backend("java-1", () -> new JavaMatMul(1)));
        list.add(backend("java-2", () -> new JavaMatMul(2)));
        list.add(backend("java-1-direct",
            () -> new JavaMatMul(1, JavaMatMul.Orientation.DIRECT)));
        list.add(backend("java-2-direct",
            () -> new JavaMatMul(2, JavaMatMul.Orientation.DIRECT)));
        list.add(backend("java-1-transposed",
            () -> new JavaMatMul(1, JavaMatMul.Orientation.TRANSPOSED)));
        list.add(backend("java-2-transposed",
            () -> new JavaMatMul(2, JavaMatMul.Orientation.TRANSPOSED)));
        if (OpenBlasMatMul.isAvailable()) {
            list.add(backend("openblas-1", () -> new OpenBlasMatMul(1)));
            list.add(backend("openblas-2", () -> new OpenBlasMatMul(2)));
        }
        return list.stream();
    }

    private static Arguments backend(String label, Supplier<MatMul> factory) {
        return Arguments.of(label, factory);
    }

    @Test
    void openBlasIsAvailableOnLinuxX86() {
        boolean linuxX86 = System.getProperty("os.name").startsWith("Linux")
            && (System.getProperty("os.arch").equals("amd64")
                || System.getProperty("os.arch").equals("x86_64"));
        if (linuxX86) {
            assertTrue(OpenBlasMatMul.isAvailable(),
                "OpenBLAS must load on linux-x86_64: " + OpenBlasMatMul.unavailableReason());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void agreesWithDefinitionOnOddSizesAllTransposes(String label, Supplier<MatMul> factory) {
        SplittableRandom random = new SplittableRandom(17);
        try (MatMul mm = factory.get()) {
            for (int m : M_SIZES) {
                for (int n : N_SIZES) {
                    for (int k : K_SIZES) {
                        for (int t = 0; t < 4; t++) {
                            Case c = new Case(t >= 2, (t & 1) == 1, m, n, k, random);
                            c.check(mm, 1f, 0f, label);
                        }
                    }
                }
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void honoursAlphaAndBeta(String label, Supplier<MatMul> factory) {
        SplittableRandom random = new SplittableRandom(23);
        float[][] alphaBeta = {{0.5f, -1.25f}, {-2f, 1f}, {1f, 0f}, {3f, 0.5f}};
        try (MatMul mm = factory.get()) {
            for (float[] ab : alphaBeta) {
                for (int t = 0; t < 4; t++) {
                    new Case(t >= 2, (t & 1) == 1, 13, 67, 7, random)
                        .check(mm, ab[0], ab[1], label);
                    new Case(t >= 2, (t & 1) == 1, 67, 13, 131, random)
                        .check(mm, ab[0], ab[1], label);
                }
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void agreesOnLargeProductsSpanningSeveralBlocks(String label,
                                                    Supplier<MatMul> factory) {
        if (label.equals("plain")) {
            return;
        }
        SplittableRandom random = new SplittableRandom(29);
        try (MatMul mm = factory.get()) {
            for (int t = 0; t < 4; t++) {
                // 1031 columns span three column blocks, depth 523 three depth blocks, and
                // 67 x 1031 x 523 multiply-adds are enough to run on two threads.
                new Case(t >= 2, (t & 1) == 1, 67, 1031, 523, random)
                    .check(mm, 1f, 0.5f, label);
                new Case(t >= 2, (t & 1) == 1, 1031, 67, 523, random)
                    .check(mm, -1f, 0f, label);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void betaZeroIgnoresNanInC(String label, Supplier<MatMul> factory) {
        SplittableRandom random = new SplittableRandom(31);
        try (MatMul mm = factory.get()) {
            Case c = new Case(false, true, 7, 13, 67, random);
            for (int i = 0; i < 7; i++) {
                java.util.Arrays.fill(c.c, c.cOff + i * c.ldc, c.cOff + i * c.ldc + 13,
                    Float.NaN);
            }
            c.check(mm, 1f, 0f, label);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void alphaZeroOrEmptyDepthOnlyScalesC(String label, Supplier<MatMul> factory) {
        SplittableRandom random = new SplittableRandom(37);
        try (MatMul mm = factory.get()) {
            Case c = new Case(false, false, 7, 13, 5, random);
            java.util.Arrays.fill(c.a, Float.NaN);
            float[] before = c.c.clone();
            mm.gemm(false, false, 7, 13, 5, 0f, c.a, c.aOff, c.lda, c.b, c.bOff, c.ldb,
                2f, c.c, c.cOff, c.ldc);
            for (int i = 0; i < 7; i++) {
                for (int j = 0; j < 13; j++) {
                    int at = c.cOff + i * c.ldc + j;
                    assertEquals(2f * before[at], c.c[at], 0f, label + " alpha = 0");
                }
            }

            float[] empty = new float[1];
            mm.gemm(false, false, 7, 13, 0, 1f, empty, 0, 1, empty, 0, 13,
                0f, c.c, c.cOff, c.ldc);
            for (int i = 0; i < 7; i++) {
                for (int j = 0; j < 13; j++) {
                    assertEquals(0f, c.c[c.cOff + i * c.ldc + j], 0f, label + " k = 0");
                }
            }
        }
    }

    /** One random product with padded operands: offsets and leading dimensions > widths. */
    static final class Case {
        final boolean transA;
        final boolean transB;
        final int m;
        final int n;
        final int k;
        final float[] a;
        final float[] b;
        final float[] c;
        final int aOff;
        final int bOff;
        final int cOff;
        final int lda;
        final int ldb;
        final int ldc;

        Case(boolean transA, boolean transB, int m, int n, int k, SplittableRandom random) {
            this.transA = transA;
            this.transB = transB;
            this.m = m;
            this.n = n;
            this.k = k;
            int aRows = transA ? k : m;
            int aCols = transA ? m : k;
            int bRows = transB ? n : k;
            int bCols = transB ? k : n;
            aOff = 3;
            bOff = 5;
            cOff = 2;
            lda = aCols + 4;
            ldb = bCols + 1;
            ldc = n + 3;
            a = randomArray(aOff + aRows * lda + 2, random);
            b = randomArray(bOff + bRows * ldb + 3, random);
            c = randomArray(cOff + m * ldc + 1, random);
            // Guard values outside C's block must survive the product.
            for (int i = 0; i < c.length; i++) {
                int rel = i - cOff;
                boolean inside = rel >= 0 && rel / ldc < m && rel % ldc < n;
                if (!inside) {
                    c[i] = GUARD;
                }
            }
        }

        double opA(int i, int p) {
            return transA ? a[aOff + p * lda + i] : a[aOff + i * lda + p];
        }

        double opB(int p, int j) {
            return transB ? b[bOff + j * ldb + p] : b[bOff + p * ldb + j];
        }

        void check(MatMul mm, float alpha, float beta, String label) {
            float[] old = c.clone();
            mm.gemm(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb,
                beta, c, cOff, ldc);

            // Float summation error is at most about k units of roundoff of sum |terms|.
            double unit = Math.ulp(1f);
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    double sum = 0;
                    double abs = 0;
                    for (int p = 0; p < k; p++) {
                        double term = opA(i, p) * opB(p, j);
                        sum += term;
                        abs += Math.abs(term);
                    }
                    int at = cOff + i * ldc + j;
                    double prior = beta == 0f ? 0 : (double) beta * old[at];
                    double expected = alpha * sum + prior;
                    double tolerance = (k + 4) * unit * (Math.abs(alpha) * abs
                        + Math.abs(prior));
                    double error = Math.abs(c[at] - expected);
                    if (!(error <= tolerance)) {
                        fail(label + ": C[" + i + "][" + j + "] = " + c[at] + " but expected "
                            + expected + " (tolerance " + tolerance + ") for m=" + m + " n="
                            + n + " k=" + k + " transA=" + transA + " transB=" + transB
                            + " alpha=" + alpha + " beta=" + beta);
                    }
                }
            }
            for (int i = 0; i < c.length; i++) {
                int rel = i - cOff;
                boolean inside = rel >= 0 && rel / ldc < m && rel % ldc < n;
                if (!inside && c[i] != GUARD) {
                    fail(label + ": element " + i + " outside C's block changed to " + c[i]);
                }
            }
        }
    }

    static float[] randomArray(int length, SplittableRandom random) {
        float[] x = new float[length];
        for (int i = 0; i < length; i++) {
            x[i] = (float) (random.nextDouble() * 2 - 1);
        }
        return x;
    }
}
