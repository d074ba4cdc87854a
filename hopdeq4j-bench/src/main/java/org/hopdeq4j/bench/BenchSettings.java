package org.hopdeq4j.bench;

import java.util.SplittableRandom;

/**
 * Warm-up and measurement settings shared by every benchmark of this module, in one place so
 * that results stay comparable. {@link KernelBenchmark}, which every benchmark class extends,
 * refers to these constants in its JMH annotations; command-line options ({@code -wi},
 * {@code -i}, {@code -f}) still override them.
 */
public final class BenchSettings {

    /** Warm-up iterations per fork. */
    public static final int WARMUP_ITERATIONS = 3;

    /** Seconds per warm-up iteration. */
    public static final int WARMUP_SECONDS = 1;

    /** Measured iterations per fork. */
    public static final int MEASUREMENT_ITERATIONS = 5;

    /** Seconds per measured iteration. */
    public static final int MEASUREMENT_SECONDS = 1;

    /** Forked JVMs per configuration. */
    public static final int FORKS = 1;

    /**
     * JVM option of every fork: the incubating Vector API, which the solvers' reductions use
     * when it is present (as in the {@code hopdeq4j} launcher).
     */
    public static final String VECTOR_MODULE = "--add-modules=jdk.incubator.vector";

    /** Seed of every benchmark's random data. */
    public static final long SEED = 20240531L;

    private BenchSettings() {
    }

    /** {@code length} values uniform in [-1, 1) from {@code random}. */
    public static float[] uniform(int length, SplittableRandom random) {
        float[] x = new float[length];
        for (int i = 0; i < length; i++) {
            x[i] = (float) (random.nextDouble() * 2 - 1);
        }
        return x;
    }
}
