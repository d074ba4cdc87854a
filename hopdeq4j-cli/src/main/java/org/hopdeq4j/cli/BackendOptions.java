package org.hopdeq4j.cli;

import org.hopdeq4j.linalg.Compute;
import org.hopdeq4j.linalg.MatMulBackends;

import picocli.CommandLine.Option;

/** The compute options every command shares: matrix backend and worker threads. */
final class BackendOptions {

    @Option(names = "--threads", paramLabel = "N",
        description = "Worker threads; each takes a share of every batch's rows with its own"
            + " single-threaded matrix backend (default: the number of processors,"
            + " ${DEFAULT-VALUE} here).")
    int threads = Runtime.getRuntime().availableProcessors();

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
