package org.hopdeq4j.train;

import org.hopdeq4j.ham.HamGradient;
import org.hopdeq4j.ham.HamMap;

/**
 * Backpropagation through K explicit map steps {@code s_{k+1} = f(s_k)} from a start state
 * {@code s_0}: stores s_0 .. s_{K-1}, then {@code u_K = dL/ds},
 * {@code grad += u_{k+1} df/dtheta(s_k)} and {@code u_k = u_{k+1} df/ds(s_k)} for k = K-1 .. 0.
 * The shared core of recurrent backpropagation and the unrolled solve. For the even-odd map
 * the forward steps keep their auxiliary class, so the backward products of the first K - 1
 * steps do not recompute it (one block pass of the network saved per step).
 */
final class StepBackprop {

    private final int steps;
    private final int maxBatch;
    private final float[][] states;
    private final float[] u;
    private final float[] next;
    // the even-odd map's auxiliary class at s_0 .. s_{K-2}, kept from the forward steps
    private float[][] aux = new float[0][];

    StepBackprop(int steps, int width, int maxBatch) {
        if (steps < 1) {
            throw new IllegalArgumentException("backward iterations must be >= 1 but was " + steps);
        }
        this.steps = steps;
        this.maxBatch = maxBatch;
        this.states = new float[steps][width * maxBatch];
        this.u = new float[width * maxBatch];
        this.next = new float[width * maxBatch];
    }

    /** The start state's buffer, to be filled before {@link #run}. */
    float[] start() {
        return states[0];
    }

    void run(HamMap map, float[] lossGradient, int batch, HamGradient grad) {
        int n = batch * map.width();
        float[][] kept = auxBuffers(map);
        for (int k = 0; k + 1 < steps; k++) {
            map.apply(states[k], states[k + 1], batch, kept == null ? null : kept[k]);
        }
        float[] cur = u;
        float[] nxt = next;
        System.arraycopy(lossGradient, 0, cur, 0, n);
        for (int k = steps - 1; k >= 0; k--) {
            float[] a = kept == null || k == steps - 1 ? null : kept[k];
            map.vjp(states[k], a, cur, nxt, grad, batch);
            float[] t = cur;
            cur = nxt;
            nxt = t;
        }
    }

    /**
     * Buffers for the auxiliary class of the first K - 1 states (the last one is recomputed),
     * allocated on first use for the map's layout and kept; null for the synchronous update.
     */
    private float[][] auxBuffers(HamMap map) {
        int width = map.auxLayout().width();
        if (width == 0 || steps < 2) {
            return null;
        }
        if (aux.length != steps - 1 || aux[0].length != width * maxBatch) {
            aux = new float[steps - 1][width * maxBatch];
        }
        return aux;
    }

    long workspaceFloats() {
        long auxFloats = aux.length == 0 ? 0 : (long) aux.length * aux[0].length;
        return (long) (steps + 2) * u.length + auxFloats;
    }
}
