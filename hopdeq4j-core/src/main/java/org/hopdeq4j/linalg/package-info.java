/**
 * Dense float32 linear algebra: the {@link org.hopdeq4j.linalg.MatMul} interface, the door
 * every matrix product passes through, with its backends ({@code OpenBlasMatMul} native,
 * {@code JavaMatMul} pure Java, {@code PlainMatMul} the reference loops) created by name in
 * {@link org.hopdeq4j.linalg.MatMulBackends}, and the activation kernels
 * ({@link org.hopdeq4j.linalg.Activation}, {@code ShiftedSigmoid}).
 */
package org.hopdeq4j.linalg;
