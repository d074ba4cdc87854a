package org.hopdeq4j.eval;

import java.util.Arrays;

import org.hopdeq4j.ham.HamMap;
import org.hopdeq4j.ham.HamNetwork;
import org.hopdeq4j.ham.Update;
import org.hopdeq4j.linalg.Compute;
import org.hopdeq4j.linalg.WorkerPool;
import org.hopdeq4j.solve.FixedPointSolver;
import org.hopdeq4j.solve.IterationListener;
import org.hopdeq4j.solve.SolveOptions;
import org.hopdeq4j.solve.SolveStats;
import org.hopdeq4j.solve.Solvers;

/**
 * The equilibrium of a batch from the zero state, with the batch's rows shared out among the
 * workers of a {@link Compute}: each worker has its own map, solver and state buffer and
 * solves its rows on its own backend. Samples never interact in a solve (the maps, Anderson's
 * coefficients and the convergence measure are all per sample), so the split changes nothing
 * but the rounding of the products, with one exception: with an early-stop tolerance each
 * worker stops when its own rows are below it.
 *
 * <p>All buffers are allocated at construction; a solve allocates nothing. Not thread-safe.
 */
public final class BatchSolve {

    private final Compute compute;
    private final HamMap[] maps;
    private final FixedPointSolver[] solvers;
    private final float[][] states;
    private final SolveStats[] stats;
    private final int[] first;
    private final int[] rows;
    private final int n0;
    private final SolveTask task = new SolveTask();

    /**
     * Workspace for batches of up to {@code maxBatch} rows.
     *
     * @throws IllegalArgumentException if damping is outside (0, 1] or maxBatch < 1
     */
    public BatchSolve(HamNetwork net, Update update, double damping, Solvers solver,
                      Compute compute, int maxBatch) {
        this.compute = compute;
        int workers = compute.workers();
        maps = new HamMap[workers];
        solvers = new FixedPointSolver[workers];
        states = new float[workers][];
        stats = new SolveStats[workers];
        first = new int[workers];
        rows = new int[workers];
        n0 = net.size(0);
        int share = compute.maxShare(maxBatch);
        for (int w = 0; w < workers; w++) {
            maps[w] = new HamMap(net, update, damping, compute.backend(w), share);
            solvers[w] = solver.create(maps[w].width(), share);
            states[w] = new float[share * maps[w].width()];
        }
    }

    /**
     * Solves rows {@code xOff / n_0 ..} of {@code x}: {@code batch} images of n_0 values.
     * {@code listeners}, when not null, holds one listener per worker (entries may be null),
     * each called from its worker's thread with that worker's rows.
     *
     * @throws IllegalArgumentException if batch is outside 1..maxBatch
     */
    public void solve(float[] x, int xOff, int batch, SolveOptions options,
                      IterationListener[] listeners) {
        task.x = x;
        task.xOff = xOff;
        task.options = options;
        task.listeners = listeners;
        for (int w = 0; w < maps.length; w++) {
            first[w] = compute.rowStart(batch, w);
            rows[w] = compute.rowStart(batch, w + 1) - first[w];
        }
        compute.run(task);
    }

    /** Number of workers (shards of a batch). */
    public int workers() {
        return maps.length;
    }

    /** First row of the batch that worker w solved in the last solve. */
    public int firstRow(int w) {
        return first[w];
    }

    /** Rows worker w solved in the last solve (0 when its share was empty). */
    public int rows(int w) {
        return rows[w];
    }

    /** Worker w's solution: {@link #rows(int)} rows of the map's width; live buffer. */
    public float[] state(int w) {
        return states[w];
    }

    /** Worker w's statistics of the last solve; null when its share was empty. */
    public SolveStats stats(int w) {
        return rows[w] == 0 ? null : stats[w];
    }

    /** Worker w's map (its input is the worker's rows of the last solve). */
    public HamMap map(int w) {
        return maps[w];
    }

    /** The solver's state width. */
    public int width() {
        return maps[0].width();
    }

    /** Offset of the output layer in a state row. */
    public int outputOffset() {
        return maps[0].outputOffset();
    }

    /** The parallel part: worker w solves its share. Fields are set before each run. */
    private final class SolveTask implements WorkerPool.Task {
        float[] x;
        int xOff;
        SolveOptions options;
        IterationListener[] listeners;

        @Override
        public void run(int w, int parts) {
            int b = rows[w];
            if (b == 0) {
                return;
            }
            HamMap map = maps[w];
            map.setInput(x, xOff + first[w] * n0, b);
            Arrays.fill(states[w], 0, b * map.width(), 0f);
            stats[w] = solvers[w].solve(map, states[w], b, options,
                listeners == null ? null : listeners[w]);
        }
    }
}
