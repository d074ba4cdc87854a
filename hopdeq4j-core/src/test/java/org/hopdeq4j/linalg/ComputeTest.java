package org.hopdeq4j.linalg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ComputeTest {

    /**
     * Every worker multiplies its own operands on its own backend at the same time, many
     * times over; each result must equal the plain product (native code called from several
     * threads at once must not share scratch state).
     */
    @ParameterizedTest
    @ValueSource(strings = {"openblas", "java"})
    void workersMultiplyCorrectlyAtTheSameTime(String backend) {
        if (backend.equals("openblas") && !OpenBlasMatMul.isAvailable()) {
            return;
        }
        int m = 37;
        int n = 53;
        int k = 71;
        try (Compute compute = Compute.create(backend, 2); PlainMatMul plain = new PlainMatMul()) {
            int workers = compute.workers();
            float[][] a = new float[workers][];
            float[][] b = new float[workers][];
            float[][] c = new float[workers][];
            float[][] expected = new float[workers][];
            SplittableRandom random = new SplittableRandom(3);
            for (int w = 0; w < workers; w++) {
                a[w] = random(m * k, random);
                b[w] = random(k * n, random);
                c[w] = new float[m * n];
                expected[w] = new float[m * n];
                plain.gemm(false, false, m, n, k, 1f, a[w], 0, k, b[w], 0, n, 0f,
                    expected[w], 0, n);
            }
            for (int round = 0; round < 200; round++) {
                compute.run((w, parts) -> compute.backend(w).gemm(false, false, m, n, k, 1f,
                    a[w], 0, k, b[w], 0, n, 0f, c[w], 0, n));
                for (int w = 0; w < workers; w++) {
                    for (int i = 0; i < m * n; i++) {
                        assertEquals(expected[w][i], c[w][i], 1e-4f * (1 + Math.abs(expected[w][i])),
                            "round " + round + ", worker " + w + ", element " + i);
                    }
                }
            }
        }
    }

    @Test
    void rowSharesCoverTheBatchAndDifferByAtMostOne() {
        try (Compute compute = Compute.create("plain", 3)) {
            for (int batch = 0; batch <= 20; batch++) {
                assertEquals(0, compute.rowStart(batch, 0));
                assertEquals(batch, compute.rowStart(batch, 3));
                for (int w = 0; w < 3; w++) {
                    int rows = compute.rowStart(batch, w + 1) - compute.rowStart(batch, w);
                    assertEquals(batch / 3.0, rows, 1.0, "batch " + batch + ", worker " + w);
                    assertTrue(rows <= compute.maxShare(20), "share fits the workspace");
                }
            }
        }
    }

    @Test
    void rejectsBadThreadCounts() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> Compute.create("plain", 0));
        assertEquals("threads must be >= 1 but was 0", e.getMessage());
    }

    private static float[] random(int length, SplittableRandom random) {
        float[] x = new float[length];
        for (int i = 0; i < length; i++) {
            x[i] = (float) (random.nextDouble() - 0.5);
        }
        return x;
    }
}
