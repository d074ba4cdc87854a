package org.hopdeq4j.linalg;

import com.sun.management.HotSpotDiagnosticMXBean;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;

/**
 * A pure-Java matrix product, fast where HotSpot's C2 compiler vectorises its inner loop.
 *
 * <p>It computes {@code T = S * P} row by row, {@code T[r][l] += a * P[p][l]}, where the panel
 * {@code P} (depth k) is one operand packed into one float array per row and {@code S} is the
 * other operand read element by element. Either orientation is used, whichever a cost model
 * (multiply-adds weighted by the vector efficiency of the inner length, plus packing) finds
 * cheaper:
 * <ul>
 * <li>direct: {@code C = op(A) op(B)}, panel {@code op(B)} (k x n), inner loop over n;</li>
 * <li>transposed: {@code C^T = op(B)^T op(A)^T}, panel {@code op(A)^T} (k x m), inner loop
 * over m, and the result written back transposed.</li>
 * </ul>
 * The panel rows are separate arrays because the JDK 17 (and 25) loop vectoriser gives up on a
 * loop that stores into one flat array at one variable offset and loads from another at a
 * different one; with a zero-based index into distinct arrays it emits AVX code. The inner
 * loop updates one result row from four panel rows at once ({@code Math.fma} when the JVM
 * uses FMA instructions, else multiply and add), so a result element is loaded and stored
 * once per four multiply-adds. The loops are blocked (256 panel rows times 512 columns, a
 * block fits the L2 cache) and the result row segment stays in L1.
 *
 * <p>Scratch arrays (packed panel, result rows) are kept and grown when a larger product
 * needs them, so a steady sequence of products allocates nothing. An operand array that is
 * {@link #pin pinned} keeps its packed panel between calls until {@link #refresh} or until
 * the array is written as C by this backend.
 *
 * <p>With {@code threads > 1} a fixed pool of daemon threads, created once, splits a product
 * of at least 2^20 multiply-adds over the longer of the result's two dimensions; smaller
 * products run on the caller's thread. {@code threads == 1} never leaves the caller's thread.
 *
 * <p>An instance is not thread-safe: use one per calling thread. Measured speeds are in
 * docs/design-notes.md.
 */
public final class JavaMatMul implements MatMul {

    /** The backend's name in run metadata and on the command line. */
    public static final String NAME = "java";

    /** Panel rows (depth) per cache block. */
    static final int K_BLOCK = 256;

    /** Columns (inner loop length) per cache block. */
    static final int L_BLOCK = 512;

    /** Products with fewer multiply-adds than this run on one thread. */
    static final long PARALLEL_MIN_MULTIPLY_ADDS = 1L << 20;

    /** Cost model weights, in multiply-adds per element (see orientation choice). */
    private static final double COPY_COST = 2.0;
    private static final double TRANSPOSE_COST = 6.0;

    /** A pinned array keeps at most this many packed panels (distinct sub-blocks). */
    private static final int MAX_PANELS_PER_ARRAY = 4;

    /** Whether the JVM compiles Math.fma to an FMA instruction (else it is very slow). */
    private static final boolean FMA = detectFma();

    /** Which formulation a product uses; tests force each one. */
    enum Orientation {
        /** Chosen per call by the cost model. */
        AUTO,
        /** {@code C = op(A) op(B)} with the panel {@code op(B)}. */
        DIRECT,
        /** {@code C^T = op(B)^T op(A)^T} with the panel {@code op(A)^T}. */
        TRANSPOSED
    }

    private final int threads;
    private final WorkerPool pool;
    private final Orientation orientation;
    private final IdentityHashMap<float[], List<Panel>> pinned = new IdentityHashMap<>();
    private final Panel scratchPanel = new Panel();
    private final Job job = new Job();
    private float[][] result = new float[0][];

    /**
     * Creates a backend that uses up to {@code threads} threads per product.
     *
     * @throws IllegalArgumentException when {@code threads < 1}
     */
    public JavaMatMul(int threads) {
        this(threads, Orientation.AUTO);
    }

    /** Creates a backend with a fixed orientation, for tests. */
    JavaMatMul(int threads, Orientation orientation) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1 but was " + threads);
        }
        this.threads = threads;
        this.orientation = orientation;
        this.pool = threads > 1 ? new WorkerPool(threads, "hopdeq4j-matmul") : null;
    }

    /**
     * {@code C = alpha * op(A) * op(B) + beta * C} (row-major), see {@link MatMul}. Reads
     * {@code a} and {@code b} (or their packed copies when pinned), writes only the m x n
     * block of {@code c}. {@code beta == 0} ignores the old contents of C; {@code alpha == 0}
     * or {@code k == 0} does not read A and B. NaN and infinities propagate as IEEE
     * arithmetic says; sums are accumulated in float in blocked order.
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
        if (m == 0 || n == 0) {
            return;
        }
        if (alpha == 0f || k == 0) {
            GemmArgs.scale(m, n, beta, c, cOff, ldc);
            markWritten(c);
            return;
        }

        Job j = job;
        j.depth = k;
        j.alpha = alpha;
        j.beta = beta;
        j.c = c;
        j.cOff = cOff;
        j.ldc = ldc;
        if (transposed(transA, transB, m, n, k, a, b, beta)) {
            // C^T (n x m) = op(B)^T op(A)^T: S = op(B)^T, panel = op(A)^T.
            j.transposedOut = true;
            j.rows = n;
            j.width = m;
            j.s = b;
            j.sOff = bOff;
            j.sRow = transB ? ldb : 1;
            j.sCol = transB ? 1 : ldb;
            preparePanel(a, aOff, lda, transA, k, m);
        } else {
            // C (m x n) = op(A) op(B): S = op(A), panel = op(B).
            j.transposedOut = false;
            j.rows = m;
            j.width = n;
            j.s = a;
            j.sOff = aOff;
            j.sRow = transA ? 1 : lda;
            j.sCol = transA ? lda : 1;
            preparePanel(b, bOff, ldb, !transB, k, n);
        }
        ensureResult(j.rows, j.width);
        j.result = result;

        long multiplyAdds = (long) m * n * k;
        int parts = pool != null && multiplyAdds >= PARALLEL_MIN_MULTIPLY_ADDS ? threads : 1;
        j.splitColumns = j.width >= j.rows;
        try {
            if (parts > 1 && j.needPack && !j.splitColumns) {
                // Every row-part reads the whole panel: pack it first, split over depth.
                j.phase = Job.PACK;
                pool.run(j, parts);
                j.needPack = false;
            }
            j.phase = Job.COMPUTE;
            if (parts > 1) {
                pool.run(j, parts);
            } else {
                j.run(0, 1);
            }
        } finally {
            j.s = null;
            j.x = null;
            j.c = null;
        }
        if (j.packed != null) {
            j.packed.stale = false;
            j.packed = null;
        }
        markWritten(c);
    }

    /** Decides the orientation: forced, or the cheaper one by the cost model. */
    private boolean transposed(boolean transA, boolean transB, int m, int n, int k,
                               float[] a, float[] b, float beta) {
        if (orientation != Orientation.AUTO) {
            return orientation == Orientation.TRANSPOSED;
        }
        double multiplyAdds = (double) m * n * k;
        double direct = multiplyAdds / vectorEfficiency(n);
        if (!pinned.containsKey(b)) {
            direct += packCost(k, n, !transB);
        }
        double transposed = multiplyAdds / vectorEfficiency(m)
            + TRANSPOSE_COST * m * n * (beta == 0f ? 1 : 2);
        if (!pinned.containsKey(a)) {
            transposed += packCost(k, m, transA);
        }
        return transposed < direct;
    }

    private static double packCost(int depth, int width, boolean contiguous) {
        return (contiguous ? COPY_COST : TRANSPOSE_COST) * depth * width;
    }

    /**
     * Relative speed of the vectorised inner loop over {@code length} elements: short loops
     * pay for the scalar pre- and post-loops (measured: 0.75 at 64, 0.4 at 16).
     */
    private static double vectorEfficiency(int length) {
        return length / (length + 24.0);
    }

    /**
     * Sets up the panel (depth x width) packed from {@code x}: element (p, l) is
     * {@code x[off + p * ld + l]} when {@code contiguous}, else {@code x[off + l * ld + p]}.
     * A pinned array's packed copy is reused when current.
     */
    private void preparePanel(float[] x, int off, int ld, boolean contiguous,
                              int depth, int width) {
        Job j = job;
        j.x = x;
        j.xOff = off;
        j.xLd = ld;
        j.xContiguous = contiguous;
        j.packed = null;

        List<Panel> panels = pinned.get(x);
        if (panels == null) {
            scratchPanel.ensure(depth, width);
            j.panel = scratchPanel.rows;
            j.needPack = true;
            return;
        }

        Panel found = null;
        for (Panel p : panels) {
            if (p.matches(off, ld, contiguous, depth, width)) {
                found = p;
                break;
            }
        }
        if (found == null) {
            if (panels.size() >= MAX_PANELS_PER_ARRAY) {
                panels.remove(0);
            }
            found = new Panel();
            found.off = off;
            found.ld = ld;
            found.contiguous = contiguous;
            found.depth = depth;
            found.width = width;
            found.ensure(depth, width);
            panels.add(found);
        }
        j.panel = found.rows;
        j.needPack = found.stale;
        j.packed = found.stale ? found : null;
    }

    /** Grows the result rows so that {@code rows} rows hold {@code width} elements. */
    private void ensureResult(int rows, int width) {
        if (result.length < rows) {
            result = Arrays.copyOf(result, rows);
        }
        for (int r = 0; r < rows; r++) {
            if (result[r] == null || result[r].length < width) {
                result[r] = new float[width];
            }
        }
    }

    /** An array written as C invalidates its packed copies. */
    private void markWritten(float[] c) {
        List<Panel> panels = pinned.get(c);
        if (panels != null) {
            for (Panel p : panels) {
                p.stale = true;
            }
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
     * Keeps packed copies of {@code array} between products (at most four sub-blocks per
     * array, about the array's size each). Pinning a pinned array does nothing.
     *
     * @throws NullPointerException when {@code array} is null
     */
    @Override
    public void pin(float[] array) {
        if (array == null) {
            throw new NullPointerException("pin: array is null");
        }
        pinned.computeIfAbsent(array, x -> new ArrayList<>());
    }

    /** Marks the packed copies of a pinned array stale; the next product repacks them. */
    @Override
    public void refresh(float[] array) {
        markWritten(array);
    }

    /** Drops the packed copies of {@code array}; an array that is not pinned is ignored. */
    @Override
    public void unpin(float[] array) {
        pinned.remove(array);
    }

    /** Stops the worker threads and drops all scratch and packed copies; idempotent. */
    @Override
    public void close() {
        if (pool != null) {
            pool.close();
        }
        pinned.clear();
        scratchPanel.rows = new float[0][];
        result = new float[0][];
    }

    private static boolean detectFma() {
        try {
            HotSpotDiagnosticMXBean bean =
                ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
            return bean != null && "true".equals(bean.getVMOption("UseFMA").getValue());
        } catch (RuntimeException | LinkageError e) {
            // Not HotSpot, or no such option: multiply and add is always fast.
            return false;
        }
    }

    /** A packed operand: one float array per panel row, plus the layout it was packed from. */
    private static final class Panel {
        float[][] rows = new float[0][];
        int off;
        int ld;
        boolean contiguous;
        int depth;
        int width;
        boolean stale = true;

        boolean matches(int off, int ld, boolean contiguous, int depth, int width) {
            return this.off == off && this.ld == ld && this.contiguous == contiguous
                && this.depth == depth && this.width == width;
        }

        void ensure(int depth, int width) {
            if (rows.length < depth) {
                rows = Arrays.copyOf(rows, depth);
            }
            for (int p = 0; p < depth; p++) {
                if (rows[p] == null || rows[p].length < width) {
                    rows[p] = new float[width];
                }
            }
        }
    }

    /**
     * One product's plan, run in parts by the worker pool. Fields are set by gemm before a
     * run and read by all parts; each part writes a disjoint range of panel rows, result
     * rows and C elements.
     */
    private static final class Job implements WorkerPool.Task {
        static final int PACK = 0;
        static final int COMPUTE = 1;

        int phase;
        int rows;
        int width;
        int depth;
        float alpha;
        float beta;
        boolean splitColumns;

        // S[r][p] = s[sOff + r * sRow + p * sCol]
        float[] s;
        int sOff;
        int sRow;
        int sCol;

        // Panel source and target.
        float[] x;
        int xOff;
        int xLd;
        boolean xContiguous;
        boolean needPack;
        float[][] panel;
        Panel packed;

        float[][] result;
        boolean transposedOut;
        float[] c;
        int cOff;
        int ldc;

        @Override
        public void run(int part, int parts) {
            if (phase == PACK) {
                int p0 = split(depth, part, parts, 1);
                int p1 = split(depth, part + 1, parts, 1);
                pack(p0, p1, 0, width);
                return;
            }

            int r0 = 0;
            int r1 = rows;
            int l0 = 0;
            int l1 = width;
            if (splitColumns) {
                l0 = split(width, part, parts, 8);
                l1 = split(width, part + 1, parts, 8);
            } else {
                r0 = split(rows, part, parts, 1);
                r1 = split(rows, part + 1, parts, 1);
            }
            if (needPack && l0 < l1) {
                pack(0, depth, l0, l1);
            }
            if (r0 < r1 && l0 < l1) {
                compute(r0, r1, l0, l1);
            }
        }

        /** Start of part {@code part} of {@code total} split in {@code parts}, aligned. */
        private static int split(int total, int part, int parts, int align) {
            if (part >= parts) {
                return total;
            }
            long units = (total + align - 1) / align;
            long start = units * part / parts * align;
            return (int) Math.min(total, start);
        }

        /** Packs panel rows {@code [p0, p1)}, columns {@code [l0, l1)}. */
        private void pack(int p0, int p1, int l0, int l1) {
            if (xContiguous) {
                for (int p = p0; p < p1; p++) {
                    System.arraycopy(x, xOff + p * xLd + l0, panel[p], l0, l1 - l0);
                }
                return;
            }
            // Transposing copy in strips of 16 columns: each strip reads 16 rows of x in
            // step and writes 64 contiguous bytes per panel row.
            for (int lb = l0; lb < l1; lb += 16) {
                int le = Math.min(l1, lb + 16);
                for (int p = p0; p < p1; p++) {
                    float[] row = panel[p];
                    int at = xOff + p;
                    for (int l = lb; l < le; l++) {
                        row[l] = x[at + l * xLd];
                    }
                }
            }
        }

        private void compute(int r0, int r1, int l0, int l1) {
            for (int lb = l0; lb < l1; lb += L_BLOCK) {
                int le = Math.min(l1, lb + L_BLOCK);
                loadResult(r0, r1, lb, le);
                for (int kb = 0; kb < depth; kb += K_BLOCK) {
                    int ke = Math.min(depth, kb + K_BLOCK);
                    for (int r = r0; r < r1; r++) {
                        accumulateRow(r, kb, ke, lb, le);
                    }
                }
                storeResult(r0, r1, lb, le);
            }
        }

        /** {@code T[r][lb..le) += sum_{p in [kb, ke)} alpha S[r][p] P[p][lb..le)}. */
        private void accumulateRow(int r, int kb, int ke, int lb, int le) {
            float[] t = result[r];
            float[][] pp = panel;
            float[] sv = s;
            int base = sOff + r * sRow;
            int step = sCol;
            float scale = alpha;

            int p = kb;
            for (; p + 4 <= ke; p += 4) {
                int at = base + p * step;
                float a0 = scale * sv[at];
                float a1 = scale * sv[at + step];
                float a2 = scale * sv[at + 2 * step];
                float a3 = scale * sv[at + 3 * step];
                if (FMA) {
                    fma4(t, pp[p], pp[p + 1], pp[p + 2], pp[p + 3], a0, a1, a2, a3, lb, le);
                } else {
                    madd4(t, pp[p], pp[p + 1], pp[p + 2], pp[p + 3], a0, a1, a2, a3, lb, le);
                }
            }
            for (; p < ke; p++) {
                madd1(t, pp[p], scale * sv[base + p * step], lb, le);
            }
        }

        /** {@code T = beta * C} on the block, or zero when {@code beta == 0}. */
        private void loadResult(int r0, int r1, int lb, int le) {
            for (int r = r0; r < r1; r++) {
                float[] t = result[r];
                if (beta == 0f) {
                    Arrays.fill(t, lb, le, 0f);
                } else if (transposedOut) {
                    for (int l = lb; l < le; l++) {
                        t[l] = beta * c[cOff + l * ldc + r];
                    }
                } else {
                    System.arraycopy(c, cOff + r * ldc + lb, t, lb, le - lb);
                    if (beta != 1f) {
                        scaleInPlace(t, beta, lb, le);
                    }
                }
            }
        }

        private void storeResult(int r0, int r1, int lb, int le) {
            for (int r = r0; r < r1; r++) {
                float[] t = result[r];
                if (transposedOut) {
                    for (int l = lb; l < le; l++) {
                        c[cOff + l * ldc + r] = t[l];
                    }
                } else {
                    System.arraycopy(t, lb, c, cOff + r * ldc + lb, le - lb);
                }
            }
        }

        private static void scaleInPlace(float[] t, float beta, int from, int to) {
            for (int l = from; l < to; l++) {
                t[l] *= beta;
            }
        }

        // The kernels: simple counted loops over zero-based indices of distinct arrays,
        // the shape C2's loop vectoriser handles.

        private static void fma4(float[] t, float[] p0, float[] p1, float[] p2, float[] p3,
                                 float a0, float a1, float a2, float a3, int from, int to) {
            for (int l = from; l < to; l++) {
                t[l] = Math.fma(a3, p3[l], Math.fma(a2, p2[l],
                    Math.fma(a1, p1[l], Math.fma(a0, p0[l], t[l]))));
            }
        }

        private static void madd4(float[] t, float[] p0, float[] p1, float[] p2, float[] p3,
                                  float a0, float a1, float a2, float a3, int from, int to) {
            for (int l = from; l < to; l++) {
                t[l] += (a0 * p0[l] + a1 * p1[l]) + (a2 * p2[l] + a3 * p3[l]);
            }
        }

        private static void madd1(float[] t, float[] p0, float a0, int from, int to) {
            for (int l = from; l < to; l++) {
                t[l] += a0 * p0[l];
            }
        }
    }
}
