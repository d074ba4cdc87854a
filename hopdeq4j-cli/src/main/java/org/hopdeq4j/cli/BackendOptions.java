package org.hopdeq4j.cli;

import org.hopdeq4j.linalg.MatMul;
import org.hopdeq4j.linalg.MatMulBackends;

import picocli.CommandLine.Option;

/** The compute options every command shares: matrix backend and thread count. */
final class BackendOptions {

    @Option(names = "--threads", paramLabel = "N",
        description = "Threads for matrix products (default: ${DEFAULT-VALUE}).")
    int threads = 1;

    @Option(names = "--backend", paramLabel = "NAME",
        description = "Matrix backend: auto, openblas, java or plain (default: ${DEFAULT-VALUE};"
            + " auto takes OpenBLAS when its native library loads, else pure Java).")
    String backend = "auto";

    /** Creates the chosen backend; the caller closes it. */
    MatMul create() {
        if (threads < 1) {
            throw new UserError("--threads must be >= 1 but was " + threads);
        }
        return MatMulBackends.create(backend, threads);
    }
}
