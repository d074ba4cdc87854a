package org.hopdeq4j.train;

import org.hopdeq4j.ham.HamGradient;
import org.hopdeq4j.ham.HamMap;

/**
 * Backpropagation through K explicit map steps {@code s_{k+1} = f(s_k)} from a start state
 * {@code s_0}: stores s_0 .. s_{K-1}, then {@code u_K = dL/ds},
 * {@code grad += u_{k+1} df/dtheta(s_k)} and {@code u_k = u_{k+1} df/ds(s_k)} for k = K-1 .. 0.
 * The shared core of recurrent backpropagation and the unrolled solve.
 */
final class StepBackprop {

    private final int steps;
    private final float[][] states;
    private final float[] u;
    private final float[] next;

    StepBackprop(int steps, int width, int maxBatch) {
        if (steps < 1) {
            throw new IllegalArgumentException("backward iterations must be >= 1 but was " + steps);
        }
        this.steps = steps;
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
        for (int k = 0; k + 1 < steps; k++) {
            map.apply(states[k], states[k + 1], batch);
        }
        float[] cur = u;
        float[] nxt = next;
        System.arraycopy(lossGradient, 0, cur, 0, n);
        for (int k = steps - 1; k >= 0; k--) {
            map.vjp(states[k], cur, nxt, grad, batch);
            float[] t = cur;
            cur = nxt;
            nxt = t;
        }
    }

    long workspaceFloats() {
        return (long) (steps + 2) * u.length;
    }
}
