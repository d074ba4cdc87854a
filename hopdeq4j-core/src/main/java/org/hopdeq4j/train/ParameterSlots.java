package org.hopdeq4j.train;

import java.util.ArrayList;
import java.util.List;

import org.hopdeq4j.ham.HamGradient;
import org.hopdeq4j.ham.HamNetwork;

/**
 * The parameter tensors of a network in a fixed order (W0 .. W{L-1}, b1 .. bL), with their
 * names, so that optimisers keep one state array per tensor.
 */
final class ParameterSlots {

    private ParameterSlots() {
    }

    /** Tensor names in slot order. */
    static List<String> names(int[] sizes) {
        List<String> names = new ArrayList<>();
        for (int l = 0; l + 1 < sizes.length; l++) {
            names.add("W" + l);
        }
        for (int l = 1; l < sizes.length; l++) {
            names.add("b" + l);
        }
        return names;
    }

    /** Element counts in slot order. */
    static int[] lengths(int[] sizes) {
        int layers = sizes.length - 1;
        int[] len = new int[2 * layers];
        for (int l = 0; l < layers; l++) {
            len[l] = sizes[l] * sizes[l + 1];
            len[layers + l] = sizes[l + 1];
        }
        return len;
    }

    static float[] parameter(HamNetwork net, int slot) {
        int layers = net.layers();
        return slot < layers ? net.weight(slot) : net.bias(slot - layers + 1);
    }

    static float[] gradient(HamGradient grad, int slot) {
        int layers = grad.layers();
        return slot < layers ? grad.weight(slot) : grad.bias(slot - layers + 1);
    }

    static float[][] zeros(int[] sizes) {
        int[] len = lengths(sizes);
        float[][] z = new float[len.length][];
        for (int i = 0; i < len.length; i++) {
            z[i] = new float[len[i]];
        }
        return z;
    }
}
