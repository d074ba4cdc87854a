/**
 * Performance measurement of whole configurations: {@link org.hopdeq4j.perf.StepBenchmark}
 * times training steps and inference batches, counts their multiply-adds by shape and replays
 * the same products on the matrix backend alone. The kernel benchmarks live in the JMH module.
 */
package org.hopdeq4j.perf;
