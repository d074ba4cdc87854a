package org.hopdeq4j.bench;

import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The JMH settings every benchmark of this module shares, as class annotations that JMH
 * inherits: per-thread state, average time in microseconds, the warm-up, measurement and fork
 * counts of {@link BenchSettings}, and the Vector API module in every fork.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = BenchSettings.WARMUP_ITERATIONS, time = BenchSettings.WARMUP_SECONDS)
@Measurement(iterations = BenchSettings.MEASUREMENT_ITERATIONS,
    time = BenchSettings.MEASUREMENT_SECONDS)
@Fork(value = BenchSettings.FORKS, jvmArgsAppend = BenchSettings.VECTOR_MODULE)
public abstract class KernelBenchmark {
}
