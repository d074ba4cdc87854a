package org.hopdeq4j.train;

import org.hopdeq4j.ham.HamGradient;
import org.hopdeq4j.ham.HamMap;

/**
 * Turns the loss gradient at the forward solve's fixed point into parameter gradients without
 * (except {@code unrolled}) backpropagating through the forward solve. Implementations own
 * workspace for one state width and largest batch.
 */
public interface BackwardMethod {

    /** The name on the command line. */
    String name();

    /**
     * Accumulates the parameter gradient into {@code grad}.
     *
     * @param map the map, with the batch's input set
     * @param fixedPoint the forward solve's result; not modified
     * @param lossGradient dLoss/ds at the fixed point; not modified
     */
    void gradient(HamMap map, float[] fixedPoint, float[] lossGradient, int batch,
                  HamGradient grad);

    /** Map-sized workspace floats this method holds, for memory reports. */
    long workspaceFloats();
}
