package org.hopdeq4j.perf;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;

import org.hopdeq4j.data.BatchIterator;
import org.hopdeq4j.data.BatchOrder;
import org.hopdeq4j.data.Dataset;
import org.hopdeq4j.eval.Budgets;
import org.hopdeq4j.ham.HamNetwork;
import org.hopdeq4j.ham.Update;
import org.hopdeq4j.eval.BatchSolve;
import org.hopdeq4j.linalg.Compute;
import org.hopdeq4j.linalg.MatMul;
import org.hopdeq4j.linalg.RecordingMatMul;
import org.hopdeq4j.linalg.WorkerPool;
import org.hopdeq4j.solve.SolveOptions;
import org.hopdeq4j.solve.SolveStats;
import org.hopdeq4j.solve.Solvers;
import org.hopdeq4j.train.Loss;
import org.hopdeq4j.train.Optimizer;
import org.hopdeq4j.train.TrainConfig;
import org.hopdeq4j.train.TrainingStep;

/**
 * Times one HAM configuration the way the paper trains and runs it: the median wall time of a
 * training step (forward solve at the fixed budget, recurrent backprop, Madam step) and of an
 * inference batch (at the fixed budget and with an early-stop tolerance), the multiply-adds a
 * training step performs (counted by shape from the products it really runs), and the time
 * the matrix backend alone needs for exactly those products, replayed shape by shape. The
 * ratio of the two throughputs says how much of a step goes to work other than products.
 *
 * <p>Inference is timed as evaluation runs it ({@link BatchSolve#solveAll}): each repetition
 * solves a group of {@value #INFERENCE_BATCHES_PER_WORKER} whole test batches per worker (fewer
 * when the test split is smaller), the workers taking batches in turn, first at the fixed
 * budget and then, on the same images, with the tolerance; the time per batch is the group's
 * wall time over its batches. Consecutive repetitions move on to the next group.
 *
 * <p>{@link #compareSolvers} times Picard and Anderson on the same batches at the fixed
 * budget, alternating within each repetition, so that the host's drift between two
 * configurations does not enter their ratio.
 *
 * <p>Every interval is timed with {@link System#nanoTime()} and every figure is a median over
 * the measured repetitions, after warm-up repetitions that are not counted (JIT compilation,
 * first-touch of buffers). Allocation is read from the JVM's per-thread allocation counters
 * of all live threads around the measured training steps (the workers are created before
 * and live throughout; a thread that ends in between would drop out of the sum).
 *
 * <p>Limits: the figures are wall times on a machine that may be shared; another process on
 * the cores shows up in them, and with several workers the slowest one sets the pace. The
 * multiply-adds counted are those of the backend's products; the Java-side work (activations,
 * the solvers' bookkeeping, the optimiser) is timed but not counted. The replay reuses one
 * set of operands per shape, so it sees warmer caches than the step.
 */
public final class StepBenchmark {

    /** Whole inference batches per worker in each timed repetition. */
    static final int INFERENCE_BATCHES_PER_WORKER = 8;

    /**
     * What to run.
     *
     * @param steps measured repetitions of each timed unit, at least 1
     * @param warmup uncounted repetitions before them, at least 0
     * @param warmupSeconds the least time those uncounted repetitions take, at least 0:
     *     warm-up goes on until both are done (short steps need many repetitions before the
     *     JIT compiler has compiled them)
     * @param tolerance the early-stop tolerance of the second inference timing (the paper's
     *     convergence threshold is 1e-4)
     */
    public record Settings(int steps, int warmup, double warmupSeconds, int batchSize, long seed,
                           double tolerance) {

        /** Validates the settings. */
        public Settings {
            if (steps < 1) {
                throw new IllegalArgumentException("steps must be >= 1 but was " + steps);
            }
            if (warmup < 0) {
                throw new IllegalArgumentException("warmup must be >= 0 but was " + warmup);
            }
            if (!(warmupSeconds >= 0) || Double.isInfinite(warmupSeconds)) {
                throw new IllegalArgumentException(
                    "warmupSeconds must be a finite number >= 0 but was " + warmupSeconds);
            }
            if (batchSize < 1) {
                throw new IllegalArgumentException("batchSize must be >= 1 but was " + batchSize);
            }
            new SolveOptions(1, tolerance, false);
        }
    }

    /**
     * The figures of one configuration. Seconds are medians; GFLOP/s count two floating-point
     * operations per multiply-add.
     *
     * @param multiplyAddsPerStep multiply-adds of the products of one training step
     * @param productsPerStep matrix products of one training step
     * @param backendSecondsPerStep the backend's time for the same products alone
     * @param toleranceEvaluations mean map evaluations per batch with the tolerance
     * @param allocatedBytesPerStep bytes the calling thread allocated per measured training
     *     step, or -1 where the JVM cannot count them
     */
    public record Result(int[] layers, Update update, Solvers solver, int forwardIterations,
                         int backwardIterations, int batchSize, String backend, int threads,
                         double secondsPerTrainingStep, double secondsPerInferenceBatch,
                         double secondsPerInferenceBatchTolerance, double toleranceEvaluations,
                         long multiplyAddsPerStep, long productsPerStep,
                         double backendSecondsPerStep, long allocatedBytesPerStep) {

        /** Achieved GFLOP/s over a whole training step. */
        public double gflops() {
            return 2e-9 * multiplyAddsPerStep / secondsPerTrainingStep;
        }

        /** GFLOP/s of the backend alone on the same products. */
        public double backendGflops() {
            return 2e-9 * multiplyAddsPerStep / backendSecondsPerStep;
        }

        /** Achieved fraction of the backend's own throughput on the same products. */
        public double fractionOfBackend() {
            return backendSecondsPerStep / secondsPerTrainingStep;
        }

        /** Training images per second. */
        public double trainingImagesPerSecond() {
            return batchSize / secondsPerTrainingStep;
        }

        /** Inference images per second at the fixed budget. */
        public double inferenceImagesPerSecond() {
            return batchSize / secondsPerInferenceBatch;
        }

        /** Inference images per second with the early-stop tolerance. */
        public double toleranceImagesPerSecond() {
            return batchSize / secondsPerInferenceBatchTolerance;
        }
    }

    private StepBenchmark() {
    }

    /**
     * Benchmarks one configuration at the paper's budgets, learning rate and optimiser.
     *
     * @param net the network to start from; its sizes define the configuration. The training
     *     steps train it (its parameters change); inference runs on a copy taken before them,
     *     so that the inference figures are those of the network as given.
     * @param train batches for the training steps; test batches for inference
     * @throws IllegalArgumentException if the data's image width differs from the input layer
     */
    public static Result run(HamNetwork net, Update update, Solvers solver, Dataset train,
                             Dataset test, Compute compute, Settings settings) {
        int[] sizes = net.sizes();
        if (train.features() != sizes[0] || test.features() != sizes[0]) {
            throw new IllegalArgumentException("the input layer has " + sizes[0]
                + " units but the images have " + train.features() + " pixels");
        }
        HamNetwork given = net.copy();
        int forward = Budgets.forward(sizes, 1.0);
        int backward = Budgets.backward(sizes, 1.0);
        TrainConfig config = new TrainConfig(sizes, update, solver, 1.0, forward, "recurrent",
            backward, Solvers.PICARD, Double.NaN, Optimizer.Kind.MADAM,
            TrainConfig.paperLearningRate(sizes), 10, 1, settings.batchSize(), settings.seed(),
            0, Loss.MSE);
        int batch = settings.batchSize();
        List<RecordingMatMul> recorders = new ArrayList<>();
        Compute recorded = compute.wrap(mm -> {
            RecordingMatMul r = new RecordingMatMul(mm);
            recorders.add(r);
            return r;
        });

        // Training steps (warm-up, one recorded step, the timed steps).
        double[] stepSeconds = new double[settings.steps()];
        double[] backendRounds = new double[settings.steps()];
        long allocated;
        long multiplyAdds = 0;
        long products = 0;
        List<Map<RecordingMatMul.Shape, Long>> shapes = new ArrayList<>();
        BatchIterator batches = new BatchIterator(train, batch, BatchOrder.SHUFFLED,
            settings.seed());
        float[] x = new float[batch * sizes[0]];
        int[] labels = new int[batch];
        double lr = config.learningRate(0);
        try (recorded; TrainingStep step = new TrainingStep(config, net,
            config.optimizer().create(sizes), recorded)) {
            long warmStart = System.nanoTime();
            for (int w = 0; w < settings.warmup() || !warm(warmStart, settings); w++) {
                step.step(x, labels, nextBatch(batches, x, labels), lr);
            }
            // One recorded step counts the products; then the timed steps, each followed by
            // one replay of those products on the bare backends, so that the step and the
            // backend are timed under the same load of the host.
            recorders.forEach(RecordingMatMul::start);
            step.step(x, labels, nextBatch(batches, x, labels), lr);
            recorders.forEach(RecordingMatMul::stop);
            for (RecordingMatMul r : recorders) {
                multiplyAdds += r.multiplyAdds();
                products += r.products();
                shapes.add(r.counts());
            }
            try (Replayer replayer = new Replayer(shapes, compute, settings.seed())) {
                replayer.round();
                long[] threads = liveThreadIds();
                long before = allocatedBytes(threads);
                for (int i = 0; i < settings.steps(); i++) {
                    int b = nextBatch(batches, x, labels);
                    long start = System.nanoTime();
                    step.step(x, labels, b, lr);
                    stepSeconds[i] = (System.nanoTime() - start) * 1e-9;
                    backendRounds[i] = replayer.round();
                }
                long after = allocatedBytes(threads);
                allocated = before < 0 || after < 0 ? -1 : (after - before) / settings.steps();
            }
        }

        // Inference on test images from the zero state: each repetition solves a group of
        // whole batches (several per worker, taken in turn as in Evaluator), timed as seconds
        // per batch.
        BatchSolve solve = new BatchSolve(given, update, 1.0, solver, compute, batch);
        float[] images = test.images();
        int testBatches = Math.max(test.count() / batch, 1);
        int group = Math.min(INFERENCE_BATCHES_PER_WORKER * compute.workers(), testBatches);
        double[] fixed = new double[settings.steps()];
        double[] early = new double[settings.steps()];
        EvaluationCounter counter = new EvaluationCounter();
        long evaluations = 0;
        long solvedBatches = 0;
        for (int l = 0; l < net.layers(); l++) {
            compute.pinAll(given.weight(l));
        }
        try {
            SolveOptions budget = SolveOptions.fixedBudget(forward);
            SolveOptions stop = new SolveOptions(forward, settings.tolerance(), false);
            int groups = Math.max(testBatches / group, 1);
            long warmStart = System.nanoTime();
            for (int w = 0; w < settings.warmup() || !warm(warmStart, settings); w++) {
                int first = (w % groups) * group * batch;
                int count = Math.min(group * batch, test.count() - first);
                solve.solveAll(images, first, count, budget, counter.off());
                solve.solveAll(images, first, count, stop, counter.off());
            }
            for (int rep = 0; rep < settings.steps(); rep++) {
                int first = (rep % groups) * group * batch;
                int count = Math.min(group * batch, test.count() - first);
                int slot = rep;
                int inGroup = (count + batch - 1) / batch;

                long start = System.nanoTime();
                solve.solveAll(images, first, count, budget, counter.off());
                fixed[slot] = (System.nanoTime() - start) * 1e-9 / inGroup;

                counter.reset();
                start = System.nanoTime();
                solve.solveAll(images, first, count, stop, counter);
                early[slot] = (System.nanoTime() - start) * 1e-9 / inGroup;
                evaluations += counter.evaluations.get();
                solvedBatches += counter.batches.get();
            }
        } finally {
            for (int l = 0; l < net.layers(); l++) {
                compute.unpinAll(given.weight(l));
            }
        }

        double backendSeconds = median(backendRounds);
        return new Result(sizes, update, solver, forward, backward, batch,
            compute.backendName(), compute.workers(), median(stepSeconds), median(fixed),
            median(early), (double) evaluations / Math.max(solvedBatches, 1), multiplyAdds,
            products,
            backendSeconds, allocated);
    }

    /**
     * Anderson's cost per iteration against Picard's: {@code medianRatio} is the median over
     * the {@code pairs} repetitions of Anderson's seconds over Picard's, the other two the
     * median seconds per batch of each.
     */
    public record SolverComparison(double picardSecondsPerBatch, double andersonSecondsPerBatch,
                                   double medianRatio, int pairs) {
    }

    /**
     * Times inference at the fixed budget with Picard and with Anderson, one batch per worker
     * each, alternating which goes first from one repetition to the next; both run the same
     * number of evaluations, so the ratio is that of their cost per iteration. One untimed
     * pair first. The network is not changed.
     *
     * @param test the images; the first {@code workers x batch} of them are solved
     */
    public static SolverComparison compareSolvers(HamNetwork net, Update update, Dataset test,
                                                  Compute compute, Settings settings) {
        int batch = settings.batchSize();
        int forward = Budgets.forward(net.sizes(), 1.0);
        BatchSolve picard = new BatchSolve(net, update, 1.0, Solvers.PICARD, compute, batch);
        BatchSolve anderson = new BatchSolve(net, update, 1.0, Solvers.ANDERSON, compute,
            batch);
        float[] images = test.images();
        int count = Math.min(compute.workers() * batch, test.count());
        int batches = (count + batch - 1) / batch;
        SolveOptions budget = SolveOptions.fixedBudget(forward);
        BatchSolve.BatchHandler quiet = (w, first, rows, state, stats) -> { };
        double[] p = new double[settings.steps()];
        double[] a = new double[settings.steps()];
        double[] ratio = new double[settings.steps()];
        for (int l = 0; l < net.layers(); l++) {
            compute.pinAll(net.weight(l));
        }
        try {
            picard.solveAll(images, 0, count, budget, quiet);
            anderson.solveAll(images, 0, count, budget, quiet);
            for (int rep = 0; rep < settings.steps(); rep++) {
                boolean picardFirst = rep % 2 == 0;
                BatchSolve first = picardFirst ? picard : anderson;
                BatchSolve second = picardFirst ? anderson : picard;
                long t0 = System.nanoTime();
                first.solveAll(images, 0, count, budget, quiet);
                long t1 = System.nanoTime();
                second.solveAll(images, 0, count, budget, quiet);
                long t2 = System.nanoTime();
                double one = (t1 - t0) * 1e-9 / batches;
                double two = (t2 - t1) * 1e-9 / batches;
                p[rep] = picardFirst ? one : two;
                a[rep] = picardFirst ? two : one;
                ratio[rep] = a[rep] / p[rep];
            }
        } finally {
            for (int l = 0; l < net.layers(); l++) {
                compute.unpinAll(net.weight(l));
            }
        }
        return new SolverComparison(median(p), median(a), median(ratio), settings.steps());
    }

    /** Whether the warm-up that started at {@code start} (nanoTime) has lasted long enough. */
    private static boolean warm(long start, Settings settings) {
        return (System.nanoTime() - start) * 1e-9 >= settings.warmupSeconds();
    }

    private static int nextBatch(BatchIterator batches, float[] x, int[] labels) {
        if (!batches.hasNext()) {
            batches.startEpoch(batches.epoch() + 1);
        }
        return batches.next(x, labels);
    }

    /**
     * The backends' median time for one round of the recorded products: worker w runs every
     * shape it recorded as often as it recorded it, on its own backend and random operands
     * (pinned where the step's were), all workers at once as in the step; one uncounted round
     * first.
     */
    public static double replay(List<Map<RecordingMatMul.Shape, Long>> shapes, Compute compute,
                                int rounds, long seed) {
        double[] seconds = new double[rounds];
        try (Replayer replayer = new Replayer(shapes, compute, seed)) {
            replayer.round();
            for (int round = 0; round < rounds; round++) {
                seconds[round] = replayer.round();
            }
        }
        return median(seconds);
    }

    /** Rounds of recorded products on the bare backends, one {@link Replay} per worker. */
    private static final class Replayer implements AutoCloseable, WorkerPool.Task {
        private final Compute compute;
        private final Replay[] parts;

        Replayer(List<Map<RecordingMatMul.Shape, Long>> shapes, Compute compute, long seed) {
            this.compute = compute;
            parts = new Replay[compute.workers()];
            for (int w = 0; w < parts.length; w++) {
                parts[w] = new Replay(w < shapes.size() ? shapes.get(w) : Map.of(),
                    compute.backend(w), seed + w);
            }
        }

        /** Seconds of one round, all workers at once. */
        double round() {
            long start = System.nanoTime();
            compute.run(this);
            return (System.nanoTime() - start) * 1e-9;
        }

        @Override
        public void run(int w, int workers) {
            parts[w].run();
        }

        @Override
        public void close() {
            for (Replay p : parts) {
                p.release();
            }
        }
    }

    /**
     * GFLOP/s of the backends on a {@code size x size x size} product with pinned operands, one
     * product per worker at once, the median of {@code rounds} after one warm-up: the
     * machine's practical limit with this many workers.
     */
    public static double squareGflops(Compute compute, int size, int rounds, long seed) {
        RecordingMatMul.Shape shape = new RecordingMatMul.Shape(false, false, size, size, size,
            true, true);
        List<Map<RecordingMatMul.Shape, Long>> shapes = new ArrayList<>();
        for (int w = 0; w < compute.workers(); w++) {
            shapes.add(Map.of(shape, 1L));
        }
        double seconds = replay(shapes, compute, rounds, seed);
        return 2e-9 * shape.multiplyAdds() * compute.workers() / seconds;
    }

    /** One worker's recorded products with their operands. */
    private static final class Replay {
        private final MatMul mm;
        private final RecordingMatMul.Shape[] list;
        private final long[] repeats;
        private final float[][] a;
        private final float[][] b;
        private final float[][] c;

        Replay(Map<RecordingMatMul.Shape, Long> shapes, MatMul mm, long seed) {
            this.mm = mm;
            int count = shapes.size();
            list = shapes.keySet().toArray(new RecordingMatMul.Shape[0]);
            repeats = new long[count];
            a = new float[count][];
            b = new float[count][];
            c = new float[count][];
            SplittableRandom random = new SplittableRandom(seed);
            for (int i = 0; i < count; i++) {
                RecordingMatMul.Shape sh = list[i];
                repeats[i] = shapes.get(sh);
                a[i] = randomArray(sh.m() * sh.k(), random);
                b[i] = randomArray(sh.k() * sh.n(), random);
                c[i] = new float[sh.m() * sh.n()];
                if (sh.pinnedA()) {
                    mm.pin(a[i]);
                }
                if (sh.pinnedB()) {
                    mm.pin(b[i]);
                }
            }
        }

        void run() {
            for (int i = 0; i < list.length; i++) {
                RecordingMatMul.Shape sh = list[i];
                int lda = sh.transA() ? sh.m() : sh.k();
                int ldb = sh.transB() ? sh.k() : sh.n();
                for (long r = repeats[i]; r > 0; r--) {
                    mm.gemm(sh.transA(), sh.transB(), sh.m(), sh.n(), sh.k(), 1f,
                        a[i], 0, lda, b[i], 0, ldb, 1f, c[i], 0, sh.n());
                }
            }
        }

        void release() {
            for (int i = 0; i < list.length; i++) {
                mm.unpin(a[i]);
                mm.unpin(b[i]);
            }
        }
    }

    private static float[] randomArray(int length, SplittableRandom random) {
        float[] x = new float[length];
        for (int i = 0; i < length; i++) {
            x[i] = (float) (random.nextDouble() - 0.5);
        }
        return x;
    }

    /** The median of the values (the mean of the middle two for an even count). */
    static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : 0.5 * (sorted[n / 2 - 1] + sorted[n / 2]);
    }

    /** Ids of the threads alive now (the caller and the workers among them), or null. */
    private static long[] liveThreadIds() {
        java.lang.management.ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        if (bean instanceof com.sun.management.ThreadMXBean sun
            && sun.isThreadAllocatedMemorySupported() && sun.isThreadAllocatedMemoryEnabled()) {
            return sun.getAllThreadIds();
        }
        return null;
    }

    /**
     * Bytes allocated so far by the threads {@code ids}, or -1 where the JVM cannot tell. Only
     * the counters' own result array is allocated, and only the second of two calls counts it:
     * a few dozen bytes in all.
     */
    private static long allocatedBytes(long[] ids) {
        if (ids == null) {
            return -1;
        }
        com.sun.management.ThreadMXBean sun =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long total = 0;
        for (long bytes : sun.getThreadAllocatedBytes(ids)) {
            total += Math.max(bytes, 0);
        }
        return total;
    }

    /** Counts the map evaluations of the batches {@link BatchSolve#solveAll} solves. */
    private static final class EvaluationCounter implements BatchSolve.BatchHandler {
        final AtomicLong evaluations = new AtomicLong();
        final AtomicLong batches = new AtomicLong();
        private boolean counting = true;

        EvaluationCounter off() {
            counting = false;
            return this;
        }

        void reset() {
            evaluations.set(0);
            batches.set(0);
            counting = true;
        }

        @Override
        public void done(int w, int first, int rows, float[] state, SolveStats stats) {
            if (counting) {
                evaluations.addAndGet(stats.evaluations());
                batches.incrementAndGet();
            }
        }
    }
}
