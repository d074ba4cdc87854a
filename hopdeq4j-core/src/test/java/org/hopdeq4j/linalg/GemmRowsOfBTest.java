package org.hopdeq4j.linalg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The product with selected rows of B on every backend (and through the recording wrapper)
 * against the definition in double precision: unordered and repeated rows, offsets, leading
 * dimensions wider than the block, beta, a pinned B (read from its resident copy, also after
 * a refresh), and the elements around C's block left alone.
 */
class GemmRowsOfBTest {

    private static final float GUARD = -777.25f;

    static Stream<Arguments> backends() {
        List<Arguments> list = new ArrayList<>();
        list.add(Arguments.of("plain", (Supplier<MatMul>) PlainMatMul::new));
        list.add(Arguments.of("java-1", (Supplier<MatMul>) () -> new JavaMatMul(1)));
        list.add(Arguments.of("recording-plain",
            (Supplier<MatMul>) () -> new RecordingMatMul(new PlainMatMul())));
        if (OpenBlasMatMul.isAvailable()) {
            list.add(Arguments.of("openblas-1", (Supplier<MatMul>) () -> new OpenBlasMatMul(1)));
            list.add(Arguments.of("recording-openblas",
                (Supplier<MatMul>) () -> new RecordingMatMul(new OpenBlasMatMul(1))));
        }
        return list.stream();
    }

    private static float[] random(int length, SplittableRandom r) {
        float[] x = new float[length];
        for (int i = 0; i < length; i++) {
            x[i] = (float) (r.nextDouble() * 2 - 1);
        }
        return x;
    }

    /** One product checked against the definition; returns nothing, asserts everything. */
    private static void check(MatMul mm, int m, int n, int k, int bRows, boolean pinB,
                              float beta, SplittableRandom r, String label) {
        int lda = k + 2;
        int ldb = n + 3;
        int ldc = n + 1;
        int aOff = 5;
        int bOff = 4;
        int cOff = 3;
        float[] a = random(aOff + m * lda, r);
        float[] b = random(bOff + bRows * ldb, r);
        int[] rows = new int[k + 2];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = r.nextInt(bRows);
        }
        float[] c = new float[cOff + m * ldc + 2];
        java.util.Arrays.fill(c, GUARD);
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                c[cOff + i * ldc + j] = (float) r.nextDouble();
            }
        }
        float[] c0 = c.clone();
        float alpha = 0.75f;
        if (pinB) {
            mm.pin(b);
        }
        try {
            mm.gemmRowsOfB(m, n, k, alpha, a, aOff, lda, b, bOff, ldb, rows, beta,
                c, cOff, ldc, new float[mm.gathersRowsItself() ? 0 : k * n]);
            if (pinB) {
                // change B, refresh, and multiply again: the new values must be used
                for (int i = 0; i < b.length; i++) {
                    b[i] = -b[i];
                }
                mm.refresh(b);
                System.arraycopy(c0, 0, c, 0, c.length);
                mm.gemmRowsOfB(m, n, k, alpha, a, aOff, lda, b, bOff, ldb, rows, beta,
                    c, cOff, ldc, new float[k * n]);
            }
        } finally {
            if (pinB) {
                mm.unpin(b);
            }
        }
        for (int i = 0; i < c.length; i++) {
            int block = i - cOff;
            int row = block / ldc;
            int col = block % ldc;
            boolean inside = block >= 0 && row < m && col < n;
            if (!inside) {
                assertEquals(GUARD, c[i], 0f, label + ": element " + i + " outside C changed");
                continue;
            }
            double sum = 0;
            for (int p = 0; p < k; p++) {
                sum += (double) a[aOff + row * lda + p] * b[bOff + rows[p] * ldb + col];
            }
            double expected = alpha * sum + (beta == 0f ? 0 : beta * (double) c0[i]);
            assertEquals(expected, c[i], 1e-5 * (1 + Math.abs(expected)) + 1e-6 * k,
                label + ": C(" + row + ", " + col + ") for m=" + m + " n=" + n + " k=" + k);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void agreesWithTheDefinition(String label, Supplier<MatMul> factory) {
        SplittableRandom r = new SplittableRandom(29);
        try (MatMul mm = factory.get()) {
            for (int m : new int[] {1, 7, 64}) {
                for (int n : new int[] {1, 13, 131}) {
                    for (int k : new int[] {0, 1, 9, 67}) {
                        for (float beta : new float[] {0f, 1f, 0.5f}) {
                            check(mm, m, n, k, 80, false, beta, r, label);
                            check(mm, m, n, k, 80, true, beta, r, label);
                        }
                    }
                }
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void rejectsRowsOutsideB(String label, Supplier<MatMul> factory) {
        try (MatMul mm = factory.get()) {
            float[] a = new float[6];
            float[] b = new float[12];
            float[] c = new float[8];
            assertThrows(IllegalArgumentException.class, () -> mm.gemmRowsOfB(2, 4, 3, 1f,
                a, 0, 3, b, 0, 4, new int[] {0, 3, 1}, 0f, c, 0, 4, new float[12]));
            assertThrows(IllegalArgumentException.class, () -> mm.gemmRowsOfB(2, 4, 3, 1f,
                a, 0, 3, b, 0, 4, new int[] {0, -1, 1}, 0f, c, 0, 4, new float[12]));
            assertThrows(IllegalArgumentException.class, () -> mm.gemmRowsOfB(2, 4, 3, 1f,
                a, 0, 3, b, 0, 4, new int[] {0, 1}, 0f, c, 0, 4, new float[12]));
        }
    }
}
