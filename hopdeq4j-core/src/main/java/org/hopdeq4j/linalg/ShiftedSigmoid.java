package org.hopdeq4j.linalg;

/**
 * The paper's activation {@code rho(s) = sigmoid(4 s - 2)}, with
 * {@code rho'(s) = 4 rho (1 - rho)} and Lagrangian {@code Lag(s) = softplus(4 s - 2) / 4}.
 *
 * <p>Saturates cleanly: for very negative s, {@code rho} underflows to 0 and for very positive
 * s it rounds to 1; NaN in gives NaN out.
 */
public final class ShiftedSigmoid implements Activation {

    /** The activation's name in files and metadata. */
    public static final String NAME = "sigmoid4";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public float value(float s) {
        return (float) (1.0 / (1.0 + Math.exp(2.0 - 4.0 * s)));
    }

    @Override
    public double valueExact(double s) {
        return 1.0 / (1.0 + Math.exp(2.0 - 4.0 * s));
    }

    @Override
    public float derivative(float s) {
        float r = value(s);
        return 4f * r * (1f - r);
    }

    @Override
    public double lagrangian(double s) {
        double u = 4.0 * s - 2.0;
        // softplus(u) = max(u, 0) + log1p(exp(-|u|)), stable for large |u|
        return (Math.max(u, 0.0) + Math.log1p(Math.exp(-Math.abs(u)))) / 4.0;
    }

    @Override
    public void apply(float[] s, int sOff, float[] out, int outOff, int len) {
        for (int i = 0; i < len; i++) {
            out[outOff + i] = (float) (1.0 / (1.0 + Math.exp(2.0 - 4.0 * s[sOff + i])));
        }
    }

    @Override
    public void applyWithDerivative(float[] s, float[] out, float[] dOut, int off, int len) {
        for (int i = off, end = off + len; i < end; i++) {
            float r = (float) (1.0 / (1.0 + Math.exp(2.0 - 4.0 * s[i])));
            out[i] = r;
            dOut[i] = 4f * r * (1f - r);
        }
    }
}
