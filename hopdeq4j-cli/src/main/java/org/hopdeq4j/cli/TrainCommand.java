package org.hopdeq4j.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

import org.hopdeq4j.data.DataSources;
import org.hopdeq4j.data.TrainTestSplit;
import org.hopdeq4j.eval.Budgets;
import org.hopdeq4j.ham.HamNetwork;
import org.hopdeq4j.ham.Update;
import org.hopdeq4j.linalg.Compute;
import org.hopdeq4j.solve.Solvers;
import org.hopdeq4j.train.EpochMetrics;
import org.hopdeq4j.train.Loss;
import org.hopdeq4j.train.Optimizer;
import org.hopdeq4j.train.TrainConfig;
import org.hopdeq4j.train.Trainer;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code hopdeq4j train}: trains a HAM with implicit gradients, the paper's way by default. */
@Command(name = "train", mixinStandardHelpOptions = true,
    description = {
        "Trains a HAM: forward fixed-point solve from the zero state, loss on the output"
            + " layer's state, implicit gradient, optimiser step; after each epoch the whole"
            + " test split is evaluated and the run folder updated atomically.",
        "Defaults are the paper's: even-odd + Anderson, recurrent backprop with 8 steps per two"
            + " layers of depth, Madam with lr 0.01 (3 layers) or 0.005 (deeper) decayed"
            + " linearly to a tenth over 10 epochs, batch 64, 10 epochs.",
        "Writes DIR/config.json, metrics.csv, weights.safetensors, checkpoint.safetensors and"
            + " summary.json."})
final class TrainCommand implements Callable<Integer> {

    @Mixin
    TrainOptions options;

    @Option(names = "--out", paramLabel = "DIR", description = "Run folder (default: ${DEFAULT-VALUE}).")
    Path out = Path.of("runs", "train");

    @Option(names = "--resume",
        description = "Continue the run in --out from its last complete epoch.")
    boolean resume;

    @Mixin
    BackendOptions backend;

    @Override
    public Integer call() throws IOException {
        TrainConfig config = options.toConfig();
        TrainTestSplit data = DataSources.load(options.data);
        System.out.println(String.join(",", EpochMetrics.HEADER));
        try (Compute mm = backend.create()) {
            Trainer trainer = new Trainer(config, data, mm, ConsoleProgress.forConsole());
            List<EpochMetrics> history = trainer.run(out, resume, Reports.environment(mm),
                m -> System.out.println(String.join(",", m.row().stream()
                    .map(org.hopdeq4j.io.CsvWriter::format).toList())));
            if (!history.isEmpty()) {
                EpochMetrics last = history.get(history.size() - 1);
                System.out.printf("test accuracy %s%%, mean iterations to converge %s; wrote %s%n",
                    Reports.fixed(100 * last.testAccuracy(), 2),
                    Reports.fixed(last.testMeanIterations(), 2), out);
            }
        }
        return 0;
    }

    /** The options that define a training run, shared with {@code demo}. */
    static final class TrainOptions {

        @Option(names = "--layers", paramLabel = "N0,N1,...",
            description = "Layer sizes (default: ${DEFAULT-VALUE}).")
        String layers = "784,1990,10";

        @Option(names = "--update", description = "sync or even-odd (default: ${DEFAULT-VALUE}).")
        String update = "even-odd";

        @Option(names = "--solver", description = "picard or anderson (default: ${DEFAULT-VALUE}).")
        String solver = "anderson";

        @Option(names = "--damping", paramLabel = "H", description = "Default: ${DEFAULT-VALUE}.")
        double damping = 1.0;

        @Option(names = "--forward-iterations", paramLabel = "N",
            description = "Forward budget (default: 40 per two layers of depth, divided by h).")
        Integer forwardIterations;

        @Option(names = "--backward",
            description = "recurrent, adjoint or unrolled (default: ${DEFAULT-VALUE}).")
        String backward = "recurrent";

        @Option(names = "--backward-iterations", paramLabel = "K",
            description = "Recurrent steps or adjoint budget (default: 8 per two layers of"
                + " depth, divided by h).")
        Integer backwardIterations;

        @Option(names = "--backward-solver",
            description = "Adjoint solver: picard or anderson (default: ${DEFAULT-VALUE}).")
        String backwardSolver = "picard";

        @Option(names = "--backward-tolerance", paramLabel = "T",
            description = "Stop the adjoint solve below this residual (default: full budget).")
        Double backwardTolerance;

        @Option(names = "--optimizer", description = "madam, adam or sgd (default: ${DEFAULT-VALUE}).")
        String optimizer = "madam";

        @Option(names = "--lr", description = "Learning rate (default: 0.01 for 3 layers,"
            + " 0.005 deeper).")
        Double lr;

        @Option(names = "--lr-decay-epochs", paramLabel = "E",
            description = "Linear decay to lr/10 over E epochs; 0 keeps lr constant"
                + " (default: ${DEFAULT-VALUE}).")
        int lrDecayEpochs = 10;

        @Option(names = "--epochs", description = "Default: ${DEFAULT-VALUE}.")
        int epochs = 10;

        @Option(names = "--batch-size", paramLabel = "B", description = "Default: ${DEFAULT-VALUE}.")
        int batchSize = 64;

        @Option(names = "--seed", description = "Default: ${DEFAULT-VALUE}.")
        long seed = 1;

        @Option(names = "--loss", description = "mse (the paper's) or cross-entropy"
            + " (default: ${DEFAULT-VALUE}).")
        String loss = "mse";

        @Option(names = "--data", paramLabel = "SOURCE",
            description = "embedded, fashion-mnist or a folder of IDX files"
                + " (default: ${DEFAULT-VALUE}).")
        String data = "embedded";

        @Option(names = "--train-limit", paramLabel = "N",
            description = "Train on the first N training images only.")
        int trainLimit;

        TrainConfig toConfig() {
            int[] sizes = HamNetwork.parseSizes(layers);
            if (backwardTolerance != null && !backward.equals("adjoint")) {
                throw new UserError("--backward-tolerance applies to --backward adjoint only");
            }
            int fwd = forwardIterations != null ? forwardIterations
                : Budgets.forward(sizes, damping);
            int bwd = backwardIterations != null ? backwardIterations
                : Budgets.backward(sizes, damping);
            return new TrainConfig(sizes, Update.parse(update), Solvers.parse(solver), damping,
                fwd, backward, bwd, Solvers.parse(backwardSolver),
                backwardTolerance == null ? Double.NaN : backwardTolerance,
                Optimizer.Kind.parse(optimizer),
                lr != null ? lr : TrainConfig.paperLearningRate(sizes), lrDecayEpochs, epochs,
                batchSize, seed, trainLimit, Loss.parse(loss));
        }
    }
}
