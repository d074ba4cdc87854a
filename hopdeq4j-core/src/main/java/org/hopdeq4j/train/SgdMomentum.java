package org.hopdeq4j.train;

import java.util.ArrayList;
import java.util.List;

import org.hopdeq4j.ham.HamGradient;
import org.hopdeq4j.ham.HamNetwork;
import org.hopdeq4j.io.FileFormatException;
import org.hopdeq4j.io.Safetensors;

/** Stochastic gradient descent with momentum mu: {@code v = mu v + g; p -= lr v}. */
public final class SgdMomentum implements Optimizer {

    private final double momentum;
    private final List<String> names;
    private final float[][] velocity;
    private long t;

    /** SGD with the given momentum in [0, 1). */
    public SgdMomentum(int[] sizes, double momentum) {
        if (!(momentum >= 0 && momentum < 1)) {
            throw new IllegalArgumentException("momentum must be in [0, 1) but was " + momentum);
        }
        this.momentum = momentum;
        this.names = ParameterSlots.names(sizes);
        this.velocity = ParameterSlots.zeros(sizes);
    }

    @Override
    public String name() {
        return "sgd";
    }

    @Override
    public long steps() {
        return t;
    }

    @Override
    public void step(HamNetwork net, HamGradient grad, double lr) {
        t++;
        for (int slot = 0; slot < names.size(); slot++) {
            float[] p = ParameterSlots.parameter(net, slot);
            float[] g = ParameterSlots.gradient(grad, slot);
            float[] vs = velocity[slot];
            for (int i = 0; i < p.length; i++) {
                vs[i] = (float) (momentum * vs[i] + g[i]);
                p[i] -= (float) (lr * vs[i]);
            }
        }
    }

    @Override
    public List<Safetensors.Tensor> state() {
        List<Safetensors.Tensor> out = new ArrayList<>();
        for (int slot = 0; slot < names.size(); slot++) {
            out.add(Safetensors.Tensor.of("sgd.velocity." + names.get(slot), velocity[slot],
                velocity[slot].length));
        }
        return out;
    }

    @Override
    public void restore(Safetensors.Contents contents, long steps) throws FileFormatException {
        for (int slot = 0; slot < names.size(); slot++) {
            float[] saved = contents.require("sgd.velocity." + names.get(slot),
                velocity[slot].length);
            System.arraycopy(saved, 0, velocity[slot], 0, saved.length);
        }
        t = steps;
    }
}
