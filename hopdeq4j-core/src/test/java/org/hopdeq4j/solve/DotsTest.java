package org.hopdeq4j.solve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Both implementations of the solvers' reductions against sums in double precision, on
 * lengths around the vector width and the block size, at offsets.
 */
class DotsTest {

    static IntStream lengths() {
        return IntStream.of(0, 1, 3, 4, 7, 8, 15, 16, 17, 31, 33, 255, 256, 257, 520, 1000, 2000);
    }

    private static float[] random(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) (r.nextDouble() * 4 - 2);
        }
        return x;
    }

    private static void assertClose(double expected, double actual, double scale, String what) {
        assertEquals(expected, actual, 1e-6 * scale + 1e-12, what);
    }

    @ParameterizedTest
    @MethodSource("lengths")
    void dotsMatchTheDoubleSum(int len) {
        int base = 5;
        float[] a = random(base + len + 3, len);
        float[] b = random(base + len + 3, len + 100);
        double exact = 0;
        double scale = 0;
        double diff = 0;
        double norm = 0;
        for (int j = base; j < base + len; j++) {
            exact += (double) a[j] * b[j];
            scale += Math.abs((double) a[j] * b[j]);
            double e = (double) a[j] - b[j];
            diff += e * e;
            norm += (double) a[j] * a[j];
        }
        assertClose(exact, Dots.dotScalar(a, b, base, len), scale, "scalar dot");
        assertClose(exact, Dots.dot(a, b, base, len), scale, "dot");
        double[] out = new double[2];
        Dots.differenceAndNormScalar(a, b, base, len, out);
        assertClose(diff, out[0], diff, "scalar difference");
        assertClose(norm, out[1], norm, "scalar norm");
        if (Dots.VECTOR) {
            assertClose(exact, VectorDots.dot(a, b, base, len), scale, "vector dot");
            VectorDots.differenceAndNorm(a, b, base, len, out);
            assertClose(diff, out[0], diff, "vector difference");
            assertClose(norm, out[1], norm, "vector norm");
        }
    }

    @ParameterizedTest
    @MethodSource("lengths")
    void residualAndDotsMatchTheDefinition(int len) {
        int base = 3;
        int n = base + len + 2;
        float[] g = random(n, 1);
        float[] x = random(n, 2);
        float[][] older = {random(n, 3), random(n, 4), random(n, 5), random(n, 6)};
        for (int count = 0; count <= older.length; count++) {
            float[] r = new float[n];
            double[] out = new double[2 + older.length];
            Dots.residualAndDots(g, x, r, older, count, base, len, out);
            double gg = 0;
            double rr = 0;
            double[] d = new double[count];
            double scale = 0;
            for (int j = base; j < base + len; j++) {
                float rv = g[j] - x[j];
                assertEquals(rv, r[j], 0f, "residual at " + j);
                gg += (double) g[j] * g[j];
                rr += (double) rv * rv;
                scale += Math.abs((double) rv) * 2;
                for (int c = 0; c < count; c++) {
                    d[c] += (double) rv * older[c][j];
                }
            }
            assertEquals(0f, r[0], 0f, "outside the row");
            assertEquals(0f, r[n - 1], 0f, "outside the row");
            assertClose(gg, out[0], gg, "|g|^2");
            assertClose(rr, out[1], rr, "|r|^2");
            for (int c = 0; c < count; c++) {
                assertClose(d[c], out[2 + c], scale, "r . older " + c + " of " + count);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("lengths")
    void combinedProposalMatchesThePlainLoop(int len) {
        org.junit.jupiter.api.Assumptions.assumeTrue(Dots.VECTOR, "no Vector API");
        int base = 4;
        int n = base + len + 3;
        float[][] g = {random(n, 7), random(n, 8), random(n, 9), random(n, 10)};
        float[] w = {0.4f, -0.3f, 0.2f, 0.7f};
        float[] x = new float[n];
        double[] out = new double[2];
        VectorDots.combine4AndCompare(g[0], g[1], g[2], g[3], w[0], w[1], w[2], w[3], x,
            base, len, out);
        double diff = 0;
        double norm = 0;
        for (int j = base; j < base + len; j++) {
            float v = w[0] * g[0][j] + w[1] * g[1][j] + w[2] * g[2][j] + w[3] * g[3][j];
            assertEquals(v, x[j], 0f, "proposal at " + j);
            double e = (double) g[3][j] - v;
            diff += e * e;
            norm += (double) v * v;
        }
        assertEquals(0f, x[base - 1], 0f, "outside the row");
        assertEquals(0f, x[base + len], 0f, "outside the row");
        assertClose(diff, out[0], diff, "|G_last - x|^2");
        assertClose(norm, out[1], norm, "|x|^2");
    }

    @Test
    void theTestsRunWithTheVectorApi() {
        // the build adds the incubator module to the test JVM; without it this would
        // silently test the scalar lanes twice
        assertTrue(Dots.VECTOR, "Dots uses " + Dots.implementation());
    }
}
