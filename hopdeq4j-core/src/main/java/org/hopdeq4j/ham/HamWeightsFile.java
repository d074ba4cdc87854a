package org.hopdeq4j.ham;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.hopdeq4j.io.FileFormatException;
import org.hopdeq4j.io.Safetensors;
import org.hopdeq4j.linalg.ShiftedSigmoid;

/**
 * A HAM's weights in safetensors, the layout PyTorch and JAX users read: float32 tensors
 * {@code W0} .. {@code W{L-1}} ({@code Wl} of shape [n_l, n_{l+1}]) and {@code b1} .. {@code bL}
 * (shape [n_l]), with metadata {@code model = ham}, {@code layers = 784,1990,10} and
 * {@code activation = sigmoid4}. Extra metadata keys are kept for provenance and ignored on
 * reading.
 */
public final class HamWeightsFile {

    private HamWeightsFile() {
    }

    /** Writes the network atomically, with any extra metadata (may be empty). */
    public static void write(Path file, HamNetwork net, Map<String, String> extraMetadata)
            throws IOException {
        List<Safetensors.Tensor> tensors = tensors(net);
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("model", "ham");
        metadata.put("layers", HamNetwork.formatSizes(net.sizes()));
        metadata.put("activation", net.activation().name());
        for (Map.Entry<String, String> e : extraMetadata.entrySet()) {
            metadata.putIfAbsent(e.getKey(), e.getValue());
        }
        Safetensors.write(file, tensors, metadata);
    }

    /**
     * Reads a network. The layer sizes come from the {@code layers} metadata; every tensor must
     * exist with the shape they imply.
     *
     * @throws FileFormatException if the file is not a HAM weights file of this layout, naming
     *     the file and the fault (missing tensor, wrong shape or dtype, bad metadata, truncation)
     * @throws IOException if the file cannot be read
     */
    public static HamNetwork read(Path file) throws IOException {
        Safetensors.Contents contents = Safetensors.read(file);
        Map<String, String> meta = contents.metadata();
        String model = meta.get("model");
        if (model != null && !model.equals("ham")) {
            throw new FileFormatException("weights file " + file + " holds model '" + model
                + "' but only 'ham' is supported");
        }
        String activation = meta.get("activation");
        if (activation != null && !activation.equals(ShiftedSigmoid.NAME)) {
            throw new FileFormatException("weights file " + file + " uses activation '"
                + activation + "' but only '" + ShiftedSigmoid.NAME + "' is supported");
        }
        String layers = meta.get("layers");
        int[] sizes;
        if (layers == null) {
            sizes = sizesFromShapes(contents);
        } else {
            try {
                sizes = HamNetwork.parseSizes(layers);
            } catch (IllegalArgumentException e) {
                throw new FileFormatException("weights file " + file + ": metadata 'layers' is '"
                    + layers + "', not a list of positive sizes");
            }
        }

        HamNetwork net = new HamNetwork(sizes, new ShiftedSigmoid());
        load(contents, net);
        return net;
    }

    /**
     * The parameters as named tensors in this layout ({@code W0} .. {@code b1} ..), sharing the
     * network's arrays: for files that hold more than the weights, such as checkpoints.
     */
    public static List<Safetensors.Tensor> tensors(HamNetwork net) {
        List<Safetensors.Tensor> tensors = new ArrayList<>();
        for (int l = 0; l < net.layers(); l++) {
            tensors.add(Safetensors.Tensor.of("W" + l, net.weight(l), net.size(l),
                net.size(l + 1)));
        }
        for (int l = 1; l <= net.layers(); l++) {
            tensors.add(Safetensors.Tensor.of("b" + l, net.bias(l), net.size(l)));
        }
        return tensors;
    }

    /**
     * Copies the tensors of this layout from {@code contents} into {@code net}'s parameters.
     *
     * @throws FileFormatException if a tensor is missing or its shape differs from the
     *     network's
     */
    public static void load(Safetensors.Contents contents, HamNetwork net)
            throws FileFormatException {
        for (int l = 0; l < net.layers(); l++) {
            float[] w = contents.require("W" + l, net.size(l), net.size(l + 1));
            System.arraycopy(w, 0, net.weight(l), 0, w.length);
        }
        for (int l = 1; l <= net.layers(); l++) {
            float[] b = contents.require("b" + l, net.size(l));
            System.arraycopy(b, 0, net.bias(l), 0, b.length);
        }
        net.parametersChanged();
    }

    /** Infers n_0..n_L from W0, W1, ... when the metadata has no layer list. */
    private static int[] sizesFromShapes(Safetensors.Contents contents) throws IOException {
        List<Integer> sizes = new ArrayList<>();
        for (int l = 0; ; l++) {
            Safetensors.Tensor w = contents.tensors().get("W" + l);
            if (w == null) {
                break;
            }
            if (w.shape().length != 2) {
                throw new FileFormatException("weights file " + contents.file() + ": tensor 'W"
                    + l + "' must have 2 dimensions but has " + w.shape().length);
            }
            if (l == 0) {
                sizes.add((int) w.shape()[0]);
            }
            sizes.add((int) w.shape()[1]);
        }
        if (sizes.isEmpty()) {
            throw new FileFormatException("weights file " + contents.file()
                + " has neither 'layers' metadata nor a tensor 'W0'");
        }
        return sizes.stream().mapToInt(Integer::intValue).toArray();
    }
}
