package org.hopdeq4j.train;

import java.util.ArrayList;
import java.util.List;

import org.hopdeq4j.ham.HamGradient;
import org.hopdeq4j.ham.HamNetwork;
import org.hopdeq4j.io.FileFormatException;
import org.hopdeq4j.io.Safetensors;

/**
 * Madam (Bernstein, Mao, Liu, Meister, Yue 2020), the multiplicative update the paper trains
 * with. Per parameter tensor p with gradient g, at step t (1-based):
 *
 * <pre>
 * max = p_scale * RMS(p)            (fixed at the first step, RMS over the whole tensor)
 * v   = 0.999 v + 0.001 g^2
 * gn  = g / sqrt(v / (1 - 0.999^t)),  NaN entries set to 0, clamped to [-g_bound, g_bound]
 * p   = p * exp(-lr * gn * sign(p)),  then clamped to [-max, max]
 * </pre>
 *
 * The paper uses p_scale 1024 and g_bound 3. The update multiplies, so an entry that is exactly
 * zero stays zero forever.
 */
public final class Madam implements Optimizer {

    /** The paper's p_scale. */
    public static final double PAPER_P_SCALE = 1024;

    /** The paper's g_bound. */
    public static final double PAPER_G_BOUND = 3;

    private final double pScale;
    private final double gBound;
    private final List<String> names;
    private final float[][] v;
    private final float[] max;
    private long t;

    /** Madam for a network of these sizes. */
    public Madam(int[] sizes, double pScale, double gBound) {
        this.pScale = pScale;
        this.gBound = gBound;
        this.names = ParameterSlots.names(sizes);
        this.v = ParameterSlots.zeros(sizes);
        this.max = new float[names.size()];
    }

    @Override
    public String name() {
        return "madam";
    }

    @Override
    public long steps() {
        return t;
    }

    @Override
    public void step(HamNetwork net, HamGradient grad, double lr) {
        t++;
        double correction = 1.0 - Math.pow(0.999, t);
        for (int slot = 0; slot < names.size(); slot++) {
            float[] p = ParameterSlots.parameter(net, slot);
            float[] g = ParameterSlots.gradient(grad, slot);
            float[] vs = v[slot];
            if (t == 1) {
                double sq = 0;
                for (float x : p) {
                    sq += (double) x * x;
                }
                max[slot] = (float) (pScale * Math.sqrt(sq / p.length));
            }
            float bound = max[slot];
            for (int i = 0; i < p.length; i++) {
                float gi = g[i];
                vs[i] = 0.999f * vs[i] + 0.001f * gi * gi;
                float gn = (float) (gi / Math.sqrt(vs[i] / correction));
                if (Float.isNaN(gn)) {
                    gn = 0f;
                }
                gn = (float) Math.max(-gBound, Math.min(gBound, gn));
                float pi = p[i];
                float updated = pi * (float) Math.exp(-lr * gn * Math.signum(pi));
                p[i] = Math.max(-bound, Math.min(bound, updated));
            }
        }
    }

    @Override
    public List<Safetensors.Tensor> state() {
        List<Safetensors.Tensor> out = new ArrayList<>();
        for (int slot = 0; slot < names.size(); slot++) {
            out.add(Safetensors.Tensor.of("madam.v." + names.get(slot), v[slot], v[slot].length));
        }
        out.add(Safetensors.Tensor.of("madam.max", max, max.length));
        return out;
    }

    @Override
    public void restore(Safetensors.Contents contents, long steps) throws FileFormatException {
        for (int slot = 0; slot < names.size(); slot++) {
            float[] saved = contents.require("madam.v." + names.get(slot), v[slot].length);
            System.arraycopy(saved, 0, v[slot], 0, saved.length);
        }
        float[] savedMax = contents.require("madam.max", max.length);
        System.arraycopy(savedMax, 0, max, 0, max.length);
        t = steps;
    }
}
