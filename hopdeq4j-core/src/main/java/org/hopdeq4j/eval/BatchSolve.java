package org.hopdeq4j.eval;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;

import org.hopdeq4j.ham.HamMap;
import org.hopdeq4j.ham.HamNetwork;
import org.hopdeq4j.ham.PackedInputWeights;
import org.hopdeq4j.ham.Update;
import org.hopdeq4j.linalg.Compute;
import org.hopdeq4j.linalg.WorkerPool;
import org.hopdeq4j.solve.FixedPointSolver;
import org.hopdeq4j.solve.IterationListener;
import org.hopdeq4j.solve.SolveOptions;
import org.hopdeq4j.solve.SolveStats;
import org.hopdeq4j.solve.Solvers;

/**
 * Equilibria of images from the zero state on the workers of a {@link Compute}; each worker
 * has its own map, solver and state buffer and solves on its own backend. Two ways to share
 * the work:
 * <ul>
 *   <li>{@link #solve}: one batch, its rows split among the workers (the latency of one
 *       batch);</li>
 *   <li>{@link #solveAll}: many images, in whole batches that the workers take in turn as they
 *       become free (throughput: every product has the batch's full rows, and a worker whose
 *       batch converges early starts the next one instead of waiting).</li>
 * </ul>
 * Samples never interact in a solve (the maps, Anderson's coefficients and the convergence
 * measure are all per sample), so how the work is shared changes nothing but the rounding of
 * the products (among them the input drive's, which runs over the inputs its batch uses), with
 * one exception: with an early-stop tolerance on a map or listener that keeps every row, a
 * batch stops when all its own rows are below it.
 *
 * <p>The workers' input drives share one copy of {@code W_0} in column panels
 * ({@link PackedInputWeights}), made at the first batch and again after the parameters
 * change. All other buffers are allocated at construction; a solve at unchanged parameters
 * allocates nothing. Not thread-safe.
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
    private final int maxBatch;
    private final SolveTask task = new SolveTask();
    private final AllTask allTask = new AllTask();

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
        this.maxBatch = maxBatch;
        // one panel copy of W_0 for all workers' input drives, packed at the first batch
        PackedInputWeights panels = new PackedInputWeights(net);
        for (int w = 0; w < workers; w++) {
            maps[w] = new HamMap(net, update, damping, compute.backend(w), maxBatch);
            maps[w].usePackedInput(panels);
            solvers[w] = solver.create(maps[w].width(), maxBatch);
            states[w] = new float[maxBatch * maps[w].width()];
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

    /** What {@link #solveAll} does around each batch, on the thread of the worker solving it. */
    public interface BatchHandler {

        /**
         * Worker w is about to solve images {@code first .. first + rows - 1}; returns the
         * listener of that solve, or null (the default).
         */
        default IterationListener begin(int w, int first, int rows) {
            return null;
        }

        /**
         * Worker w solved images {@code first .. first + rows - 1}: {@code state} holds their
         * solutions (rows of {@link #width()}; live buffer, valid until the worker's next
         * batch) and {@code stats} their statistics.
         */
        void done(int w, int first, int rows, float[] state, SolveStats stats);
    }

    /**
     * Solves images {@code from .. from + count - 1} of {@code x} (n_0 values each) in
     * batches of up to the largest batch, each batch whole on one worker; workers take the
     * next batch as soon as they finish one. When there are fewer images than workers times
     * the largest batch, the batches are made smaller so that every worker gets one.
     * {@code handler} is called before and after each batch on the worker's thread; worker 0
     * is the caller's thread.
     *
     * @throws IllegalArgumentException if x holds fewer than from + count images
     */
    public void solveAll(float[] x, int from, int count, SolveOptions options,
                         BatchHandler handler) {
        if (from < 0 || count < 0 || ((long) from + count) * n0 > x.length) {
            throw new IllegalArgumentException("expected images " + from + ".." + (from + count)
                + " of " + n0 + " values but got " + x.length + " values");
        }
        if (count == 0) {
            return;
        }
        int workers = maps.length;
        int size = maxBatch;
        if ((long) size * workers > count) {
            size = Math.max(1, (count + workers - 1) / workers);
        }
        allTask.x = x;
        allTask.from = from;
        allTask.count = count;
        allTask.size = size;
        allTask.options = options;
        allTask.handler = handler;
        allTask.next.set(0);
        compute.run(allTask);
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

    /** Whole batches, taken in turn by the workers. Fields are set before each run. */
    private final class AllTask implements WorkerPool.Task {
        final AtomicInteger next = new AtomicInteger();
        float[] x;
        int from;
        int count;
        int size;
        SolveOptions options;
        BatchHandler handler;

        @Override
        public void run(int w, int parts) {
            HamMap map = maps[w];
            int width = map.width();
            while (true) {
                int offset = next.getAndAdd(size);
                if (offset >= count) {
                    return;
                }
                int b = Math.min(size, count - offset);
                int first = from + offset;
                IterationListener listener = handler.begin(w, first, b);
                map.setInput(x, first * n0, b);
                Arrays.fill(states[w], 0, b * width, 0f);
                SolveStats st = solvers[w].solve(map, states[w], b, options, listener);
                handler.done(w, first, b, states[w], st);
            }
        }
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
