/**
 * Dense float32 linear algebra: the {@link org.hopdeq4j.linalg.MatMul} interface, its
 * backends, and the fused elementwise kernels of the activation.
 */
package org.hopdeq4j.linalg;
