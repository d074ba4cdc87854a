package org.hopdeq4j.ham;

import java.util.Arrays;

/**
 * Which free layers a row-major state batch holds and where: a state of width {@link #width()}
 * per sample is the concatenation of the listed layers' blocks, so layer l of sample i starts
 * at {@code i * width() + offset(l)}.
 *
 * <p>The synchronous update keeps all free layers 1..L; the even-odd update keeps the class of
 * layers whose parity equals the output layer's and treats the other class as auxiliary.
 */
public final class StateLayout {

    private final int[] layers;
    private final int[] offsets;
    private final int[] sizes;
    private final int width;

    private StateLayout(int[] netSizes, int[] layers) {
        this.layers = layers;
        this.offsets = new int[netSizes.length];
        this.sizes = new int[netSizes.length];
        Arrays.fill(offsets, -1);
        int w = 0;
        for (int l : layers) {
            offsets[l] = w;
            sizes[l] = netSizes[l];
            w += netSizes[l];
        }
        this.width = w;
    }

    /** All free layers 1..L, in order. */
    public static StateLayout allFree(int[] netSizes) {
        int count = netSizes.length - 1;
        int[] layers = new int[count];
        for (int i = 0; i < count; i++) {
            layers[i] = i + 1;
        }
        return new StateLayout(netSizes, layers);
    }

    /** The free layers l >= 1 with {@code l % 2 == parity}, in order. */
    public static StateLayout parityClass(int[] netSizes, int parity) {
        int count = 0;
        for (int l = 1; l < netSizes.length; l++) {
            if (l % 2 == parity) {
                count++;
            }
        }
        int[] layers = new int[count];
        int i = 0;
        for (int l = 1; l < netSizes.length; l++) {
            if (l % 2 == parity) {
                layers[i++] = l;
            }
        }
        return new StateLayout(netSizes, layers);
    }

    /** Units per sample. */
    public int width() {
        return width;
    }

    /** The layers held, ascending. Do not modify. */
    int[] layerArray() {
        return layers;
    }

    /** A copy of the layers held, ascending. */
    public int[] layers() {
        return layers.clone();
    }

    /** Whether layer l is held. */
    public boolean contains(int l) {
        return l >= 0 && l < offsets.length && offsets[l] >= 0;
    }

    /** Column offset of layer l within a sample's row, or -1 if not held. */
    public int offset(int l) {
        return offsets[l];
    }

    /** Size of layer l if held, else 0. */
    public int size(int l) {
        return sizes[l];
    }

    @Override
    public String toString() {
        return "layers " + Arrays.toString(layers) + " (width " + width + ")";
    }
}
