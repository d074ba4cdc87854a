package org.hopdeq4j.linalg;

/**
 * A fixed set of daemon threads that run the parts of one task at a time: part 0 on the
 * caller's thread, parts 1 .. parts-1 on the workers, and {@link #run} returns when all are
 * done. The threads are created once and wait on a monitor between tasks, so a task costs
 * two monitor hand-offs and no allocation.
 *
 * <p>One caller at a time: {@link #run} must not be called concurrently or from inside a
 * task. A failure in any part is rethrown to the caller after every part has finished.
 */
public final class WorkerPool implements AutoCloseable {

    /** One part of a parallel task. */
    public interface Task {
        /** Runs part {@code part} of {@code parts}; the parts must not write shared data. */
        void run(int part, int parts);
    }

    private final Thread[] workers;
    private final Object lock = new Object();

    // Guarded by lock.
    private Task task;
    private int parts;
    private long generation;
    private int pending;
    private Throwable failure;
    private boolean closed;

    /**
     * Starts {@code threads - 1} daemon workers named {@code namePrefix-1}, ....
     *
     * @throws IllegalArgumentException when {@code threads < 1}
     */
    public WorkerPool(int threads, String namePrefix) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1 but was " + threads);
        }
        workers = new Thread[threads - 1];
        for (int w = 0; w < workers.length; w++) {
            int index = w + 1;
            Thread t = new Thread(() -> workLoop(index), namePrefix + "-" + index);
            t.setDaemon(true);
            workers[w] = t;
            t.start();
        }
    }

    /** Number of parts a task can have: the workers plus the caller. */
    public int threads() {
        return workers.length + 1;
    }

    /**
     * Runs {@code task} in {@code parts} parts and waits for all of them.
     *
     * @throws IllegalArgumentException when parts is not in {@code [1, threads()]}
     * @throws IllegalStateException when the pool is closed
     */
    public void run(Task task, int parts) {
        if (parts < 1 || parts > threads()) {
            throw new IllegalArgumentException("parts must be in [1, " + threads()
                + "] but was " + parts);
        }
        if (parts == 1) {
            task.run(0, 1);
            return;
        }
        synchronized (lock) {
            if (closed) {
                throw new IllegalStateException("the worker pool is closed");
            }
            this.task = task;
            this.parts = parts;
            this.pending = parts - 1;
            this.failure = null;
            generation++;
            lock.notifyAll();
        }

        Throwable own = null;
        try {
            task.run(0, parts);
        } catch (RuntimeException | Error e) {
            own = e;
        }

        // The workers write into buffers the caller reads next, so wait even when interrupted.
        boolean interrupted = false;
        Throwable theirs;
        synchronized (lock) {
            while (pending > 0) {
                try {
                    lock.wait();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            theirs = failure;
            this.task = null;
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        rethrow(own != null ? own : theirs);
    }

    private static void rethrow(Throwable t) {
        if (t instanceof RuntimeException) {
            throw (RuntimeException) t;
        }
        if (t instanceof Error) {
            throw (Error) t;
        }
    }

    private void workLoop(int index) {
        long seen = 0;
        while (true) {
            Task current;
            int count;
            synchronized (lock) {
                while (generation == seen && !closed) {
                    try {
                        lock.wait();
                    } catch (InterruptedException e) {
                        // Only close() ends a worker; an interrupt is not a request to stop.
                    }
                }
                if (closed) {
                    return;
                }
                seen = generation;
                current = task;
                count = parts;
            }
            if (index >= count) {
                continue;
            }

            Throwable thrown = null;
            try {
                current.run(index, count);
            } catch (RuntimeException | Error e) {
                thrown = e;
            }
            synchronized (lock) {
                if (thrown != null && failure == null) {
                    failure = thrown;
                }
                pending--;
                if (pending == 0) {
                    lock.notifyAll();
                }
            }
        }
    }

    /** Stops the workers once they finish the current task; idempotent. */
    @Override
    public void close() {
        synchronized (lock) {
            closed = true;
            lock.notifyAll();
        }
    }
}
