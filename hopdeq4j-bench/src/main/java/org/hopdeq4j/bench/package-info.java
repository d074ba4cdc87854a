/**
 * JMH benchmarks of the compute kernels: {@link org.hopdeq4j.bench.MatMulBenchmark} for the
 * matrix backends on the HAM's product shapes, {@link org.hopdeq4j.bench.RowsOfBBenchmark} and
 * {@link org.hopdeq4j.bench.SparseRowsBenchmark} for the input drive, {@link
 * org.hopdeq4j.bench.ActivationBenchmark} for the activation kernels and {@link
 * org.hopdeq4j.bench.AndersonBenchmark} for the solvers' bookkeeping. Each extends {@link
 * org.hopdeq4j.bench.KernelBenchmark}, which carries the shared JMH settings of {@link
 * org.hopdeq4j.bench.BenchSettings}. Each benchmark checks its results before timing.
 */
package org.hopdeq4j.bench;
