package org.hopdeq4j.linalg;

/**
 * The paper's activation {@code rho(s) = sigmoid(4 s - 2)}, with
 * {@code rho'(s) = 4 rho (1 - rho)} and Lagrangian {@code Lag(s) = softplus(4 s - 2) / 4}.
 *
 * <p>The float kernels use the identity {@code sigmoid(u) = (1 + tanh(u / 2)) / 2} and a
 * rational minimax approximation {@code tanh(x) ~ x P(z) / Q(z)}, {@code z = x^2}, fitted on
 * {@code [0, 9.5]} with P of degree 5 and Q of degree 3 in z. The argument is
 * clamped to {@code [-9.5, 9.5]}, where {@code tanh} already rounds to {@code +-1} in float.
 * The loop body is plain float arithmetic with {@code Math.min}/{@code Math.max} and one
 * division and no branch, so HotSpot's C2 compiler vectorises the array kernels with AVX
 * (checked with a JMH benchmark; see docs/design-notes.md). The JDK 17 loop vectoriser does not
 * handle {@code Float.intBitsToFloat} or float-to-int conversion, which rules out the usual
 * exponent-field construction of {@code exp}.
 *
 * <p>Accuracy: every output is within 3e-7 of the exact value (about 4 float ulps near 1;
 * measured over a dense sweep of {@code [-30, 30]} by the unit tests). The scalar methods use
 * the same formula as the array kernels, so both give bitwise equal results.
 *
 * <p>Saturates exactly: {@code rho(s) = 0} for {@code s <= -4.25} and {@code rho(s) = 1} for
 * {@code s >= 5.25} (including the infinities); NaN in gives NaN out.
 */
public final class ShiftedSigmoid implements Activation {

    private static float fma(float a, float b, float c) {
        return Math.fma(a, b, c);
    }

    /** The activation's name in files and metadata. */
    public static final String NAME = "sigmoid4";

    /** Clamp of {@code x = 2 s - 1}; {@code tanh(9.5)} rounds to 1 in float. */
    private static final float X_MAX = 9.5f;

    // tanh(x) ~ x P(z) / Q(z) with z = x^2, lowest degree first: a minimax fit of the
    // absolute error on [0, 9.5] with P(9.5^2) * 9.5 >= Q(9.5^2) (the fit reaches 1 at the
    // clamp, so saturated values come out exactly +-1).
    private static final float P0 = 0.9999994039535522f;
    private static final float P1 = 0.12854920327663422f;
    private static final float P2 = 0.002853082027286291f;
    private static final float P3 = 8.680944119987544e-06f;
    private static final float P4 = -1.1153836076971402e-08f;
    private static final float P5 = 1.4466233766441405e-11f;
    private static final float Q1 = 0.4618804156780243f;
    private static final float Q2 = 0.023482128977775574f;
    private static final float Q3 = 0.00021894968813285232f;

    /** Creates the activation; it has no state. */
    public ShiftedSigmoid() {
    }

    @Override
    public String name() {
        return NAME;
    }

    /**
     * {@code rho(s) = sigmoid(4 s - 2)}, with absolute error below 3e-7.
     *
     * @param s the state
     * @return a value in {@code [0, 1]}, or NaN when {@code s} is NaN
     */
    @Override
    public float value(float s) {
        return rho(s);
    }

    /**
     * {@code rho(s) = 1 / (1 + exp(2 - 4 s))} in double precision with {@code Math.exp}: the
     * reference the float kernels are checked against.
     *
     * @param s the state
     * @return a value in {@code [0, 1]}, or NaN when {@code s} is NaN
     */
    @Override
    public double valueExact(double s) {
        return 1.0 / (1.0 + Math.exp(2.0 - 4.0 * s));
    }

    /**
     * {@code rho'(s) = 4 rho(s) (1 - rho(s))}, from the approximate {@code rho}.
     *
     * @param s the state
     * @return a value in {@code [0, 1]}, or NaN when {@code s} is NaN
     */
    @Override
    public float derivative(float s) {
        float r = rho(s);
        return 4f * r * (1f - r);
    }

    /**
     * {@code Lag(s) = softplus(4 s - 2) / 4} in double precision, written as
     * {@code (max(u, 0) + log1p(exp(-|u|))) / 4} so that it neither overflows nor cancels.
     *
     * @param s the state
     * @return the Lagrangian; {@code +Inf} for {@code s = +Inf}, 0 for {@code s = -Inf}
     */
    @Override
    public double lagrangian(double s) {
        double u = 4.0 * s - 2.0;
        return (Math.max(u, 0.0) + Math.log1p(Math.exp(-Math.abs(u)))) / 4.0;
    }

    /**
     * {@code out[outOff + i] = rho(s[sOff + i])} for {@code i < len}. Reads {@code s}; writes
     * only {@code out}, which may be {@code s} itself with {@code outOff == sOff}, but must
     * not overlap it partially.
     *
     * @throws ArrayIndexOutOfBoundsException when a range runs past its array
     */
    @Override
    public void apply(float[] s, int sOff, float[] out, int outOff, int len) {
        if (sOff == outOff) {
            kernel(s, out, sOff, sOff + len);
            return;
        }
        // C2 does not vectorise a loop that loads at one variable offset and stores at
        // another; copying first and updating in place keeps the kernel vectorised.
        System.arraycopy(s, sOff, out, outOff, len);
        kernel(out, out, outOff, outOff + len);
    }

    /**
     * {@code out[i] = rho(s[i])} and {@code dOut[i] = 4 out[i] (1 - out[i])} for
     * {@code off <= i < off + len}, in two passes over the range (the second reads
     * {@code out} back). Reads {@code s}; writes {@code out} and {@code dOut}. {@code out}
     * may be {@code s}; {@code dOut} must differ from both.
     *
     * @throws ArrayIndexOutOfBoundsException when the range runs past an array
     */
    @Override
    public void applyWithDerivative(float[] s, float[] out, float[] dOut, int off, int len) {
        // Two vectorised passes: C2 vectorises the kernel's loop reliably only when its
        // body is the formula alone.
        kernel(s, out, off, off + len);
        for (int i = off, end = off + len; i < end; i++) {
            float r = out[i];
            dOut[i] = 4f * r * (1f - r);
        }
    }

    /**
     * The formula: {@code (1 + tanh(x)) / 2} with {@code x = 2 s - 1} clamped to
     * {@code [-9.5, 9.5]}. Dividing by {@code max(Q, |x P|)} instead of Q caps the quotient
     * at exactly {@code +-1} (a number divided by its own magnitude) where the fit overshoots
     * near the clamp, so saturated values are exactly 0 and 1. Math.min/max propagate NaN.
     * {@link #kernel} repeats it operation for operation.
     */
    private static float rho(float s) {
        float x = Math.max(-X_MAX, Math.min(X_MAX, 2f * s - 1f));
        float z = x * x;

        float xp = x * fma(fma(fma(fma(fma(P5, z, P4), z, P3), z, P2), z, P1), z, P0);
        float q = fma(fma(fma(Q3, z, Q2), z, Q1), z, 1f);
        float t = xp / Math.max(q, Math.abs(xp));

        return fma(0.5f, t, 0.5f);
    }

    /**
     * {@code out[i] = rho(s[i])} for {@code from <= i < to}: the formula of {@link #rho}
     * written out in the loop, so that vectorisation does not hang on an inlining decision.
     */
    private static void kernel(float[] s, float[] out, int from, int to) {
        for (int i = from; i < to; i++) {
            float x = Math.max(-X_MAX, Math.min(X_MAX, 2f * s[i] - 1f));
            float z = x * x;
            float xp = x * fma(fma(fma(fma(fma(P5, z, P4), z, P3), z, P2), z, P1), z, P0);
            float q = fma(fma(fma(Q3, z, Q2), z, Q1), z, 1f);
            out[i] = fma(0.5f, xp / Math.max(q, Math.abs(xp)), 0.5f);
        }
    }
}
