package org.hopdeq4j.train;

import java.util.Arrays;

import org.hopdeq4j.ham.HamGradient;
import org.hopdeq4j.ham.HamMap;

/**
 * Backpropagation through the whole forward solve, for Picard from the zero state: the solve
 * is replayed storing every iterate (T states: memory grows with the budget), and the loss
 * gradient at its output flows back through all T steps. The exact gradient of the truncated
 * solve; meant for small networks and as a reference in tests. It reproduces the forward solve
 * only when that was Picard with the same fixed budget, which the trainer enforces.
 */
public final class UnrolledBackward implements BackwardMethod {

    private final StepBackprop core;

    /** T = {@code steps}, the forward budget. */
    public UnrolledBackward(int steps, int width, int maxBatch) {
        this.core = new StepBackprop(steps, width, maxBatch);
    }

    @Override
    public String name() {
        return "unrolled";
    }

    @Override
    public void gradient(HamMap map, float[] fixedPoint, float[] lossGradient, int batch,
                         HamGradient grad) {
        Arrays.fill(core.start(), 0, batch * map.width(), 0f);
        core.run(map, lossGradient, batch, grad);
    }

    @Override
    public long workspaceFloats() {
        return core.workspaceFloats();
    }
}
