package org.hopdeq4j.train;

import java.util.List;
import java.util.Locale;

import org.hopdeq4j.ham.HamGradient;
import org.hopdeq4j.ham.HamNetwork;
import org.hopdeq4j.io.FileFormatException;
import org.hopdeq4j.io.Safetensors;

/**
 * Updates a network's parameters in place from their gradients. Parameters are stored per
 * block, so the layer structure holds by construction whatever the update rule.
 */
public interface Optimizer {

    /** The optimisers the command line offers. */
    enum Kind {
        /** Madam (Bernstein et al. 2020) as the paper uses it. */
        MADAM,
        /** Adam (Kingma and Ba 2015). */
        ADAM,
        /** Stochastic gradient descent with momentum. */
        SGD;

        /** The name on the command line. */
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** A fresh optimiser of this kind for a network of these sizes. */
        public Optimizer create(int[] sizes) {
            switch (this) {
                case MADAM:
                    return new Madam(sizes, Madam.PAPER_P_SCALE, Madam.PAPER_G_BOUND);
                case ADAM:
                    return new Adam(sizes);
                default:
                    return new SgdMomentum(sizes, 0.9);
            }
        }

        /** Parses {@code madam}, {@code adam} or {@code sgd}. */
        public static Kind parse(String text) {
            switch (text.trim().toLowerCase(Locale.ROOT)) {
                case "madam":
                    return MADAM;
                case "adam":
                    return ADAM;
                case "sgd":
                    return SGD;
                default:
                    throw new IllegalArgumentException(
                        "optimizer must be madam, adam or sgd but was '" + text + "'");
            }
        }
    }

    /** The name on the command line. */
    String name();

    /** One update of every W_l and b_l with learning rate {@code lr}; grad is not modified. */
    void step(HamNetwork net, HamGradient grad, double lr);

    /** Updates made so far. */
    long steps();

    /** The optimiser's state as named tensors, for checkpoints; step count not included. */
    List<Safetensors.Tensor> state();

    /**
     * Restores state saved by {@link #state()} and the step count.
     *
     * @throws FileFormatException if a tensor is missing or has another shape
     */
    void restore(Safetensors.Contents contents, long steps) throws FileFormatException;
}
