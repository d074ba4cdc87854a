package org.hopdeq4j.linalg;

import java.nio.FloatBuffer;
import java.util.IdentityHashMap;

import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.openblas.global.openblas;

/**
 * Matrix products by OpenBLAS {@code cblas_sgemm} (row-major), called through the JavaCPP
 * presets on off-heap buffers.
 *
 * <p>The presets' {@code float[]} overloads copy whole arrays on every call, so this backend
 * manages native memory itself:
 * <ul>
 * <li>a {@link #pin pinned} array gets a resident off-heap copy of the whole array, used by
 * every product that reads it; {@link #refresh} marks it stale and the next product that
 * reads it copies it again; {@link #unpin} frees it. A pinned array written as C by this
 * backend is also marked stale;</li>
 * <li>any other operand is copied per call into a reusable off-heap scratch buffer, exactly
 * its stored rows times columns, packed with leading dimension = columns; C's m x n block
 * is copied in only when {@code beta != 0} and always copied back, row by row, so elements
 * of the array outside the block are never written.</li>
 * </ul>
 * Copies go through direct {@link FloatBuffer} views (bulk copies, no call into native code
 * per row). Scratch buffers grow when needed and are kept, so a steady sequence of products
 * allocates nothing.
 *
 * <p>The thread count is a process-wide OpenBLAS setting ({@code blas_set_num_threads});
 * this backend sets it before a product whenever the last value set differs. OpenBLAS
 * worker threads keep spinning for a while after a product and slow down when another
 * process competes for the cores (see docs/design-notes.md).
 *
 * <p>An instance is not thread-safe: use one per calling thread. {@link #close} frees all
 * native memory; a closed backend throws on use.
 */
public final class OpenBlasMatMul implements MatMul {

    /** The backend's name in run metadata and on the command line. */
    public static final String NAME = "openblas";

    /** Thread count last passed to OpenBLAS, process-wide; 0 before the first product. */
    private static volatile int threadsSet;

    private final int threads;
    private final IdentityHashMap<float[], Resident> pinned = new IdentityHashMap<>();
    private final Scratch aScratch = new Scratch();
    private final Scratch bScratch = new Scratch();
    private final Scratch cScratch = new Scratch();
    private boolean closed;

    /**
     * Creates a backend that lets OpenBLAS use {@code threads} threads per product.
     *
     * @throws IllegalArgumentException when {@code threads < 1}
     * @throws IllegalStateException when the native library cannot be loaded; the message
     *     says why
     */
    public OpenBlasMatMul(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1 but was " + threads);
        }
        String failure = unavailableReason();
        if (failure != null) {
            throw new IllegalStateException("the openblas matrix backend is unavailable: "
                + failure);
        }
        this.threads = threads;
    }

    /**
     * Whether the OpenBLAS native library loads and multiplies correctly on this machine.
     * The first call loads it (about a second); never throws.
     */
    public static boolean isAvailable() {
        return unavailableReason() == null;
    }

    /**
     * Why the native library is unavailable, as one line, or null when it is available.
     * Never throws: any failure to load, link or run (UnsatisfiedLinkError,
     * NoClassDefFoundError, ExceptionInInitializerError, a wrong result) is described here.
     */
    public static String unavailableReason() {
        return Probe.FAILURE;
    }

    /**
     * {@code C = alpha * op(A) * op(B) + beta * C} (row-major) by {@code cblas_sgemm}, see
     * {@link MatMul}. Reads {@code a} and {@code b} (or their resident copies when pinned),
     * writes only the m x n block of {@code c}. {@code beta == 0} ignores the old contents
     * of C; {@code alpha == 0} or {@code k == 0} scales C in Java without reading A and B.
     * NaN and infinities propagate as OpenBLAS computes them.
     *
     * @throws NullPointerException when an array is null
     * @throws IllegalArgumentException when a size, offset or leading dimension is invalid,
     *     an operand runs past its array, or C is the same array as A or B
     * @throws IllegalStateException when the backend is closed
     */
    @Override
    public void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
                     float[] a, int aOff, int lda,
                     float[] b, int bOff, int ldb,
                     float beta, float[] c, int cOff, int ldc) {
        GemmArgs.check(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc);
        ensureOpen();
        if (nothingToMultiply(m, n, k, alpha, beta, c, cOff, ldc)) {
            return;
        }

        // Each operand: a resident copy addressed at its own offset, or a packed scratch copy.
        int aCols = transA ? m : k;
        FloatPointer pa = operand(aScratch, a, aOff, lda, transA ? k : m, aCols);
        int bCols = transB ? k : n;
        FloatPointer pb = operand(bScratch, b, bOff, ldb, transB ? n : k, bCols);
        multiply(transA, transB, m, n, k, alpha, pa, residentLd(a, lda, aCols), pb,
            residentLd(b, ldb, bCols), beta, c, cOff, ldc);
    }

    /**
     * Handles the products that need no native call: an empty C, or {@code alpha == 0} or
     * {@code k == 0}, where C is only scaled by beta. Returns whether it did.
     */
    private boolean nothingToMultiply(int m, int n, int k, float alpha, float beta, float[] c,
                                      int cOff, int ldc) {
        if (m == 0 || n == 0) {
            return true;
        }
        if (alpha == 0f || k == 0) {
            GemmArgs.scale(m, n, beta, c, cOff, ldc);
            markWritten(c);
            return true;
        }
        return false;
    }

    /** An operand's native address: its resident copy at off, or a packed copy in scratch. */
    private FloatPointer operand(Scratch scratch, float[] x, int off, int ld, int rows,
                                 int cols) {
        Resident r = resident(x);
        return r != null ? r.pointer.position(off) : scratch.load(x, off, ld, rows, cols);
    }

    /** The leading dimension of what {@link #operand} returned for x. */
    private int residentLd(float[] x, int ld, int cols) {
        return pinned.containsKey(x) ? ld : cols;
    }

    /**
     * The product on native operands into C (through the C buffer, loaded when beta is not
     * 0), then C marked written.
     */
    private void multiply(boolean transA, boolean transB, int m, int n, int k, float alpha,
                          FloatPointer pa, int aLd, FloatPointer pb, int bLd, float beta,
                          float[] c, int cOff, int ldc) {
        FloatPointer pc = beta == 0f
            ? cScratch.reserve((long) m * n)
            : cScratch.load(c, cOff, ldc, m, n);

        setThreads(threads);
        openblas.cblas_sgemm(openblas.CblasRowMajor,
            transA ? openblas.CblasTrans : openblas.CblasNoTrans,
            transB ? openblas.CblasTrans : openblas.CblasNoTrans,
            m, n, k, alpha, pa, aLd, pb, bLd, beta, pc, n);

        cScratch.store(c, cOff, ldc, m, n);
        markWritten(c);
    }

    /**
     * Gathers the selected rows of B straight into the native B buffer, from B's resident copy
     * when it is pinned; {@code scratch} is not used.
     */
    @Override
    public void gemmRowsOfB(int m, int n, int k, float alpha, float[] a, int aOff, int lda,
                            float[] b, int bOff, int ldb, int[] rows, float beta,
                            float[] c, int cOff, int ldc, float[] scratch) {
        GemmArgs.checkRowsOfB(m, n, k, a, aOff, lda, b, bOff, ldb, rows, c, cOff, ldc);
        ensureOpen();
        if (nothingToMultiply(m, n, k, alpha, beta, c, cOff, ldc)) {
            return;
        }

        FloatPointer pa = operand(aScratch, a, aOff, lda, m, k);
        FloatPointer pb = bScratch.reserve((long) k * n);
        FloatBuffer gathered = bScratch.buffer;
        Resident rb = resident(b);
        for (int i = 0; i < k; i++) {
            int from = bOff + rows[i] * ldb;
            if (rb != null) {
                gathered.put(i * n, rb.buffer, from, n);
            } else {
                gathered.put(i * n, b, from, n);
            }
        }
        multiply(false, false, m, n, k, alpha, pa, residentLd(a, lda, k), pb, n, beta,
            c, cOff, ldc);
    }

    @Override
    public boolean gathersRowsItself() {
        return true;
    }

    private static void setThreads(int count) {
        // checked before locking: workers that all use one thread never contend for the lock
        if (threadsSet != count) {
            synchronized (OpenBlasMatMul.class) {
                if (threadsSet != count) {
                    openblas.blas_set_num_threads(count);
                    threadsSet = count;
                }
            }
        }
    }

    /** The current resident copy of a pinned array (recopied if stale), or null. */
    private Resident resident(float[] array) {
        Resident r = pinned.get(array);
        if (r != null && r.stale) {
            r.buffer.put(0, array, 0, array.length);
            r.stale = false;
        }
        return r;
    }

    private void markWritten(float[] c) {
        Resident r = pinned.get(c);
        if (r != null) {
            r.stale = true;
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("the openblas matrix backend is closed");
        }
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int threads() {
        return threads;
    }

    /**
     * Gives {@code array} a resident off-heap copy (its whole length), copied now. Pinning a
     * pinned array does nothing.
     *
     * @throws NullPointerException when {@code array} is null
     * @throws IllegalStateException when the backend is closed
     */
    @Override
    public void pin(float[] array) {
        if (array == null) {
            throw new NullPointerException("pin: array is null");
        }
        ensureOpen();
        if (!pinned.containsKey(array)) {
            Resident r = new Resident(array.length);
            r.buffer.put(0, array, 0, array.length);
            r.stale = false;
            pinned.put(array, r);
        }
    }

    /** Marks a pinned array's resident copy stale; the next product that reads it recopies. */
    @Override
    public void refresh(float[] array) {
        markWritten(array);
    }

    /** Frees the resident copy of {@code array}; an array that is not pinned is ignored. */
    @Override
    public void unpin(float[] array) {
        Resident r = pinned.remove(array);
        if (r != null) {
            r.pointer.close();
        }
    }

    /** Frees all native memory (resident copies and scratch); idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (Resident r : pinned.values()) {
            r.pointer.close();
        }
        pinned.clear();
        aScratch.free();
        bScratch.free();
        cScratch.free();
    }

    /** A pinned array's off-heap copy. */
    private static final class Resident {
        final FloatPointer pointer;
        final FloatBuffer buffer;
        boolean stale = true;

        Resident(int length) {
            // A zero-length pointer would be null in native code; keep at least one element.
            pointer = new FloatPointer(Math.max(1, length));
            buffer = pointer.asBuffer();
        }
    }

    /** A growable off-heap buffer holding one operand packed with ld = columns. */
    private static final class Scratch {
        private FloatPointer pointer;
        private FloatBuffer buffer;
        private long capacity;

        /** Makes room for {@code size} elements and returns the buffer at position 0. */
        FloatPointer reserve(long size) {
            if (size > capacity) {
                free();
                // Grow by a quarter more than asked, so slowly growing sizes do not
                // reallocate on every call.
                long grown = Math.max(size, capacity + capacity / 4);
                if (grown > Integer.MAX_VALUE) {
                    grown = size;
                }
                pointer = new FloatPointer(grown);
                buffer = pointer.asBuffer();
                capacity = grown;
            }
            return pointer.position(0);
        }

        /** Copies the stored rows x cols block of {@code x} in, packed (ld = cols). */
        FloatPointer load(float[] x, int off, int ld, int rows, int cols) {
            FloatPointer p = reserve((long) rows * cols);
            if (ld == cols) {
                buffer.put(0, x, off, rows * cols);
            } else {
                for (int r = 0; r < rows; r++) {
                    buffer.put(r * cols, x, off + r * ld, cols);
                }
            }
            return p;
        }

        /** Copies the packed rows x cols block back into {@code x}, row by row. */
        void store(float[] x, int off, int ld, int rows, int cols) {
            if (ld == cols) {
                buffer.get(0, x, off, rows * cols);
            } else {
                for (int r = 0; r < rows; r++) {
                    buffer.get(r * cols, x, off + r * ld, cols);
                }
            }
        }

        void free() {
            if (pointer != null) {
                pointer.close();
                pointer = null;
                buffer = null;
                capacity = 0;
            }
        }
    }

    /** Loads the native library once, on first use, and records why it failed if it did. */
    private static final class Probe {
        static final String FAILURE = probe();

        private static String probe() {
            try {
                Loader.load(openblas.class);

                // A 2 x 2 product checks that cblas_sgemm is really there and works.
                try (FloatPointer a = new FloatPointer(1f, 2f, 3f, 4f);
                     FloatPointer b = new FloatPointer(5f, 6f, 7f, 8f);
                     FloatPointer c = new FloatPointer(4)) {
                    openblas.cblas_sgemm(openblas.CblasRowMajor, openblas.CblasNoTrans,
                        openblas.CblasNoTrans, 2, 2, 2, 1f, a, 2, b, 2, 0f, c, 2);
                    if (c.get(0) != 19f || c.get(1) != 22f || c.get(2) != 43f
                        || c.get(3) != 50f) {
                        return "cblas_sgemm returned a wrong 2 x 2 product";
                    }
                }
                return null;
            } catch (Throwable t) {
                // Any failure to load or link (UnsatisfiedLinkError, NoClassDefFoundError,
                // ExceptionInInitializerError, ...) means: use a Java backend instead.
                String message = t.getMessage();
                return t.getClass().getSimpleName()
                    + (message == null ? "" : ": " + message.replace('\n', ' '));
            }
        }
    }
}
