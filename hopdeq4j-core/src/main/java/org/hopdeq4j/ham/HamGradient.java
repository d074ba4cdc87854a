package org.hopdeq4j.ham;

import java.util.Arrays;

import org.hopdeq4j.linalg.MatMul;

/**
 * Gradients of a loss with respect to a HAM's parameters, shaped like them: {@code dW_l}
 * (n_l x n_{l+1}) for l = 0..L-1 and {@code db_l} (n_l) for l = 1..L. Vector-Jacobian products
 * accumulate into it; {@link #zero()} clears it.
 */
public final class HamGradient {

    private final int[] sizes;
    private final float[][] dW;
    private final float[][] db;

    // The pending input term: dW_0 += rhoX^T cotangent, rows x n_0 and rows x n_1.
    private float[] pendingRhoX = new float[0];
    private float[] pendingCotangent = new float[0];
    private int pendingRows;
    private MatMul pendingMm;
    private Object pendingSource;
    private long pendingInput;

    /** Zero gradients for a network of these layer sizes. */
    public HamGradient(int[] sizes) {
        this.sizes = sizes.clone();
        int layers = sizes.length - 1;
        dW = new float[layers][];
        db = new float[layers + 1][];
        for (int l = 0; l < layers; l++) {
            dW[l] = new float[sizes[l] * sizes[l + 1]];
        }
        for (int l = 1; l <= layers; l++) {
            db[l] = new float[sizes[l]];
        }
    }

    /**
     * The live gradient of W_l. For l = 0 a pending input term is multiplied out first, with
     * the backend of the products that added it.
     */
    public float[] weight(int l) {
        if (l == 0) {
            flushInputTerm();
        }
        return dW[l];
    }

    private void flushInputTerm() {
        if (pendingRows > 0) {
            int n0 = sizes[0];
            int n1 = sizes[1];
            pendingMm.gemm(true, false, n0, n1, pendingRows, 1f, pendingRhoX, 0, n0,
                pendingCotangent, 0, n1, 1f, dW[0], 0, n1);
        }
        pendingRows = 0;
        pendingMm = null;
        pendingSource = null;
    }

    /**
     * Adds {@code rows} rows of a layer-1 cotangent ({@code g}, row i at
     * {@code gOff + i * gLd}) to the pending input term {@code dW_0 += rhoX^T g}. The input
     * is named by its {@code source} (the map) and that source's input count; when either
     * differs from the pending term's, the pending term is multiplied out first, so
     * accumulating over several batches stays exact. A new pending term copies {@code rhoX}.
     * The buffers grow on first use and are kept, so steady use allocates nothing.
     */
    void addInputCotangent(Object source, long input, float[] rhoX, float[] g, int gOff,
                           int gLd, int rows, MatMul mm) {
        int n0 = sizes[0];
        int n1 = sizes[1];
        if (pendingRows > 0 && (source != pendingSource || input != pendingInput
            || mm != pendingMm || rows != pendingRows)) {
            flushInputTerm();
        }
        if (pendingRows == 0) {
            if (pendingCotangent.length < rows * n1) {
                pendingCotangent = new float[rows * n1];
                pendingRhoX = new float[rows * n0];
            }
            System.arraycopy(rhoX, 0, pendingRhoX, 0, rows * n0);
            Arrays.fill(pendingCotangent, 0, rows * n1, 0f);
            pendingRows = rows;
            pendingMm = mm;
            pendingSource = source;
            pendingInput = input;
        }
        for (int i = 0; i < rows; i++) {
            int src = gOff + i * gLd;
            int dst = i * n1;
            for (int j = 0; j < n1; j++) {
                pendingCotangent[dst + j] += g[src + j];
            }
        }
    }

    /** The live gradient of b_l, l = 1..L. */
    public float[] bias(int l) {
        return db[l];
    }

    /** Number of free layers L. */
    public int layers() {
        return sizes.length - 1;
    }

    /** Sets every entry to zero. */
    public void zero() {
        pendingRows = 0;
        pendingMm = null;
        pendingSource = null;
        for (float[] w : dW) {
            Arrays.fill(w, 0f);
        }
        for (int l = 1; l < db.length; l++) {
            Arrays.fill(db[l], 0f);
        }
    }
}
