/**
 * Hierarchical Associative Memories: the weights stored per block
 * ({@link org.hopdeq4j.ham.HamNetwork}), the state layouts of the two updates, the fixed-point
 * maps ({@link org.hopdeq4j.ham.HamMap}: synchronous and even-odd) and the energy.
 */
package org.hopdeq4j.ham;
