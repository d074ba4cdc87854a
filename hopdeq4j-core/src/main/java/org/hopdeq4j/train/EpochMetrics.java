package org.hopdeq4j.train;

import java.util.List;

/**
 * One epoch's figures, one row of {@code metrics.csv}.
 *
 * @param epoch 1-based epoch number
 * @param trainMeanIterations the paper's iterations to converge over the epoch's training
 *     batches (forward solves only)
 * @param wallSeconds wall time of the epoch's training steps
 * @param imagesPerSecond training images per second
 * @param testSeconds wall time of the test evaluation
 */
public record EpochMetrics(int epoch, double lr, double trainLoss, double trainMeanIterations,
                           int trainNotConverged, double testAccuracy, double testMeanIterations,
                           int testNotConverged, double wallSeconds, double imagesPerSecond,
                           double testSeconds) {

    /** Column names of metrics.csv. */
    public static final List<String> HEADER = List.of("epoch", "lr", "train_loss",
        "train_mean_iterations", "train_did_not_converge", "test_accuracy",
        "test_mean_iterations", "test_did_not_converge", "wall_seconds", "images_per_second",
        "test_seconds");

    /** The values in {@link #HEADER} order. */
    public List<Object> row() {
        return List.of(epoch, lr, trainLoss, trainMeanIterations, trainNotConverged,
            testAccuracy, testMeanIterations, testNotConverged, wallSeconds, imagesPerSecond,
            testSeconds);
    }
}
