package org.hopdeq4j.linalg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;

import org.junit.jupiter.api.Test;

class KernelWarmUpTest {

    /** The warm-ups' made-up problems fit their kernels (a failure would be silent there). */
    @Test
    void eachWarmUpRunsItsKernelToTheEnd() {
        assertDoesNotThrow(NonZeroCounts::warmUp);
        assertDoesNotThrow(PanelMatrix::warmUp);
        assertDoesNotThrow(SparseRows::warmUp);
    }

    /** Starting the warm-up, twice, changes nothing a kernel computes. */
    @Test
    void startingTheWarmUpLeavesResultsAlone() {
        float[] x = {0f, 1f, -0f, 2f, 3f, Float.NaN};
        int[] before = new int[3];
        NonZeroCounts.addColumnCounts(2, 3, x, 0, 3, before);
        KernelWarmUp.startInBackground();
        KernelWarmUp.startInBackground();
        int[] after = new int[3];
        NonZeroCounts.addColumnCounts(2, 3, x, 0, 3, after);
        assertArrayEquals(new int[] {1, 2, 1}, before);
        assertArrayEquals(before, after);
    }
}
