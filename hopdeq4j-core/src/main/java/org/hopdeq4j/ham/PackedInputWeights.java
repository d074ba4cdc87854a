package org.hopdeq4j.ham;

import org.hopdeq4j.linalg.PanelMatrix;

/**
 * One copy of a network's input weights {@code W_0} in column panels ({@link PanelMatrix}),
 * shared by the maps that compute input drives with it ({@link HamMap#usePackedInput}): the
 * maps of the workers of one evaluation. It pays off when many batches are solved at the same
 * parameters; packing copies {@code W_0} once (0.5-0.7 ms for 784 x 1990 once compiled, plus
 * about 3 ms to allocate the copy the first time), so a training step, which changes the
 * parameters every time, does not use it.
 *
 * <p>The copy follows the network: {@link #current()} packs again after
 * {@link HamNetwork#parametersChanged()} or when the weight array itself was replaced. It is
 * created on first use, so holding an instance costs nothing until then; afterwards it holds
 * {@code n_0 x n_1} floats (6.3 MB for 784 x 1990).
 *
 * <p>Thread-safe: several workers may call {@link #current()} at once, and read the returned
 * copy concurrently, as long as nobody changes the parameters meanwhile (which no solve
 * does).
 */
public final class PackedInputWeights {

    private final HamNetwork net;
    private PanelMatrix panels;
    private long revision = -1;
    private float[] packedFrom;

    /** A holder for {@code net}'s {@code W_0}; nothing is copied yet. */
    public PackedInputWeights(HamNetwork net) {
        this.net = net;
    }

    /** The network whose weights these are. */
    public HamNetwork network() {
        return net;
    }

    /** The panels of {@code W_0} as it is now, packed on first use and after every change. */
    public synchronized PanelMatrix current() {
        float[] w0 = net.weight(0);
        if (panels == null || revision != net.revision() || packedFrom != w0) {
            if (panels == null) {
                panels = new PanelMatrix(net.size(0), net.size(1));
            }
            panels.pack(w0, 0, net.size(1));
            revision = net.revision();
            packedFrom = w0;
        }
        return panels;
    }
}
