/**
 * Evaluation of a HAM on a labelled image set: batched fixed-point solves, accuracy, the
 * paper's iterations to converge, residual and energy traces, wall time
 * ({@link org.hopdeq4j.eval.Evaluator}); and the progress listener every long task reports to.
 */
package org.hopdeq4j.eval;
