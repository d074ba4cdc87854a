package org.hopdeq4j.ham;

import java.util.Arrays;
import java.util.SplittableRandom;

import org.hopdeq4j.linalg.Activation;
import org.hopdeq4j.linalg.ShiftedSigmoid;

/**
 * The parameters of a Hierarchical Associative Memory (Krotov 2021; the paper's Eqs. 3, 4, 6),
 * stored per block: {@code W_l} (n_l x n_{l+1}, row-major) couples layer l and l+1 for
 * l = 0..L-1 ({@code W_0}, also called U, couples the input), and {@code b_l} (n_l) is the bias
 * of free layer l = 1..L. Layer 0 is the input and has no bias. There are no connections inside
 * a layer and none between non-consecutive layers, so no masked dense matrix exists anywhere.
 *
 * <p>The arrays returned by {@link #weight(int)} and {@link #bias(int)} are the live
 * parameters: optimisers update them in place. Whoever changes them in place must then call
 * {@link #parametersChanged()} (maps cache quantities derived from W_0), and tell anyone holding
 * a resident copy (a native matrix backend).
 */
public final class HamNetwork {

    private final int[] sizes;
    private final float[][] weights;
    private final float[][] biases;
    private final Activation activation;
    private long revision;

    /**
     * Creates a network with all parameters zero.
     *
     * @param sizes layer sizes n_0 (input) .. n_L (output); at least two entries, all positive
     * @throws IllegalArgumentException if the sizes are invalid
     */
    public HamNetwork(int[] sizes, Activation activation) {
        validateSizes(sizes);
        this.sizes = sizes.clone();
        this.activation = activation;
        int layers = sizes.length - 1;
        weights = new float[layers][];
        biases = new float[layers + 1][];
        for (int l = 0; l < layers; l++) {
            weights[l] = new float[Math.multiplyExact(sizes[l], sizes[l + 1])];
        }
        for (int l = 1; l <= layers; l++) {
            biases[l] = new float[sizes[l]];
        }
    }

    /**
     * The paper's initialisation: every block {@code W_l} Xavier-uniform with bound
     * {@code sqrt(6 / (n_l + n_{l+1}))}, every bias normal with mean 0 and standard deviation
     * 0.01. Draws come from one {@link SplittableRandom} seeded with {@code seed}, in the
     * order W_0, W_1, ..., W_{L-1}, b_1, ..., b_L, row-major within each tensor.
     */
    public static HamNetwork initialise(int[] sizes, long seed) {
        HamNetwork net = new HamNetwork(sizes, new ShiftedSigmoid());
        SplittableRandom random = new SplittableRandom(seed);
        for (int l = 0; l < net.layers(); l++) {
            double bound = Math.sqrt(6.0 / (sizes[l] + sizes[l + 1]));
            float[] w = net.weights[l];
            for (int i = 0; i < w.length; i++) {
                w[i] = (float) ((2.0 * random.nextDouble() - 1.0) * bound);
            }
        }
        for (int l = 1; l <= net.layers(); l++) {
            float[] b = net.biases[l];
            for (int i = 0; i < b.length; i++) {
                b[i] = (float) (0.01 * gaussian(random));
            }
        }
        return net;
    }

    /** Parses a layer list such as {@code "784,1990,10"}. */
    public static int[] parseSizes(String text) {
        String[] parts = text.trim().split("\\s*,\\s*");
        int[] sizes = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                sizes[i] = Integer.parseInt(parts[i]);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(
                    "layers must be a comma-separated list of positive integers but was '"
                        + text + "'");
            }
        }
        validateSizes(sizes);
        return sizes;
    }

    /** Formats sizes as {@code "784,1990,10"}. */
    public static String formatSizes(int[] sizes) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < sizes.length; i++) {
            sb.append(i == 0 ? "" : ",").append(sizes[i]);
        }
        return sb.toString();
    }

    private static void validateSizes(int[] sizes) {
        if (sizes.length < 2) {
            throw new IllegalArgumentException(
                "layers needs at least an input and an output size but was "
                    + Arrays.toString(sizes));
        }
        for (int n : sizes) {
            if (n <= 0) {
                throw new IllegalArgumentException(
                    "every layer size must be positive but layers were " + Arrays.toString(sizes));
            }
        }
    }

    // Box-Muller; one normal per call keeps the draw order simple to state.
    private static double gaussian(SplittableRandom random) {
        double u = 1.0 - random.nextDouble();
        double v = random.nextDouble();
        return Math.sqrt(-2.0 * Math.log(u)) * Math.cos(2.0 * Math.PI * v);
    }

    /** Number of free layers L (the output is layer L). */
    public int layers() {
        return sizes.length - 1;
    }

    /** Size n_l of layer l, 0 (input) .. L (output). */
    public int size(int l) {
        return sizes[l];
    }

    /** A copy of all layer sizes n_0 .. n_L. */
    public int[] sizes() {
        return sizes.clone();
    }

    /** Total number of free units n_1 + ... + n_L. */
    public int freeUnits() {
        int total = 0;
        for (int l = 1; l < sizes.length; l++) {
            total += sizes[l];
        }
        return total;
    }

    /** The live block W_l (n_l x n_{l+1}, row-major), l = 0 .. L-1. */
    public float[] weight(int l) {
        return weights[l];
    }

    /** The live bias b_l (n_l), l = 1 .. L. */
    public float[] bias(int l) {
        if (l < 1 || l > layers()) {
            throw new IllegalArgumentException("bias layer must be in 1.." + layers()
                + " but was " + l);
        }
        return biases[l];
    }

    /**
     * Reports that the weight or bias arrays were changed in place. Caches derived from the
     * parameters (the input drive's constant row in {@link HamMap}) compare {@link #revision()}
     * and recompute. Optimiser steps and {@link HamWeightsFile#load} call it.
     */
    public void parametersChanged() {
        revision++;
    }

    /** How many times {@link #parametersChanged()} was called. */
    public long revision() {
        return revision;
    }

    /** The activation rho of every layer. */
    public Activation activation() {
        return activation;
    }

    /** Multiply-adds of one pass through all blocks for one sample: sum of n_l * n_{l+1}. */
    public long blockMultiplyAdds() {
        long total = 0;
        for (int l = 0; l < layers(); l++) {
            total += (long) sizes[l] * sizes[l + 1];
        }
        return total;
    }

    /** A deep copy of this network. */
    public HamNetwork copy() {
        HamNetwork c = new HamNetwork(sizes, activation);
        for (int l = 0; l < layers(); l++) {
            System.arraycopy(weights[l], 0, c.weights[l], 0, weights[l].length);
        }
        for (int l = 1; l <= layers(); l++) {
            System.arraycopy(biases[l], 0, c.biases[l], 0, biases[l].length);
        }
        return c;
    }
}
