package org.hopdeq4j.ham;

import java.util.Arrays;

import org.hopdeq4j.linalg.Activation;
import org.hopdeq4j.linalg.MatMul;
import org.hopdeq4j.linalg.NonZeroCounts;
import org.hopdeq4j.linalg.PanelMatrix;
import org.hopdeq4j.linalg.SparseRows;

/**
 * The input drive {@code rho(x) W_0} of a batch, plus layer 1's bias, with the product
 * restricted to the inputs that are not zero somewhere in the batch.
 *
 * <p>An input that is 0 has {@code rho(0)}, the same constant for every sample. Writing
 * {@code rho(x) = rho(0) + delta} gives {@code rho(x) W_0 = rho(0) 1^T W_0 + delta W_0}; the
 * first term is one row (the column sums of {@code W_0}, scaled), folded into layer 1's bias
 * and kept until the network reports a change of its parameters, and {@code delta} is zero in
 * every column where the whole batch is 0. Those columns, and the matching rows of {@code W_0},
 * are dropped from the product ({@link MatMul#gemmRowsOfB}). On MNIST a batch of 64 images
 * leaves about 420 of the 784 pixels, and the product with the gather costs about half the
 * dense one (see docs/design-notes.md). When more than {@value #MAX_SUPPORT_PERCENT}% of the
 * inputs are in use the plain dense product is cheaper and is used instead.
 *
 * <p>Inputs in use by fewer than {@value #RARE_PERCENT}% of the batch's rows are left out of
 * the gathered product too and added row by row ({@link SparseRows}): each of their non-zero
 * entries costs one row of {@code W_0}, against a full column of the batch in the product. On
 * MNIST about half of the inputs in use are rare in this sense, with 1 500 of the 9 600
 * non-zero entries of a batch of 64, and the drive takes about two thirds of the time of the
 * gathered product alone. This split is made only when the Vector API kernel is available;
 * the plain loop is slower than the product it would replace.
 *
 * <p>Given {@link PackedInputWeights} ({@link #usePanels}) and the Vector API, the drive is
 * one {@link PanelMatrix} product instead: the common inputs as its dense part, the rare ones
 * as its per-row lists, the bias with the constant row as its starting value, written
 * straight into the drive. It needs no gather, no copy of the result in and out of the
 * backend and no second pass for the rare inputs, and the workers read one copy of
 * {@code W_0} instead of one each: with two workers the early-stop bench on the demo network
 * ran, at the median of 30 runs, 3.2 times the images per second of the fixed budget,
 * against 2.95 in 14 runs with the gathered product (docs/design-notes.md, "The input drive
 * as one panel product").
 *
 * <p>The result equals the dense product up to float rounding (the terms are summed in another
 * order). Which inputs are in use depends on the whole batch, so an image's drive, and through
 * it its solution, can differ in the last bits with the images it is batched with.
 *
 * <p>The cached row relies on {@link HamNetwork#parametersChanged()} being called after the
 * parameters are changed in place; with Java assertions enabled every use checks it.
 *
 * <p>All buffers are allocated at construction. Not thread-safe.
 */
final class InputDrive {

    /** Largest share of inputs, in percent, for which the gathered product is used. */
    static final int MAX_SUPPORT_PERCENT = 75;

    /**
     * Inputs in use by fewer than this share of the rows, in percent, are added row by row
     * instead of entering the gathered product. Near where the two costs meet: the product
     * runs at about 35 G multiply-adds per second, the sparse kernel at 10-18 depending on how
     * much of {@code W_0} is in cache, so an input is cheaper row by row when fewer than about
     * 30-50% of the rows use it; the measured drive was flat between 20% and 50%
     * (docs/design-notes.md).
     */
    static final int RARE_PERCENT = 30;

    private final HamNetwork net;
    private final MatMul mm;
    private final Activation rho;
    private final int n0;
    private final int n1;
    private final int maxSupport;
    private final float rhoZero;
    private final int[] count;
    private final int[] support;
    private final int[] rare;
    private final int[] rareStart;
    private final int[] rareInput;
    private final float[] rareDelta;
    private final float[] gatheredDelta;
    private final float[] gatheredWeight;
    private final float[] constantRow;
    private final float[] ones;
    private final float[] biasWithConstant;
    private long constantRevision = -1;
    private float[] constantOf;
    private int lastSupport = -1;
    private int lastRare;
    /** The shared panels of W_0, or null for the gathered product. */
    private PackedInputWeights panels;
    private float[] commonDelta;
    private int[] panelRareInput;
    private float[] panelRareDelta;
    private float[] panelScratch;
    private final int maxBatch;

    InputDrive(HamNetwork net, MatMul mm, int maxBatch) {
        this.net = net;
        this.mm = mm;
        this.rho = net.activation();
        this.n0 = net.size(0);
        this.n1 = net.size(1);
        this.maxSupport = (int) ((long) n0 * MAX_SUPPORT_PERCENT / 100);
        this.rhoZero = rho.value(0f);
        this.count = new int[n0];
        this.support = new int[n0];
        this.rare = new int[n0];
        this.rareStart = new int[maxBatch + 1];
        // a row has at most maxSupport non-zero inputs on the gathered path
        this.rareInput = new int[SparseRows.VECTOR ? maxBatch * maxSupport : 0];
        this.rareDelta = new float[rareInput.length];
        this.gatheredDelta = new float[maxBatch * maxSupport];
        // the rows are gathered here only for backends that do not gather them themselves
        this.gatheredWeight = new float[mm.gathersRowsItself() ? 0 : maxSupport * n1];
        this.constantRow = new float[n1];
        this.ones = new float[n0];
        Arrays.fill(ones, 1f);
        this.biasWithConstant = new float[n1];
        this.maxBatch = maxBatch;
    }

    /**
     * Computes later drives as one {@link PanelMatrix} product with the shared panels, when
     * the Vector API kernel is there (otherwise this changes nothing); null goes back to the
     * gathered product. Allocates the buffers that path needs.
     *
     * @throws IllegalArgumentException if the panels belong to another network
     */
    void usePanels(PackedInputWeights shared) {
        if (shared != null && shared.network() != net) {
            throw new IllegalArgumentException("the packed input weights belong to another"
                + " network");
        }
        if (shared == null || !PanelMatrix.VECTOR) {
            panels = null;
            return;
        }
        if (commonDelta == null) {
            commonDelta = new float[n0 * PanelMatrix.paddedRows(maxBatch)];
            panelRareInput = new int[maxBatch * n0];
            panelRareDelta = new float[maxBatch * n0];
            panelScratch = new float[PanelMatrix.scratchLength()];
        }
        panels = shared;
    }

    /** Whether drives are computed with shared panels. */
    boolean usesPanels() {
        return panels != null;
    }

    /**
     * Writes {@code rho(x) W_0 + b_1} for {@code batch} rows into {@code drive}
     * (batch x n_1), given {@code rhoX = rho(x)} (batch x n_0) and the raw inputs {@code x}
     * from offset {@code xOff}. The rows start as copies of the bias (with the constant row
     * folded in on the gathered path); the product over the common inputs is added onto them,
     * then the rare inputs row by row.
     */
    void compute(float[] x, int xOff, float[] rhoX, int batch, float[] drive) {
        int used = countUses(x, xOff, batch);
        lastSupport = used;
        lastRare = 0;
        float[] w0 = net.weight(0);
        if (panels != null) {
            computeWithPanels(x, xOff, rhoX, batch, drive, w0);
            return;
        }
        boolean gathered = used <= maxSupport;
        if (gathered) {
            updateConstantRow(w0);
        }
        float[] bias = gathered ? biasWithConstant : net.bias(1);
        for (int i = 0; i < batch; i++) {
            System.arraycopy(bias, 0, drive, i * n1, n1);
        }
        if (!gathered) {
            mm.gemm(false, false, batch, n1, n0, 1f, rhoX, 0, n0, w0, 0, n1, 1f, drive, 0, n1);
            return;
        }

        int m = splitSupport(rareBelow(batch));
        if (m > 0) {
            float zero = rhoZero;
            for (int i = 0; i < batch; i++) {
                int in = i * n0;
                int out = i * m;
                for (int c = 0; c < m; c++) {
                    gatheredDelta[out + c] = rhoX[in + support[c]] - zero;
                }
            }
            mm.gemmRowsOfB(batch, n1, m, 1f, gatheredDelta, 0, m, w0, 0, n1, support, 1f,
                drive, 0, n1, gatheredWeight);
        }
        if (lastRare > 0) {
            listRareEntries(x, xOff, rhoX, batch, rareInput, rareDelta);
            SparseRows.addRows(batch, n1, rareStart, rareInput, rareDelta, w0, 0, n1,
                drive, 0, n1);
        }
    }

    /**
     * The drive as one panel product: the inputs used by at least {@value #RARE_PERCENT}% of
     * the rows as its dense part (their {@code delta} column by column), the others in use as
     * row lists, starting from {@code b_1} plus the constant row.
     */
    private void computeWithPanels(float[] x, int xOff, float[] rhoX, int batch,
                                   float[] drive, float[] w0) {
        updateConstantRow(w0);
        PanelMatrix b = panels.current();
        int common = splitSupport(Math.max(1, (batch * RARE_PERCENT + 99) / 100));
        int ld = PanelMatrix.paddedRows(batch);
        float zero = rhoZero;
        for (int c = 0; c < common; c++) {
            int p = support[c];
            int out = c * ld;
            for (int i = 0; i < batch; i++) {
                commonDelta[out + i] = rhoX[i * n0 + p] - zero;
            }
            for (int i = batch; i < ld; i++) {
                commonDelta[out + i] = 0f;
            }
        }
        listRareEntries(x, xOff, rhoX, batch, panelRareInput, panelRareDelta);
        b.multiply(batch, common, support, commonDelta, ld, rareStart, panelRareInput,
            panelRareDelta, biasWithConstant, drive, 0, n1, panelScratch);
    }

    /** Inputs that were not zero somewhere in the last batch (n_0 when none were zero). */
    int lastSupport() {
        return lastSupport;
    }

    /** Of those, the inputs added row by row (0 when the split was not made). */
    int lastRare() {
        return lastRare;
    }

    /**
     * Rows a used input must be non-zero in to enter the gathered product: 1 (every used
     * input) without the Vector API kernel.
     */
    private static int rareBelow(int batch) {
        if (!SparseRows.VECTOR) {
            return 1;
        }
        return Math.max(1, (batch * RARE_PERCENT + 99) / 100);
    }

    /** Counts in {@code count} the rows each input is not 0 in; returns how many are used. */
    private int countUses(float[] x, int xOff, int batch) {
        int[] k = count;
        Arrays.fill(k, 0);
        NonZeroCounts.addColumnCounts(batch, n0, x, xOff, n0, k);
        int used = 0;
        for (int p = 0; p < n0; p++) {
            used += k[p] > 0 ? 1 : 0;
        }
        return used;
    }

    /**
     * Lists in {@code support} the inputs used in at least {@code common} rows and in
     * {@code rare} the others in use (sets {@code lastRare}); returns the first count.
     */
    private int splitSupport(int common) {
        int m = 0;
        int r = 0;
        for (int p = 0; p < n0; p++) {
            int k = count[p];
            if (k >= common) {
                support[m++] = p;
            } else if (k > 0) {
                rare[r++] = p;
            }
        }
        lastRare = r;
        return m;
    }

    /**
     * Row by row, the rare inputs that are not 0 into {@code inputs} and their
     * {@code rho(x) - rho(0)} into {@code deltas}, with the rows' starts in {@code rareStart}.
     */
    private void listRareEntries(float[] x, int xOff, float[] rhoX, int batch, int[] inputs,
                                 float[] deltas) {
        int q = 0;
        float zero = rhoZero;
        for (int i = 0; i < batch; i++) {
            rareStart[i] = q;
            int row = xOff + i * n0;
            for (int c = 0; c < lastRare; c++) {
                int p = rare[c];
                if (x[row + p] != 0f) {
                    inputs[q] = p;
                    deltas[q] = rhoX[i * n0 + p] - zero;
                    q++;
                }
            }
        }
        rareStart[batch] = q;
    }

    /**
     * {@code rho(0)} times the column sums of W_0, and {@code b_1} plus that, recomputed when
     * the parameters changed.
     */
    private void updateConstantRow(float[] w0) {
        float[] b1 = net.bias(1);
        if (constantRevision != net.revision() || constantOf != w0) {
            columnSums(w0, constantRow);
            for (int j = 0; j < n1; j++) {
                biasWithConstant[j] = b1[j] + constantRow[j];
            }
            constantRevision = net.revision();
            constantOf = w0;
        }
        assert matchesParameters(w0, b1)
            : "the parameters changed without HamNetwork.parametersChanged()";
    }

    /** {@code out = rho(0) 1^T W_0}, as one product with a row of ones (W_0 may be resident). */
    private void columnSums(float[] w0, float[] out) {
        mm.gemm(false, false, 1, n1, n0, rhoZero, ones, 0, n0, w0, 0, n1, 0f, out, 0, n1);
    }

    private boolean matchesParameters(float[] w0, float[] b1) {
        float[] fresh = new float[n1];
        columnSums(w0, fresh);
        if (!Arrays.equals(fresh, constantRow)) {
            return false;
        }
        for (int j = 0; j < n1; j++) {
            if (biasWithConstant[j] != b1[j] + constantRow[j]) {
                return false;
            }
        }
        return true;
    }
}
