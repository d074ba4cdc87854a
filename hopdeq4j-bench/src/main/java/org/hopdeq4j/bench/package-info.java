/**
 * JMH benchmarks of the compute kernels: {@link org.hopdeq4j.bench.MatMulBenchmark} for the
 * matrix backends on the HAM's product shapes and {@link org.hopdeq4j.bench.ActivationBenchmark}
 * for the activation kernels. {@link org.hopdeq4j.bench.BenchSettings} holds the shared
 * warm-up and measurement settings. Each benchmark checks its results before timing.
 */
package org.hopdeq4j.bench;
