package org.hopdeq4j.linalg;

/**
 * An elementwise activation {@code rho} with the Lagrangian {@code Lag} it derives from
 * ({@code dLag/ds = rho}), as a HAM needs it (DESIGN.md section 2).
 *
 * <p>The array kernels run over every state at every solver step, so implementations write
 * them as tight loops over contiguous ranges. Input and output ranges may alias exactly
 * (in-place) but must not overlap partially.
 */
public interface Activation {

    /** Name written to weight files and run metadata, for example {@code "sigmoid4"}. */
    String name();

    /** {@code rho(s)}. */
    float value(float s);

    /** {@code rho(s)} evaluated in double precision, for energies and reference checks. */
    double valueExact(double s);

    /** {@code rho'(s)}. */
    float derivative(float s);

    /** {@code Lag(s)}, with {@code dLag/ds = rho(s)}; double precision for energy sums. */
    double lagrangian(double s);

    /** {@code out[outOff + i] = rho(s[sOff + i])} for {@code i < len}. */
    void apply(float[] s, int sOff, float[] out, int outOff, int len);

    /**
     * {@code out[off + i] = rho(s[off + i])} and {@code dOut[off + i] = rho'(s[off + i])}
     * in one pass.
     */
    void applyWithDerivative(float[] s, float[] out, float[] dOut, int off, int len);
}
