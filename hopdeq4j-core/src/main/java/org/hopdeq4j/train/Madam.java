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
 * zero stays zero forever. When {@code lr * g_bound <= 1/8} (the paper's 0.03 included) and
 * the gradient is finite, the exponential is evaluated by polynomials, exact to float
 * resolution (see {@code updateSmallStep}); otherwise by {@code Math.exp}.
 */
public final class Madam implements Optimizer {

    /** The paper's p_scale. */
    public static final double PAPER_P_SCALE = 1024;

    /** The paper's g_bound. */
    public static final double PAPER_G_BOUND = 3;

    /** Largest {@code lr * g_bound} for which the polynomial update replaces Math.exp. */
    static final double SMALL_STEP = 0.125;

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
        // |lr * gn| <= lr * g_bound: when that is small, exp is a short polynomial
        boolean smallStep = lr * gBound <= SMALL_STEP;
        for (int slot = 0; slot < names.size(); slot++) {
            float[] p = ParameterSlots.parameter(net, slot);
            float[] g = ParameterSlots.gradient(grad, slot);
            if (t == 1) {
                double sq = 0;
                for (float x : p) {
                    sq += (double) x * x;
                }
                max[slot] = (float) (pScale * Math.sqrt(sq / p.length));
            }
            update(p, g, v[slot], max[slot], lr, correction, smallStep);
        }
    }

    /** The update of one tensor: the fast path when it applies, else the plain loop. */
    private void update(float[] p, float[] g, float[] v, float bound, double lr,
                        double correction, boolean smallStep) {
        if (smallStep && allFinite(g)) {
            updateSmallStep(p, g, v, bound, (float) lr, (float) (1 / correction));
        } else {
            updatePlain(p, g, v, bound, lr, correction);
        }
    }

    /** The formula of the class comment, entry by entry, with Math.exp. */
    private void updatePlain(float[] p, float[] g, float[] v, float bound, double lr,
                             double correction) {
        for (int i = 0; i < p.length; i++) {
            float gi = g[i];
            float vi = 0.999f * v[i] + 0.001f * gi * gi;
            v[i] = vi;
            double gn = gi / Math.sqrt(vi / correction);
            // 0/0 where the gradient has always been zero; NaN gradients also become 0
            if (gn != gn) {
                gn = 0;
            }
            gn = Math.max(-gBound, Math.min(gBound, gn));
            float pi = p[i];
            float updated = pi * (float) Math.exp(-lr * gn * Math.signum(pi));
            p[i] = Math.max(-bound, Math.min(bound, updated));
        }
    }

    /**
     * The same update for finite gradients and {@code |lr * gn| <= 1/8}, written so that C2
     * vectorises it (no branch, no signum, no Math.exp; about 15 times faster, see
     * docs/design-notes.md). With {@code a = lr * gn}:
     * {@code p exp(-a sign(p)) = p cosh(a) - |p| sinh(a)}, and cosh and sinh are their Taylor
     * polynomials (remainder below 1e-11 relative for |a| <= 1/8). The new value is formed as
     * {@code p + (p (cosh a - 1) - |p| sinh a)} so that only the small correction carries the
     * polynomials' rounding. {@code 0 / 0} (an entry whose gradient was always zero) becomes 0
     * through the floor {@code Float.MIN_NORMAL} on the denominator, which lies below any
     * non-zero {@code sqrt(v / correction)}.
     */
    private void updateSmallStep(float[] p, float[] g, float[] v, float bound, float lr,
                                 float invCorrection) {
        float gb = (float) gBound;
        for (int i = 0; i < p.length; i++) {
            float gi = g[i];
            float vi = 0.999f * v[i] + 0.001f * gi * gi;
            v[i] = vi;
            float d = Math.max((float) Math.sqrt(vi * invCorrection), Float.MIN_NORMAL);
            float a = lr * Math.max(-gb, Math.min(gb, gi / d));

            float a2 = a * a;
            float coshMinusOne = a2 * (0.5f + a2 * (1f / 24 + a2 * (1f / 720)));
            float sinh = a * (1f + a2 * (1f / 6 + a2 * (1f / 120 + a2 * (1f / 5040))));
            float pi = p[i];
            float updated = pi + (pi * coshMinusOne - Math.abs(pi) * sinh);
            p[i] = Math.max(-bound, Math.min(bound, updated));
        }
    }

    /** Whether every entry is finite (a NaN or infinite gradient takes the plain path). */
    private static boolean allFinite(float[] g) {
        for (float x : g) {
            if (!(Math.abs(x) <= Float.MAX_VALUE)) {
                return false;
            }
        }
        return true;
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
