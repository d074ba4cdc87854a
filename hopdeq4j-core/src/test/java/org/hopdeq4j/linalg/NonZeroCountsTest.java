package org.hopdeq4j.linalg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class NonZeroCountsTest {

    /** A matrix with zeros, negative zeros, NaN and ordinary values, past an offset. */
    static float[] matrix(int off, int m, int ld, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] x = new float[off + Math.max(m, 1) * ld];
        for (int i = 0; i < x.length; i++) {
            int kind = random.nextInt(6);
            x[i] = switch (kind) {
                case 0, 1 -> 0f;
                case 2 -> -0f;
                case 3 -> Float.NaN;
                default -> (float) (random.nextDouble() * 2 - 1);
            };
        }
        return x;
    }

    /** The definition: count[j] += rows with x != 0 in column j. */
    static int[] byDefinition(int m, int n, float[] x, int off, int ld, int[] start) {
        int[] count = start.clone();
        for (int j = 0; j < n; j++) {
            for (int i = 0; i < m; i++) {
                float v = x[off + i * ld + j];
                if (!(v == 0f)) {
                    count[j]++;
                }
            }
        }
        return count;
    }

    /** Widths with and without a remainder after whole vectors, at offsets and strides. */
    @ParameterizedTest
    @CsvSource({"1, 1, 1, 0", "3, 7, 9, 2", "5, 16, 16, 0", "17, 33, 40, 5", "64, 784, 784, 3",
        "2, 0, 4, 1", "0, 10, 10, 0"})
    void theKernelCountsAsTheDefinitionAndThePlainLoop(int m, int n, int ld, int off) {
        float[] x = matrix(off, m, ld, 7L * m + n);
        int[] start = new int[n + 3];
        for (int j = 0; j < start.length; j++) {
            start[j] = j % 4;
        }
        int[] want = byDefinition(m, n, x, off, ld, start);
        int[] plain = start.clone();
        NonZeroCounts.addColumnCountsPlain(m, n, x, off, ld, plain);
        int[] fast = start.clone();
        NonZeroCounts.addColumnCounts(m, n, x, off, ld, fast);
        assertArrayEquals(want, plain);
        assertArrayEquals(want, fast);
    }

    @Test
    void theVectorKernelIsUsedUnderTheTestSettings() {
        // the build runs the tests with the incubator module, as the launcher does
        assertTrue(NonZeroCounts.VECTOR, "the Vector API kernel should be linked");
    }

    @Test
    void badSizesAreRejected() {
        float[] x = new float[10];
        int[] count = new int[10];
        assertThrows(IllegalArgumentException.class,
            () -> NonZeroCounts.addColumnCounts(-1, 2, x, 0, 2, count));
        assertThrows(IllegalArgumentException.class,
            () -> NonZeroCounts.addColumnCounts(2, 5, x, 0, 4, count));
    }
}
