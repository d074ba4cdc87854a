package org.hopdeq4j.linalg;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * The compute resources of a run: one matrix backend per worker thread and a pool that runs
 * one part of a task on each. Work is split by data: each worker takes a contiguous share of
 * a batch's rows ({@link #rowStart}) and runs its own map, solver and backward pass on it with
 * its own single-threaded backend, so no product waits on another thread and the activations
 * and solver bookkeeping run in parallel too. Measurements behind this choice are in
 * docs/design-notes.md.
 *
 * <p>Backends are not thread-safe; worker {@code w} uses only {@link #backend(int) backend(w)}.
 * A weight array pinned for reading must be pinned in every backend ({@link #pinAll}).
 */
public final class Compute implements AutoCloseable {

    // an array, not a list: the per-step loops over it must not allocate iterators
    private final MatMul[] backends;
    private final boolean owns;
    private final WorkerPool pool;
    private final Map<float[], Integer> pins = new IdentityHashMap<>();

    private Compute(List<MatMul> backends, boolean owns) {
        if (backends.isEmpty()) {
            throw new IllegalArgumentException("a compute context needs at least one backend");
        }
        this.backends = backends.toArray(new MatMul[0]);
        this.owns = owns;
        this.pool = new WorkerPool(this.backends.length, "hopdeq4j-worker");
    }

    /**
     * {@code threads} workers, each with its own single-threaded backend {@code name} (see
     * {@link MatMulBackends#create}). The caller closes the result.
     *
     * @throws IllegalArgumentException when threads is below 1 or the name is unknown
     * @throws IllegalStateException when the backend cannot be loaded
     */
    public static Compute create(String name, int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1 but was " + threads);
        }
        List<MatMul> list = new ArrayList<>();
        try {
            for (int w = 0; w < threads; w++) {
                list.add(MatMulBackends.create(name, 1));
            }
        } catch (RuntimeException e) {
            list.forEach(MatMul::close);
            throw e;
        }
        return new Compute(list, true);
    }

    /** One worker, the caller's thread, on {@code mm}; closing the result leaves mm open. */
    public static Compute single(MatMul mm) {
        return new Compute(List.of(mm), false);
    }

    /**
     * The same workers with every backend wrapped (for instance to record its products); the
     * result shares the backends and closing it closes neither them nor this context.
     */
    public Compute wrap(UnaryOperator<MatMul> wrapper) {
        List<MatMul> wrapped = new ArrayList<>();
        for (MatMul mm : backends) {
            wrapped.add(wrapper.apply(mm));
        }
        return new Compute(wrapped, false);
    }

    /** Number of workers. */
    public int workers() {
        return backends.length;
    }

    /** The backend of worker {@code w}. */
    public MatMul backend(int w) {
        return backends[w];
    }

    /** The backends' name, as reported in run metadata. */
    public String backendName() {
        return backends[0].name();
    }

    /**
     * Runs {@code task} with one part per worker, part 0 on the caller's thread, and waits for
     * all; a failure in any part is rethrown after all have finished.
     */
    public void run(WorkerPool.Task task) {
        pool.run(task, backends.length);
    }

    /**
     * First row of worker {@code w}'s share of a batch of {@code batch} rows; shares differ by
     * at most one row, and {@code rowStart(batch, workers())} is {@code batch}. A worker whose
     * share is empty has nothing to do.
     */
    public int rowStart(int batch, int w) {
        return (int) ((long) batch * w / backends.length);
    }

    /**
     * The most rows any worker gets of a batch of at most {@code maxBatch} rows:
     * {@code ceil(maxBatch / workers())}, at least 1. Workspace sized for it fits every share.
     */
    public int maxShare(int maxBatch) {
        return Math.max(1, (maxBatch + backends.length - 1) / backends.length);
    }

    /**
     * Pins {@code array} in every backend. Pins are counted: an array pinned twice stays
     * resident until it is unpinned twice, so nested users (a trainer and the evaluation it
     * runs) do not undo each other.
     */
    public void pinAll(float[] array) {
        int count = pins.merge(array, 1, Integer::sum);
        if (count == 1) {
            for (MatMul mm : backends) {
                mm.pin(array);
            }
        }
    }

    /** Refreshes {@code array} in every backend. */
    public void refreshAll(float[] array) {
        for (MatMul mm : backends) {
            mm.refresh(array);
        }
    }

    /** Drops one pin of {@code array}; the last one unpins it from every backend. */
    public void unpinAll(float[] array) {
        Integer count = pins.get(array);
        if (count == null) {
            return;
        }
        if (count > 1) {
            pins.put(array, count - 1);
        } else {
            pins.remove(array);
            for (MatMul mm : backends) {
                mm.unpin(array);
            }
        }
    }

    /** Stops the pool and closes the backends this context created. */
    @Override
    public void close() {
        pool.close();
        if (owns) {
            for (MatMul mm : backends) {
                mm.close();
            }
        }
    }
}
