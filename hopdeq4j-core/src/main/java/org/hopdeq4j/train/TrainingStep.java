package org.hopdeq4j.train;

import java.util.Arrays;

import org.hopdeq4j.ham.HamGradient;
import org.hopdeq4j.ham.HamMap;
import org.hopdeq4j.ham.HamNetwork;
import org.hopdeq4j.linalg.Compute;
import org.hopdeq4j.linalg.MatMul;
import org.hopdeq4j.linalg.WorkerPool;
import org.hopdeq4j.solve.FixedPointSolver;
import org.hopdeq4j.solve.SolveOptions;
import org.hopdeq4j.solve.SolveStats;

/**
 * One optimisation step on one batch, the unit of training: forward fixed-point solve from the
 * zero state at the configured budget, the loss on the output layer's state, the backward
 * method's gradient, one optimiser step, and the refresh of the backends' resident weights.
 *
 * <p>The batch's rows are shared out among the workers of a {@link Compute}: each worker runs
 * the solve, the loss and the backward pass on its rows with its own map, solver, backward
 * method and gradient; the workers' gradients are then summed (in parallel, over disjoint
 * ranges of every tensor) and the optimiser updates the shared parameters once. The loss is
 * divided by the whole batch's size in every worker, so the sum is the batch's gradient.
 *
 * <p>All workspace is allocated at construction for batches up to {@code config.batchSize()};
 * a step allocates nothing. The weights are pinned in every backend on construction and
 * unpinned by {@link #close()}. Not thread-safe.
 */
public final class TrainingStep implements AutoCloseable {

    private final TrainConfig config;
    private final HamNetwork net;
    private final Compute compute;
    private final Optimizer optimizer;
    private final Shard[] shards;
    private final SolveOptions forward;
    private final int classes;
    private final ShardTask shardTask = new ShardTask();
    private final SumTask sumTask = new SumTask();
    private int batch;
    private double lastLoss = Double.NaN;

    /** The workspace of one worker. */
    private static final class Shard {
        HamMap map;
        FixedPointSolver solver;
        BackwardMethod backward;
        HamGradient grad;
        float[] s;
        float[] lossGradient;
        SolveStats stats;
        int first;
        int rows;
        double loss;
    }

    /**
     * Workspace for training {@code net} on one backend, on the caller's thread.
     *
     * @throws IllegalArgumentException if the network's sizes differ from the configuration's
     */
    public TrainingStep(TrainConfig config, HamNetwork net, Optimizer optimizer, MatMul mm) {
        this(config, net, optimizer, Compute.single(mm));
    }

    /**
     * Workspace for training {@code net} with {@code optimizer} as {@code config} says, on
     * every worker of {@code compute}.
     *
     * @throws IllegalArgumentException if the network's sizes differ from the configuration's
     */
    public TrainingStep(TrainConfig config, HamNetwork net, Optimizer optimizer,
                        Compute compute) {
        if (!Arrays.equals(net.sizes(), config.layers())) {
            throw new IllegalArgumentException("the network has layers "
                + HamNetwork.formatSizes(net.sizes()) + " but the configuration says "
                + HamNetwork.formatSizes(config.layers()));
        }
        this.config = config;
        this.net = net;
        this.compute = compute;
        this.optimizer = optimizer;
        forward = SolveOptions.fixedBudget(config.forwardIterations());
        classes = config.layers()[config.layers().length - 1];

        int batchSize = config.batchSize();
        shards = new Shard[compute.workers()];
        int share = compute.maxShare(batchSize);
        for (int w = 0; w < shards.length; w++) {
            Shard sh = new Shard();
            sh.map = new HamMap(net, config.update(), config.damping(), compute.backend(w),
                share);
            sh.solver = config.solver().create(sh.map.width(), share);
            sh.backward = createBackward(config, sh.map.width(), share);
            sh.grad = new HamGradient(config.layers());
            sh.s = new float[share * sh.map.width()];
            sh.lossGradient = new float[sh.s.length];
            shards[w] = sh;
        }
        for (int l = 0; l < net.layers(); l++) {
            compute.pinAll(net.weight(l));
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
     * @throws IllegalArgumentException if batch is outside 1..batchSize
     */
    public void step(float[] x, int[] labels, int batch, double lr) {
        if (batch < 1 || batch > config.batchSize()) {
            throw new IllegalArgumentException("batch must be in 1.." + config.batchSize()
                + " but was " + batch);
        }
        this.batch = batch;
        for (int w = 0; w < shards.length; w++) {
            shards[w].first = compute.rowStart(batch, w);
            shards[w].rows = compute.rowStart(batch, w + 1) - shards[w].first;
        }
        shardTask.x = x;
        shardTask.labels = labels;
        compute.run(shardTask);
        if (shards.length > 1) {
            compute.run(sumTask);
        }

        double loss = 0;
        for (Shard sh : shards) {
            loss += sh.rows == 0 ? 0 : sh.loss;
        }
        lastLoss = loss;
        optimizer.step(net, shards[0].grad, lr);
        net.parametersChanged();
        for (int l = 0; l < net.layers(); l++) {
            compute.refreshAll(net.weight(l));
        }
    }

    /** The loss of the last step's batch (the mean over its samples); NaN before any step. */
    public double lastLoss() {
        return lastLoss;
    }

    /** Sum over the last step's batch of the forward solve's iterations to converge. */
    public long lastIterationsSum() {
        long total = 0;
        for (Shard sh : shards) {
            total += sh.rows == 0 ? 0 : sh.stats.sumIterations();
        }
        return total;
    }

    /** Samples of the last step's batch whose forward solve did not converge. */
    public int lastNotConverged() {
        int total = 0;
        for (Shard sh : shards) {
            total += sh.rows == 0 ? 0 : sh.stats.notConverged();
        }
        return total;
    }

    /** The network being trained (the live parameters). */
    public HamNetwork network() {
        return net;
    }

    /** Unpins the weights from the backends; the step must not be used afterwards. */
    @Override
    public void close() {
        for (int l = 0; l < net.layers(); l++) {
            compute.unpinAll(net.weight(l));
        }
    }

    /** Worker w: solve, loss and backward pass on its rows, into its own gradient. */
    private final class ShardTask implements WorkerPool.Task {
        float[] x;
        int[] labels;

        @Override
        public void run(int w, int parts) {
            Shard sh = shards[w];
            sh.grad.zero();
            int b = sh.rows;
            if (b == 0) {
                return;
            }
            HamMap map = sh.map;
            map.setInput(x, sh.first * net.size(0), b);
            Arrays.fill(sh.s, 0, b * map.width(), 0f);
            sh.stats = sh.solver.solve(map, sh.s, b, forward, null);
            sh.loss = config.loss().evaluate(sh.s, map.width(), map.outputOffset(), classes,
                labels, sh.first, b, batch, sh.lossGradient);
            sh.backward.gradient(map, sh.s, sh.lossGradient, b, sh.grad);
            // multiplies out the pending input term on this worker's thread and backend
            sh.grad.weight(0);
        }
    }

    /** Worker w adds every other worker's gradient into worker 0's, over its share. */
    private final class SumTask implements WorkerPool.Task {
        @Override
        public void run(int w, int parts) {
            HamGradient total = shards[0].grad;
            for (int l = 0; l < net.layers(); l++) {
                add(total.weight(l), l, true, w, parts);
            }
            for (int l = 1; l <= net.layers(); l++) {
                add(total.bias(l), l, false, w, parts);
            }
        }

        private void add(float[] into, int l, boolean weight, int w, int parts) {
            int from = (int) ((long) into.length * w / parts);
            int to = (int) ((long) into.length * (w + 1) / parts);
            for (int other = 1; other < shards.length; other++) {
                HamGradient g = shards[other].grad;
                float[] src = weight ? g.weight(l) : g.bias(l);
                for (int i = from; i < to; i++) {
                    into[i] += src[i];
                }
            }
        }
    }
}
