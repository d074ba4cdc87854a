package org.hopdeq4j.ham;

import java.util.Arrays;

import org.hopdeq4j.linalg.Activation;
import org.hopdeq4j.linalg.MatMul;
import org.hopdeq4j.solve.FixedPointMap;

/**
 * The fixed-point map of a HAM on a batch, for either update, with damping h (forward Euler
 * step): {@code f_h(s) = (1 - h) s + h f(s)}.
 *
 * <ul>
 *   <li>Synchronous (the paper's Eq. 6): the state holds all free layers and
 *       {@code f(s)_l = c_l(s) = rho(s_{l-1}) W_{l-1} + rho(s_{l+1}) W_l^T + b_l}, with
 *       {@code s_0 = x} and no {@code s_{L+1}} term.</li>
 *   <li>Even-odd (the paper's Eq. 10): the state holds the parity class of the output layer;
 *       the other class is computed as its exact local optimum {@code a = c_aux(s)} and then
 *       {@code f(s) = c_state(a)}: two time steps for the cost of one synchronous step.</li>
 * </ul>
 *
 * <p>Call {@link #setInput(float[], int, int)} once per batch before applying the map; it
 * computes the input drive {@code rho(x) W_0}. All buffers are allocated for {@code maxBatch}
 * rows at construction; applying the map allocates nothing. Not thread-safe: one map per
 * thread of work.
 */
public final class HamMap implements FixedPointMap {

    private final HamNetwork net;
    private final Update update;
    private final float damping;
    private final MatMul mm;
    private final int maxBatch;
    private final Activation rho;
    private final int layers;

    private final StateLayout state;
    private final StateLayout aux;

    private final float[] rhoX;
    private final float[] inputDrive;
    private final InputDrive driveOfInput;
    private final float[] rhoState;
    private final float[] auxState;
    private final float[] rhoAux;
    private final float[] slopeState;
    private final float[] slopeAux;
    private final float[] gradRhoState;
    private final float[] gradRhoAux;
    private final float[] scaledCotangent;
    /** The row of inputDrive and rhoX that active row i reads (identity after setInput). */
    private final int[] inputRow;
    private int inputBatch = -1;
    private long inputCount;

    /**
     * @param damping the step h in (0, 1]; 1 is the undamped map
     * @param maxBatch the largest batch this map will see
     * @throws IllegalArgumentException if damping is outside (0, 1] or maxBatch < 1
     */
    public HamMap(HamNetwork net, Update update, double damping, MatMul mm, int maxBatch) {
        if (!(damping > 0 && damping <= 1)) {
            throw new IllegalArgumentException("damping must be in (0, 1] but was " + damping);
        }
        if (maxBatch < 1) {
            throw new IllegalArgumentException("maxBatch must be >= 1 but was " + maxBatch);
        }
        this.net = net;
        this.update = update;
        this.damping = (float) damping;
        this.mm = mm;
        this.maxBatch = maxBatch;
        this.rho = net.activation();
        this.layers = net.layers();
        int[] sizes = net.sizes();
        if (update == Update.SYNC) {
            state = StateLayout.allFree(sizes);
            aux = StateLayout.parityClass(sizes, 2);
        } else {
            state = StateLayout.parityClass(sizes, layers % 2);
            aux = StateLayout.parityClass(sizes, 1 - layers % 2);
        }
        rhoX = new float[maxBatch * sizes[0]];
        inputDrive = new float[maxBatch * sizes[1]];
        driveOfInput = new InputDrive(net, mm, maxBatch);
        rhoState = new float[maxBatch * state.width()];
        auxState = new float[maxBatch * aux.width()];
        rhoAux = new float[maxBatch * aux.width()];
        slopeState = new float[maxBatch * state.width()];
        slopeAux = new float[maxBatch * aux.width()];
        gradRhoState = new float[maxBatch * state.width()];
        gradRhoAux = new float[maxBatch * aux.width()];
        scaledCotangent = new float[maxBatch * state.width()];
        inputRow = new int[maxBatch];
    }

    /** The network whose map this is. */
    public HamNetwork network() {
        return net;
    }

    /** The update scheme. */
    public Update update() {
        return update;
    }

    /** The damping h. */
    public float damping() {
        return damping;
    }

    /** Layout of the solver's state. */
    public StateLayout layout() {
        return state;
    }

    /** Layout of the auxiliary class (empty for the synchronous update). */
    public StateLayout auxLayout() {
        return aux;
    }

    /** The matrix backend. */
    public MatMul matMul() {
        return mm;
    }

    /** The largest batch. */
    public int maxBatch() {
        return maxBatch;
    }

    @Override
    public int width() {
        return state.width();
    }

    /**
     * Sets the input of the next solves: computes {@code rho(x) W_0 + b_1} for {@code batch}
     * rows of {@code x} starting at float offset {@code xOff} (each row n_0 floats), skipping
     * the inputs that are 0 in every row (see {@link InputDrive}). {@code x} is not modified.
     *
     * <p>The input term is fixed here: applications of the map until the next call use
     * {@code W_0} and {@code b_1} as they were at this call. After changing the parameters in
     * place, call the network's {@link HamNetwork#parametersChanged()} and then this method
     * again.
     *
     * @throws IllegalArgumentException if batch is outside 1..maxBatch
     */
    public void setInput(float[] x, int xOff, int batch) {
        checkBatch(batch);
        int n0 = net.size(0);
        rho.apply(x, xOff, rhoX, 0, batch * n0);
        driveOfInput.compute(x, xOff, rhoX, batch, inputDrive);
        for (int i = 0; i < batch; i++) {
            inputRow[i] = i;
        }
        inputBatch = batch;
        inputCount++;
    }

    /**
     * Computes the input drive of later {@link #setInput} calls with the shared panel copy of
     * {@code W_0} (see {@link PackedInputWeights}), when the Vector API kernel is there;
     * null goes back to the gathered product. For many batches at fixed parameters, as in
     * evaluation; it changes the drive's rounding only. Allocates the buffers it needs here.
     *
     * @throws IllegalArgumentException if the panels belong to another network
     */
    public void usePackedInput(PackedInputWeights shared) {
        driveOfInput.usePanels(shared);
    }

    @Override
    public boolean canKeepRows() {
        return true;
    }

    /**
     * Keeps the input of rows {@code keep[0..count)} (ascending) as rows {@code 0..count)}:
     * later applications take {@code count} rows. Only row indices change here; the input
     * drive and {@code rho(x)} are moved into place when a gradient needs {@code rho(x)}.
     *
     * @throws IllegalArgumentException if count is not in 1..the current batch
     */
    @Override
    public void keepRows(int[] keep, int count) {
        if (count < 1 || count > inputBatch) {
            throw new IllegalArgumentException("count must be in 1.." + inputBatch
                + " but was " + count);
        }
        // ascending keep[i] >= i: each entry read is still unwritten
        for (int i = 0; i < count; i++) {
            inputRow[i] = inputRow[keep[i]];
        }
        inputBatch = count;
        inputCount++;
    }

    /** Moves the kept rows of the input drive and {@code rho(x)} to the rows they stand for. */
    private void moveInputIntoPlace() {
        int n0 = net.size(0);
        int n1 = net.size(1);
        for (int i = 0; i < inputBatch; i++) {
            int from = inputRow[i];
            if (from != i) {
                System.arraycopy(inputDrive, from * n1, inputDrive, i * n1, n1);
                System.arraycopy(rhoX, from * n0, rhoX, i * n0, n0);
                inputRow[i] = i;
            }
        }
    }

    @Override
    public void apply(float[] s, float[] out, int batch) {
        apply(s, out, batch, null);
    }

    /**
     * {@code out = f(s)}, also keeping the even-odd map's auxiliary class {@code a = c_aux(s)}
     * in {@code auxOut} (batch rows of {@code auxLayout().width()}) when it is not null, so
     * that a later {@link #vjp(float[], float[], float[], float[], HamGradient, int) vjp} at
     * the same s need not recompute it. For the synchronous update auxOut is ignored.
     */
    public void apply(float[] s, float[] out, int batch, float[] auxOut) {
        checkInput(batch);
        rho.apply(s, 0, rhoState, 0, batch * state.width());
        if (update == Update.SYNC) {
            for (int l : state.layerArray()) {
                drive(l, rhoState, state, out, state, batch);
            }
        } else {
            float[] a = auxOut != null ? auxOut : auxState;
            for (int l : aux.layerArray()) {
                drive(l, rhoState, state, a, aux, batch);
            }
            rho.apply(a, 0, rhoAux, 0, batch * aux.width());
            for (int l : state.layerArray()) {
                drive(l, rhoAux, aux, out, state, batch);
            }
        }
        if (damping != 1f) {
            float h = damping;
            for (int i = 0, end = batch * state.width(); i < end; i++) {
                out[i] = s[i] + h * (out[i] - s[i]);
            }
        }
    }

    /**
     * Vector-Jacobian product of the map at {@code s}: {@code uOut = u (df/ds)(s)}, and, when
     * {@code grad} is not null, {@code grad += u (df/dtheta)(s)} for every W_l and b_l.
     *
     * <p>Derived by hand from {@code c_l(s) = rho(s_{l-1}) W_{l-1} + rho(s_{l+1}) W_l^T + b_l}:
     * a cotangent g_l on c_l adds {@code g_l W_{l-1}^T} and {@code g_l W_l} to the cotangents
     * of {@code rho(s_{l-1})} and {@code rho(s_{l+1})}, {@code rho(s_{l-1})^T g_l} to dW_{l-1}
     * (with {@code rho(x)} for l = 1), {@code g_l^T rho(s_{l+1})} to dW_l and the column sums
     * of g_l to db_l; a cotangent on {@code rho(s)} becomes one on s through {@code rho'(s)}.
     * The even-odd map chains this twice (state to auxiliary class and back). Damping h gives
     * {@code uOut = (1 - h) u + h (...)} and scales the parameter terms by h.
     *
     * @param s the point, batch rows of {@link #width()}; not modified
     * @param u the cotangent of the map's output; not modified
     * @param uOut receives the cotangent of the map's input; must not alias s or u
     * @param grad accumulates parameter gradients, or null for the state product only
     */
    public void vjp(float[] s, float[] u, float[] uOut, HamGradient grad, int batch) {
        vjp(s, null, u, uOut, grad, batch);
    }

    /**
     * The vector-Jacobian product above, with the even-odd map's auxiliary class at s given
     * in {@code auxIn} (as {@link #apply(float[], float[], int, float[])} kept it; not
     * modified) instead of recomputed; null recomputes it. Ignored for the synchronous update.
     */
    public void vjp(float[] s, float[] auxIn, float[] u, float[] uOut, HamGradient grad,
                    int batch) {
        checkInput(batch);
        int n = batch * state.width();
        float[] g = u;
        if (damping != 1f) {
            for (int i = 0; i < n; i++) {
                scaledCotangent[i] = damping * u[i];
            }
            g = scaledCotangent;
        }
        rho.applyWithDerivative(s, rhoState, slopeState, 0, n);

        Arrays.fill(gradRhoState, 0, n, 0f);
        if (update == Update.SYNC) {
            for (int l : state.layerArray()) {
                driveVjp(l, g, state, rhoState, gradRhoState, state, grad, batch);
            }
        } else {
            int na = batch * aux.width();
            float[] a = auxIn;
            if (a == null) {
                a = auxState;
                for (int l : aux.layerArray()) {
                    drive(l, rhoState, state, a, aux, batch);
                }
            }
            rho.applyWithDerivative(a, rhoAux, slopeAux, 0, na);
            Arrays.fill(gradRhoAux, 0, na, 0f);
            for (int l : state.layerArray()) {
                driveVjp(l, g, state, rhoAux, gradRhoAux, aux, grad, batch);
            }
            // the auxiliary cotangent, through rho'(a), drives the first half-step's products
            for (int i = 0; i < na; i++) {
                gradRhoAux[i] *= slopeAux[i];
            }
            for (int l : aux.layerArray()) {
                driveVjp(l, gradRhoAux, aux, rhoState, gradRhoState, state, grad, batch);
            }
        }

        float keep = 1f - damping;
        for (int i = 0; i < n; i++) {
            float v = gradRhoState[i] * slopeState[i];
            uOut[i] = damping == 1f ? v : keep * u[i] + v;
        }
    }

    /**
     * Pulls a cotangent {@code g} on the drives of layer l (block l of g, layout gLayout) back
     * to the activations it was computed from ({@code src}, layout srcLayout): accumulates into
     * {@code gradSrc} and, if grad is not null, into the parameter gradients.
     */
    private void driveVjp(int l, float[] g, StateLayout gLayout, float[] src, float[] gradSrc,
                          StateLayout srcLayout, HamGradient grad, int batch) {
        int n = net.size(l);
        int gOff = gLayout.offset(l);
        int gLd = gLayout.width();
        int sLd = srcLayout.width();
        if (grad != null) {
            float[] db = grad.bias(l);
            for (int i = 0; i < batch; i++) {
                int row = i * gLd + gOff;
                for (int j = 0; j < n; j++) {
                    db[j] += g[row + j];
                }
            }
        }
        if (l == 1) {
            if (grad != null) {
                moveInputIntoPlace();
                grad.addInputCotangent(this, inputCount, rhoX, g, gOff, gLd, batch, mm);
            }
        } else {
            int k = net.size(l - 1);
            int off = srcLayout.offset(l - 1);
            mm.gemm(false, true, batch, k, n, 1f, g, gOff, gLd, net.weight(l - 1), 0, n,
                1f, gradSrc, off, sLd);
            if (grad != null) {
                mm.gemm(true, false, k, n, batch, 1f, src, off, sLd, g, gOff, gLd,
                    1f, grad.weight(l - 1), 0, n);
            }
        }
        if (l < layers) {
            int k = net.size(l + 1);
            int off = srcLayout.offset(l + 1);
            mm.gemm(false, false, batch, k, n, 1f, g, gOff, gLd, net.weight(l), 0, k,
                1f, gradSrc, off, sLd);
            if (grad != null) {
                mm.gemm(true, false, n, k, batch, 1f, g, gOff, gLd, src, off, sLd,
                    1f, grad.weight(l), 0, k);
            }
        }
    }

    /**
     * Writes the full state (all free layers, {@link StateLayout#allFree} layout) that the
     * solver's state {@code s} stands for: for the synchronous update a copy; for even-odd the
     * state class copied and the auxiliary class set to its local optimum {@code c_aux(s)}.
     */
    public void expand(float[] s, float[] full, int batch) {
        checkInput(batch);
        StateLayout all = StateLayout.allFree(net.sizes());
        copyLayers(s, state, full, all, batch);
        if (update == Update.EVEN_ODD && aux.width() > 0) {
            rho.apply(s, 0, rhoState, 0, batch * state.width());
            for (int l : aux.layerArray()) {
                drive(l, rhoState, state, auxState, aux, batch);
            }
            copyLayers(auxState, aux, full, all, batch);
        }
    }

    /** Offset of the output layer L in a state row. */
    public int outputOffset() {
        return state.offset(layers);
    }

    /**
     * Writes the drive {@code c_l} of layer l, reading the neighbours' activations from
     * {@code src} (layout {@code srcLayout}) into layer l's block of {@code dst}.
     */
    private void drive(int l, float[] src, StateLayout srcLayout, float[] dst,
                       StateLayout dstLayout, int batch) {
        int n = net.size(l);
        int dOff = dstLayout.offset(l);
        int dLd = dstLayout.width();
        float[] b = net.bias(l);

        // the bias; for the first hidden layer the input drive, which already holds b_1
        for (int i = 0; i < batch; i++) {
            int row = i * dLd + dOff;
            if (l == 1) {
                System.arraycopy(inputDrive, inputRow[i] * n, dst, row, n);
            } else {
                System.arraycopy(b, 0, dst, row, n);
            }
        }

        // from below: rho(s_{l-1}) W_{l-1}
        if (l > 1) {
            int k = net.size(l - 1);
            mm.gemm(false, false, batch, n, k, 1f, src, srcLayout.offset(l - 1), srcLayout.width(),
                net.weight(l - 1), 0, n, 1f, dst, dOff, dLd);
        }
        // from above: rho(s_{l+1}) W_l^T
        if (l < layers) {
            int k = net.size(l + 1);
            mm.gemm(false, true, batch, n, k, 1f, src, srcLayout.offset(l + 1), srcLayout.width(),
                net.weight(l), 0, k, 1f, dst, dOff, dLd);
        }
    }

    private static void copyLayers(float[] src, StateLayout from, float[] dst, StateLayout to,
                                   int batch) {
        for (int l : from.layerArray()) {
            int n = from.size(l);
            for (int i = 0; i < batch; i++) {
                System.arraycopy(src, i * from.width() + from.offset(l),
                    dst, i * to.width() + to.offset(l), n);
            }
        }
    }

    private void checkBatch(int batch) {
        if (batch < 1 || batch > maxBatch) {
            throw new IllegalArgumentException(
                "batch must be in 1.." + maxBatch + " but was " + batch);
        }
    }

    private void checkInput(int batch) {
        checkBatch(batch);
        if (batch != inputBatch) {
            throw new IllegalStateException("setInput was called for a batch of " + inputBatch
                + " but the map is applied to a batch of " + batch);
        }
    }
}
