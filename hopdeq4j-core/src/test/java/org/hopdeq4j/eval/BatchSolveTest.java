package org.hopdeq4j.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.hopdeq4j.ham.HamNetwork;
import org.hopdeq4j.ham.Update;
import org.hopdeq4j.linalg.Compute;
import org.hopdeq4j.solve.SolveOptions;
import org.hopdeq4j.solve.SolveStats;
import org.hopdeq4j.solve.Solvers;
import org.hopdeq4j.testing.TestNetworks;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@link BatchSolve#solveAll}: every image is solved exactly once, in batches no larger than
 * asked, and each image's solution and iterations are those of a solve of that image alone.
 * On images without zeros the plain backend computes every row on its own, so equality is
 * exact; with zeros the input drive's product runs over the inputs the batch uses, which
 * depend on the other images, so the solutions agree to rounding.
 */
class BatchSolveTest {

    private static final int[] SIZES = {40, 13, 9, 4};

    /** Images in [0, 1]; with zeros, about half of the pixels are exactly 0, as in MNIST. */
    private static float[] images(int count, boolean zeros) {
        float[] x = TestNetworks.uniform(count * SIZES[0], 5, zeros ? -1 : 0.05, 1);
        for (int i = 0; i < x.length; i++) {
            x[i] = Math.max(x[i], 0f);
        }
        return x;
    }

    private record Done(int first, int rows) {
    }

    @ParameterizedTest
    @CsvSource({"50, 8, 3, NaN, false, ANDERSON", "50, 8, 3, 1e-4, false, ANDERSON",
        "5, 8, 3, NaN, false, ANDERSON", "64, 64, 2, 1e-4, false, ANDERSON",
        "7, 4, 1, 1e-4, false, PICARD", "50, 8, 3, 1e-4, true, PICARD",
        "64, 64, 2, NaN, true, PICARD"})
    void everyImageOnceAndAsIfAlone(int count, int maxBatch, int workers, double tolerance,
                                    boolean zeros, Solvers solver) {
        // With zeros, Picard: Anderson's safeguard can turn a rounding difference into a
        // different step, which the reference-weights test bounds on real data instead.
        HamNetwork net = TestNetworks.network(SIZES, 3, 1.0);
        float[] x = images(count + 2, zeros);
        int from = 2;
        SolveOptions options = new SolveOptions(30, tolerance, false);
        Update update = Update.EVEN_ODD;
        try (Compute c = Compute.create("plain", workers);
             Compute single = Compute.create("plain", 1)) {
            BatchSolve all = new BatchSolve(net, update, 1.0, solver, c, maxBatch);
            int width = all.width();
            float[] result = new float[(from + count) * width];
            int[] iterations = new int[from + count];
            List<Done> done = Collections.synchronizedList(new ArrayList<>());
            all.solveAll(x, from, count, options, new BatchSolve.BatchHandler() {
                @Override
                public void done(int w, int first, int rows, float[] state, SolveStats stats) {
                    done.add(new Done(first, rows));
                    System.arraycopy(state, 0, result, first * width, rows * width);
                    for (int i = 0; i < rows; i++) {
                        iterations[first + i] = stats.iterations(i);
                    }
                }
            });

            int[] seen = new int[from + count];
            for (Done d : done) {
                assertTrue(d.rows() >= 1 && d.rows() <= maxBatch, "batch of " + d.rows());
                for (int i = d.first(); i < d.first() + d.rows(); i++) {
                    seen[i]++;
                }
            }
            for (int i = 0; i < from + count; i++) {
                assertEquals(i < from ? 0 : 1, seen[i], "times image " + i + " was solved");
            }
            if (count >= workers) {
                assertTrue(done.size() >= workers, "every worker gets a batch");
            }

            BatchSolve alone = new BatchSolve(net, update, 1.0, solver, single, 1);
            for (int i = from; i < from + count; i++) {
                alone.solve(x, i * SIZES[0], 1, options, null);
                float[] expected = java.util.Arrays.copyOf(alone.state(0), width);
                float[] actual = java.util.Arrays.copyOfRange(result, i * width,
                    (i + 1) * width);
                if (zeros) {
                    assertArrayEquals(expected, actual, 1e-5f, "solution of image " + i);
                } else {
                    assertArrayEquals(expected, actual, "solution of image " + i);
                }
                assertEquals(alone.stats(0).iterations(0), iterations[i],
                    "iterations of image " + i);
            }
        }
    }

    @Test
    void nothingToSolveAndImagesOutsideTheArray() {
        HamNetwork net = TestNetworks.network(SIZES, 3, 1.0);
        float[] x = images(4, true);
        try (Compute c = Compute.create("plain", 2)) {
            BatchSolve all = new BatchSolve(net, Update.SYNC, 1.0, Solvers.PICARD, c, 4);
            SolveOptions options = SolveOptions.fixedBudget(5);
            all.solveAll(x, 1, 0, options, (w, first, rows, state, stats) -> {
                throw new AssertionError("no batch expected");
            });
            assertThrows(IllegalArgumentException.class,
                () -> all.solveAll(x, 2, 3, options, (w, first, rows, state, stats) -> { }));
            assertThrows(IllegalArgumentException.class,
                () -> all.solveAll(x, -1, 2, options, (w, first, rows, state, stats) -> { }));
        }
    }
}
