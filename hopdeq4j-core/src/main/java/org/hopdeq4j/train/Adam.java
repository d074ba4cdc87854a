package org.hopdeq4j.train;

import java.util.ArrayList;
import java.util.List;

import org.hopdeq4j.ham.HamGradient;
import org.hopdeq4j.ham.HamNetwork;
import org.hopdeq4j.io.FileFormatException;
import org.hopdeq4j.io.Safetensors;

/**
 * Adam (Kingma and Ba 2015) with beta1 0.9, beta2 0.999, epsilon 1e-8 and bias correction:
 * {@code p -= lr * mhat / (sqrt(vhat) + eps)}.
 */
public final class Adam implements Optimizer {

    private static final double BETA1 = 0.9;
    private static final double BETA2 = 0.999;
    private static final double EPS = 1e-8;

    private final List<String> names;
    private final float[][] m;
    private final float[][] v;
    private long t;

    /** Adam for a network of these sizes. */
    public Adam(int[] sizes) {
        names = ParameterSlots.names(sizes);
        m = ParameterSlots.zeros(sizes);
        v = ParameterSlots.zeros(sizes);
    }

    @Override
    public String name() {
        return "adam";
    }

    @Override
    public long steps() {
        return t;
    }

    @Override
    public void step(HamNetwork net, HamGradient grad, double lr) {
        t++;
        double c1 = 1 - Math.pow(BETA1, t);
        double c2 = 1 - Math.pow(BETA2, t);
        for (int slot = 0; slot < names.size(); slot++) {
            float[] p = ParameterSlots.parameter(net, slot);
            float[] g = ParameterSlots.gradient(grad, slot);
            float[] ms = m[slot];
            float[] vs = v[slot];
            for (int i = 0; i < p.length; i++) {
                ms[i] = (float) (BETA1 * ms[i] + (1 - BETA1) * g[i]);
                vs[i] = (float) (BETA2 * vs[i] + (1 - BETA2) * g[i] * g[i]);
                p[i] -= (float) (lr * (ms[i] / c1) / (Math.sqrt(vs[i] / c2) + EPS));
            }
        }
    }

    @Override
    public List<Safetensors.Tensor> state() {
        List<Safetensors.Tensor> out = new ArrayList<>();
        for (int slot = 0; slot < names.size(); slot++) {
            out.add(Safetensors.Tensor.of("adam.m." + names.get(slot), m[slot], m[slot].length));
            out.add(Safetensors.Tensor.of("adam.v." + names.get(slot), v[slot], v[slot].length));
        }
        return out;
    }

    @Override
    public void restore(Safetensors.Contents contents, long steps) throws FileFormatException {
        for (int slot = 0; slot < names.size(); slot++) {
            String n = names.get(slot);
            System.arraycopy(contents.require("adam.m." + n, m[slot].length), 0, m[slot], 0,
                m[slot].length);
            System.arraycopy(contents.require("adam.v." + n, v[slot].length), 0, v[slot], 0,
                v[slot].length);
        }
        t = steps;
    }
}
