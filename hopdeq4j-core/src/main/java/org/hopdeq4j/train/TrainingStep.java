package org.hopdeq4j.train;

import java.util.Arrays;

import org.hopdeq4j.ham.HamGradient;
import org.hopdeq4j.ham.HamMap;
import org.hopdeq4j.ham.HamNetwork;
import org.hopdeq4j.linalg.MatMul;
import org.hopdeq4j.solve.FixedPointSolver;
import org.hopdeq4j.solve.SolveOptions;
import org.hopdeq4j.solve.SolveStats;

/**
 * One optimisation step on one batch, the unit of training: forward fixed-point solve from the
 * zero state at the configured budget, the loss on the output layer's state, the backward
 * method's gradient, one optimiser step, and the refresh of the backend's resident weights.
 *
 * <p>All workspace (map, solver, backward method, gradient, state and loss buffers) is
 * allocated at construction for batches up to {@code config.batchSize()}; a step allocates
 * nothing. The weights are pinned in the backend on construction and unpinned by
 * {@link #close()}. Not thread-safe.
 */
public final class TrainingStep implements AutoCloseable {

    private final TrainConfig config;
    private final HamNetwork net;
    private final MatMul mm;
    private final Optimizer optimizer;
    private final HamMap map;
    private final FixedPointSolver solver;
    private final BackwardMethod backward;
    private final SolveOptions forward;
    private final HamGradient grad;
    private final float[] s;
    private final float[] lossGradient;
    private final int classes;
    private double lastLoss = Double.NaN;

    /**
     * Workspace for training {@code net} with {@code optimizer} as {@code config} says.
     *
     * @throws IllegalArgumentException if the network's sizes differ from the configuration's
     */
    public TrainingStep(TrainConfig config, HamNetwork net, Optimizer optimizer, MatMul mm) {
        if (!Arrays.equals(net.sizes(), config.layers())) {
            throw new IllegalArgumentException("the network has layers "
                + HamNetwork.formatSizes(net.sizes()) + " but the configuration says "
                + HamNetwork.formatSizes(config.layers()));
        }
        this.config = config;
        this.net = net;
        this.mm = mm;
        this.optimizer = optimizer;
        int batchSize = config.batchSize();
        map = new HamMap(net, config.update(), config.damping(), mm, batchSize);
        solver = config.solver().create(map.width(), batchSize);
        backward = createBackward(config, map.width(), batchSize);
        forward = SolveOptions.fixedBudget(config.forwardIterations());
        grad = new HamGradient(config.layers());
        s = new float[batchSize * map.width()];
        lossGradient = new float[s.length];
        classes = config.layers()[config.layers().length - 1];
        for (int l = 0; l < net.layers(); l++) {
            mm.pin(net.weight(l));
        }
    }

    /** The backward method a configuration names. */
    static BackwardMethod createBackward(TrainConfig config, int width, int batchSize) {
        switch (config.backward()) {
            case "adjoint":
                return new AdjointBackward(config.backwardSolver(), config.backwardIterations(),
                    config.backwardTolerance(), width, batchSize);
            case "unrolled":
                return new UnrolledBackward(config.forwardIterations(), width, batchSize);
            default:
                return new RecurrentBackprop(config.backwardIterations(), width, batchSize);
        }
    }

    /**
     * Trains on one batch: {@code batch} rows of {@code x} (n_0 floats each, pixel / 255) with
     * their {@code labels}, at learning rate {@code lr}. Neither array is modified.
     *
     * @return the forward solve's statistics, valid until the next step
     * @throws IllegalArgumentException if batch is outside 1..batchSize
     */
    public SolveStats step(float[] x, int[] labels, int batch, double lr) {
        map.setInput(x, 0, batch);
        Arrays.fill(s, 0, batch * map.width(), 0f);
        SolveStats stats = solver.solve(map, s, batch, forward, null);
        lastLoss = config.loss().evaluate(s, map.width(), map.outputOffset(), classes, labels,
            0, batch, lossGradient);

        grad.zero();
        backward.gradient(map, s, lossGradient, batch, grad);
        optimizer.step(net, grad, lr);
        for (int l = 0; l < net.layers(); l++) {
            mm.refresh(net.weight(l));
        }
        return stats;
    }

    /** The loss of the last step's batch (already divided by its size); NaN before any step. */
    public double lastLoss() {
        return lastLoss;
    }

    /** The map being trained through. */
    public HamMap map() {
        return map;
    }

    /** The network being trained (the live parameters). */
    public HamNetwork network() {
        return net;
    }

    /** Unpins the weights from the backend; the step must not be used afterwards. */
    @Override
    public void close() {
        for (int l = 0; l < net.layers(); l++) {
            mm.unpin(net.weight(l));
        }
    }
}
