package org.hopdeq4j.train;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import org.hopdeq4j.ham.HamNetwork;
import org.hopdeq4j.ham.Update;
import org.hopdeq4j.solve.Solvers;

/**
 * Everything that decides a training run's result. Validated on construction; written to
 * {@code config.json} and compared on resume.
 *
 * @param layers layer sizes n_0 .. n_L
 * @param damping forward Euler step h in (0, 1]
 * @param forwardIterations forward budget (map evaluations)
 * @param backward {@code recurrent}, {@code adjoint} or {@code unrolled}
 * @param backwardIterations K for recurrent; the adjoint solve's budget
 * @param backwardSolver the adjoint solve's solver
 * @param backwardTolerance the adjoint solve's early-stop tolerance, or NaN
 * @param lr the first epoch's learning rate
 * @param lrDecayEpochs learning rate falls linearly to lr/10 at this epoch (0: constant)
 * @param trainLimit use only this many training images (0: all)
 */
public record TrainConfig(int[] layers, Update update, Solvers solver, double damping,
                          int forwardIterations, String backward, int backwardIterations,
                          Solvers backwardSolver, double backwardTolerance,
                          Optimizer.Kind optimizer, double lr, int lrDecayEpochs, int epochs,
                          int batchSize, long seed, int trainLimit, Loss loss) {

    /** Validates every field with a message naming it. */
    public TrainConfig {
        HamNetwork.parseSizes(HamNetwork.formatSizes(layers));
        if (!(damping > 0 && damping <= 1)) {
            throw new IllegalArgumentException("damping must be in (0, 1] but was " + damping);
        }
        positive("forward-iterations", forwardIterations);
        positive("backward-iterations", backwardIterations);
        positive("epochs", epochs);
        positive("batch-size", batchSize);
        if (!(lr > 0) || Double.isInfinite(lr)) {
            throw new IllegalArgumentException("lr must be a positive number but was " + lr);
        }
        if (lrDecayEpochs < 0) {
            throw new IllegalArgumentException(
                "lr-decay-epochs must be >= 0 but was " + lrDecayEpochs);
        }
        if (trainLimit < 0) {
            throw new IllegalArgumentException("train-limit must be >= 0 but was " + trainLimit);
        }
        backward = backward.trim().toLowerCase(Locale.ROOT);
        if (!backward.equals("recurrent") && !backward.equals("adjoint")
            && !backward.equals("unrolled")) {
            throw new IllegalArgumentException(
                "backward must be recurrent, adjoint or unrolled but was '" + backward + "'");
        }
        if (backward.equals("unrolled") && solver != Solvers.PICARD) {
            throw new IllegalArgumentException(
                "backward unrolled replays a Picard solve: it needs --solver picard, not "
                    + solver.label());
        }
        layers = layers.clone();
    }

    private static void positive(String name, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(name + " must be >= 1 but was " + value);
        }
    }

    /** The paper's learning rate: 0.01 for 3 layers, 0.005 deeper. */
    public static double paperLearningRate(int[] layers) {
        return layers.length <= 3 ? 0.01 : 0.005;
    }

    /**
     * Learning rate of epoch e (0-based): linear from lr at epoch 0 to lr/10 at epoch
     * {@code lrDecayEpochs - 1}, then lr/10 (the paper's LinearLR over 10 epochs).
     */
    public double learningRate(int epoch) {
        if (lrDecayEpochs <= 1) {
            return lrDecayEpochs == 1 ? lr / 10 : lr;
        }
        double progress = Math.min(1.0, epoch / (double) (lrDecayEpochs - 1));
        return lr * (1 - 0.9 * progress);
    }

    /** The configuration as JSON-ready key-values, in a fixed order. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("layers", HamNetwork.formatSizes(layers));
        m.put("update", update.label());
        m.put("solver", solver.label());
        m.put("damping", damping);
        m.put("forward_iterations", forwardIterations);
        m.put("backward", backward);
        m.put("backward_iterations", backwardIterations);
        m.put("backward_solver", backwardSolver.label());
        m.put("backward_tolerance", Double.isNaN(backwardTolerance) ? null : backwardTolerance);
        m.put("optimizer", optimizer.label());
        m.put("lr", lr);
        m.put("lr_decay_epochs", lrDecayEpochs);
        m.put("epochs", epochs);
        m.put("batch_size", batchSize);
        m.put("seed", seed);
        m.put("train_limit", trainLimit);
        m.put("loss", loss.label());
        return m;
    }
}
