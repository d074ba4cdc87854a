package org.hopdeq4j.bench;

import java.util.SplittableRandom;

import org.hopdeq4j.linalg.ShiftedSigmoid;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Setup;

/**
 * Time of the activation kernels on a batch of states, 64 x 2000 elements: the library's
 * {@link ShiftedSigmoid} array kernels against the loops they replaced
 * ({@code Math.exp} in double, and in float), to record the gain and to see whether C2
 * vectorises the kernel (compare with {@code -jvmArgsAppend -XX:-UseSuperWord}).
 *
 * <p>The setup checks that the library kernel is within 3e-7 of the double-precision
 * definition before anything is timed.
 */
public class ActivationBenchmark extends KernelBenchmark {

    private static final int SIZE = 64 * 2000;

    private final ShiftedSigmoid rho = new ShiftedSigmoid();
    private float[] s;
    private float[] out;
    private float[] derivative;

    /** Draws states like a HAM's (normal, standard deviation 2) and checks the kernel. */
    @Setup(Level.Trial)
    public void setUp() {
        SplittableRandom random = new SplittableRandom(BenchSettings.SEED);
        s = new float[SIZE];
        out = new float[SIZE];
        derivative = new float[SIZE];
        for (int i = 0; i < SIZE; i++) {
            s[i] = (float) (2 * random.nextGaussian());
        }
        rho.apply(s, 0, out, 0, SIZE);
        for (int i = 0; i < SIZE; i++) {
            double exact = rho.valueExact(s[i]);
            if (!(Math.abs(out[i] - exact) <= 3e-7)) {
                throw new IllegalStateException("rho(" + s[i] + ") = " + out[i]
                    + " but the definition gives " + exact);
            }
        }
    }

    /** The library kernel: rho only. */
    @Benchmark
    public float[] rationalApply() {
        rho.apply(s, 0, out, 0, SIZE);
        return out;
    }

    /** The library kernel: rho and rho' in one pass. */
    @Benchmark
    public float[] rationalApplyWithDerivative() {
        rho.applyWithDerivative(s, out, derivative, 0, SIZE);
        return derivative;
    }

    /** The kernel before: {@code Math.exp} in double per element. */
    @Benchmark
    public float[] doubleExpApply() {
        for (int i = 0; i < SIZE; i++) {
            out[i] = (float) (1.0 / (1.0 + Math.exp(2.0 - 4.0 * s[i])));
        }
        return out;
    }

    /** The same with the result of {@code Math.exp} rounded to float first. */
    @Benchmark
    public float[] floatExpApply() {
        for (int i = 0; i < SIZE; i++) {
            out[i] = 1f / (1f + (float) Math.exp(2f - 4f * s[i]));
        }
        return out;
    }
}
