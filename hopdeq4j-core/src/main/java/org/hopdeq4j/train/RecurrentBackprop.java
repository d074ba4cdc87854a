package org.hopdeq4j.train;

import org.hopdeq4j.ham.HamGradient;
import org.hopdeq4j.ham.HamMap;

/**
 * Recurrent backpropagation, the paper's backward method (Almeida 1987, Pineda 1987): from the
 * detached fixed point {@code s_0 = s*}, run K more steps of the map and backpropagate the loss
 * gradient (taken at s*) through those K steps only. At an exact fixed point this is the
 * implicit gradient's Neumann series cut after K terms. Memory holds K states, whatever the
 * forward budget.
 */
public final class RecurrentBackprop implements BackwardMethod {

    private final StepBackprop core;

    /** K steps for states of {@code width} floats and batches up to {@code maxBatch}. */
    public RecurrentBackprop(int steps, int width, int maxBatch) {
        this.core = new StepBackprop(steps, width, maxBatch);
    }

    @Override
    public String name() {
        return "recurrent";
    }

    @Override
    public void gradient(HamMap map, float[] fixedPoint, float[] lossGradient, int batch,
                         HamGradient grad) {
        System.arraycopy(fixedPoint, 0, core.start(), 0, batch * map.width());
        core.run(map, lossGradient, batch, grad);
    }

    @Override
    public long workspaceFloats() {
        return core.workspaceFloats();
    }
}
