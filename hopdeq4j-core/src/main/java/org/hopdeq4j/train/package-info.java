/**
 * Training with implicit gradients: losses on the output layer's state, backward methods
 * (recurrent backpropagation, adjoint, unrolled), optimisers (Madam, Adam, SGD with momentum)
 * and the epoch loop with checkpoints ({@link org.hopdeq4j.train.Trainer}).
 */
package org.hopdeq4j.train;
