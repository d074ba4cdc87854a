package org.hopdeq4j.linalg;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Compiles the Vector API kernels ahead of their first real call. Until the JIT has compiled
 * it, Vector API code makes an object of every vector, and the kernels of the input drive
 * ({@link NonZeroCounts}, {@link PanelMatrix}, {@link SparseRows}) are called once per
 * batch, so a short run would spend its first few hundred milliseconds in them: a one-shot
 * {@code evaluate} of the 2,004 embedded test images ran at half its speed.
 * {@link #startInBackground()} runs them on made-up data in a daemon thread, which the
 * command line starts while it loads the data. The made-up data must take every branch a
 * real call takes: the JIT compiles only the branches it has seen and throws the compiled
 * code away at the first other one, which then costs as much as no warm-up (a warm-up whose
 * groups of rows all began with an empty list made the one-shot {@code evaluate} above run
 * at a third of its speed).
 * No result of any call depends on it.
 */
public final class KernelWarmUp {

    private static final AtomicBoolean STARTED = new AtomicBoolean();

    private KernelWarmUp() {
    }

    /**
     * Starts, once per JVM, a daemon thread that runs each Vector API kernel in use on a
     * small made-up problem until the JIT has compiled it: about 0.5 s of one core. Does
     * nothing when no kernel uses the Vector API.
     */
    public static void startInBackground() {
        if (!(SparseRows.VECTOR || NonZeroCounts.VECTOR || PanelMatrix.VECTOR)
            || !STARTED.compareAndSet(false, true)) {
            return;
        }
        Thread t = new Thread(KernelWarmUp::run, "hopdeq4j-warm-up");
        t.setDaemon(true);
        t.start();
    }

    private static void run() {
        // the largest, slowest to compile, first
        if (PanelMatrix.VECTOR) {
            PanelMatrix.warmUp();
        }
        if (NonZeroCounts.VECTOR) {
            NonZeroCounts.warmUp();
        }
        if (SparseRows.VECTOR) {
            SparseRows.warmUp();
        }
    }
}
