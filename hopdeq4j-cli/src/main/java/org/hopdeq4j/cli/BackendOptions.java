package org.hopdeq4j.cli;

import org.hopdeq4j.linalg.Compute;
import org.hopdeq4j.linalg.MatMulBackends;

import picocli.CommandLine.Option;

/** The compute options every command shares: matrix backend and worker threads. */
final class BackendOptions {

    /**
     * Most workers by default: a batch of 64 split further gives products of under 16 rows,
     * where the backends lose much of their speed.
     */
    static final int MAX_DEFAULT_THREADS = 4;

    @Option(names = "--threads", paramLabel = "N",
        description = "Worker threads; each takes a share of every batch's rows with its own"
            + " single-threaded matrix backend (default: the number of processors, at most "
            + MAX_DEFAULT_THREADS + "; ${DEFAULT-VALUE} here).")
    int threads = Math.min(MAX_DEFAULT_THREADS, Runtime.getRuntime().availableProcessors());

    @Option(names = "--backend", paramLabel = "NAME",
        description = "Matrix backend: auto, openblas, java or plain (default: ${DEFAULT-VALUE};"
            + " auto takes OpenBLAS when its native library loads, else pure Java).")
    String backend = "auto";

    /** Creates the workers and their backends; the caller closes them. */
    Compute create() {
        if (threads < 1) {
            throw new UserError("--threads must be >= 1 but was " + threads);
        }
        return Compute.create(backend, threads);
    }
}
