package org.hopdeq4j.eval;

/**
 * What an evaluation measured over a whole image set.
 *
 * @param images images evaluated
 * @param correct images whose prediction (argmax of the output layer's state) was right
 * @param meanIterations mean iterations to converge by the paper's measure
 * @param notConverged images that never reached a relative residual below 1e-4
 * @param mapEvaluations map evaluations summed over batches
 * @param fallbacks Anderson safeguard fallbacks summed over images (0 for Picard)
 * @param wallSeconds wall time of the whole evaluation
 * @param meanResidual mean relative residual r_k over images, per k (empty if not traced)
 * @param meanEnergy mean energy of the map output after each evaluation (empty if not traced)
 */
public record EvaluationResult(int images, int correct, double meanIterations, int notConverged,
                               long mapEvaluations, long fallbacks, double wallSeconds,
                               double[] meanResidual, double[] meanEnergy) {

    /** Fraction of correct predictions. */
    public double accuracy() {
        return images == 0 ? Double.NaN : (double) correct / images;
    }

    /** Images per second of wall time. */
    public double imagesPerSecond() {
        return images / wallSeconds;
    }
}
