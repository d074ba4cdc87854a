package org.hopdeq4j.ham;

import java.util.Arrays;

/**
 * Gradients of a loss with respect to a HAM's parameters, shaped like them: {@code dW_l}
 * (n_l x n_{l+1}) for l = 0..L-1 and {@code db_l} (n_l) for l = 1..L. Vector-Jacobian products
 * accumulate into it; {@link #zero()} clears it.
 */
public final class HamGradient {

    private final int[] sizes;
    private final float[][] dW;
    private final float[][] db;

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

    /** The live gradient of W_l. */
    public float[] weight(int l) {
        return dW[l];
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
        for (float[] w : dW) {
            Arrays.fill(w, 0f);
        }
        for (int l = 1; l < db.length; l++) {
            Arrays.fill(db[l], 0f);
        }
    }
}
