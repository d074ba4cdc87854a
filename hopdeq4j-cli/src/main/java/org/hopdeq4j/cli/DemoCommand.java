package org.hopdeq4j.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import org.hopdeq4j.data.DataSources;
import org.hopdeq4j.data.Dataset;
import org.hopdeq4j.data.TrainTestSplit;
import org.hopdeq4j.eval.Budgets;
import org.hopdeq4j.eval.EvaluationResult;
import org.hopdeq4j.eval.Evaluator;
import org.hopdeq4j.eval.ProgressListener;
import org.hopdeq4j.ham.HamNetwork;
import org.hopdeq4j.ham.Update;
import org.hopdeq4j.io.CsvWriter;
import org.hopdeq4j.io.Json;
import org.hopdeq4j.io.LinePlot;
import org.hopdeq4j.linalg.Compute;
import org.hopdeq4j.solve.Solvers;
import org.hopdeq4j.train.EpochMetrics;
import org.hopdeq4j.train.TrainConfig;
import org.hopdeq4j.train.Trainer;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code hopdeq4j demo}: the main job. Trains the paper's 3-layer HAM on the embedded MNIST
 * sample, then compares the four ways of finding its equilibria.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = {
        "Trains the 3-layer HAM 784-1990-10 (even-odd + Anderson, recurrent backprop, Madam:"
            + " the paper's settings) on the embedded MNIST sample for 2 epochs, then evaluates"
            + " the trained network with synchronous and even-odd updates, each with Picard and"
            + " Anderson, and prints a Table-2-style comparison: iterations to converge, accuracy"
            + " and the time per image at the fixed budget and with each image stopped once"
            + " converged (tolerance " + DemoCommand.EARLY_STOP_TEXT + ").",
        "Writes DIR/comparison.csv, DIR/summary.json, DIR/residuals.png (mean relative residual"
            + " against iteration) and the training run in DIR/train (replaced on every run)."})
final class DemoCommand implements Callable<Integer> {

    /** The paper's convergence threshold, as the early-stop tolerance of the timed runs. */
    static final String EARLY_STOP_TEXT = "1e-4";
    private static final double EARLY_STOP = Double.parseDouble(EARLY_STOP_TEXT);

    /** Early-stop evaluations per configuration; their median time is reported. */
    private static final int EARLY_STOP_RUNS = 3;

    @Option(names = "--epochs", description = "Training epochs (default: ${DEFAULT-VALUE}).")
    int epochs = 2;

    @Option(names = "--seed", description = "Default: ${DEFAULT-VALUE}.")
    long seed = 1;

    @Option(names = "--data", paramLabel = "SOURCE", description = "Default: ${DEFAULT-VALUE}.")
    String data = "embedded";

    @Option(names = "--out", paramLabel = "DIR", description = "Default: ${DEFAULT-VALUE}.")
    Path out = Path.of("runs", "demo");

    @Mixin
    BackendOptions backend;

    @Override
    public Integer call() throws IOException {
        PrintStream err = System.err;
        int[] sizes = {784, 1990, 10};
        TrainTestSplit split = DataSources.load(data);
        Dataset test = split.test();
        TrainConfig config = new TrainConfig(sizes, Update.EVEN_ODD, Solvers.ANDERSON, 1.0,
            Budgets.forward(sizes, 1.0), "recurrent", Budgets.backward(sizes, 1.0),
            Solvers.PICARD, Double.NaN, org.hopdeq4j.train.Optimizer.Kind.MADAM,
            TrainConfig.paperLearningRate(sizes), 10, epochs, 64, seed, 0,
            org.hopdeq4j.train.Loss.MSE);
        Path trainDir = out.resolve("train");
        deleteRun(trainDir);

        try (Compute mm = backend.create()) {
            err.printf("demo: training %s (even-odd + Anderson) on %d images of '%s' for %d"
                + " epochs, %s backend, %d thread(s)%n", HamNetwork.formatSizes(sizes),
                split.train().count(), data, epochs, mm.backendName(), mm.workers());
            Trainer trainer = new Trainer(config, split, mm, ConsoleProgress.forConsole());
            List<EpochMetrics> history = trainer.run(trainDir, false, Reports.environment(mm),
                m -> err.printf("demo: epoch %d: train loss %s, test accuracy %s%%, %s s%n",
                    m.epoch(), Reports.fixed(m.trainLoss(), 4),
                    Reports.fixed(100 * m.testAccuracy(), 2), Reports.fixed(m.wallSeconds(), 1)));
            HamNetwork net = trainer.network();

            List<Map<String, Object>> rows = new ArrayList<>();
            LinePlot plot = new LinePlot("Mean relative residual, " + HamNetwork.formatSizes(sizes)
                + " HAM after " + epochs + " epochs").xLabel("iteration k")
                .yLabel("mean relative residual").logY(true);
            double base = Double.NaN;
            for (Update update : Update.values()) {
                for (Solvers solver : Solvers.values()) {
                    err.printf("demo: evaluating %d test images with %s + %s%n", test.count(),
                        update.label(), solver.label());
                    EvaluationResult r = Evaluator.evaluate(net, mm, test.images(),
                        test.labels(), test.count(), new Evaluator.Settings(update, solver, 1.0,
                            Budgets.forward(sizes, 1.0), Double.NaN, 64, true, false),
                        ConsoleProgress.forConsole());
                    if (Double.isNaN(base)) {
                        base = r.meanIterations();
                    }
                    // the same images again, each leaving its batch once converged: what the
                    // iterations saved are worth in wall time (a short run, so the median of a
                    // few)
                    double[] earlySeconds = new double[EARLY_STOP_RUNS];
                    for (int run = 0; run < EARLY_STOP_RUNS; run++) {
                        earlySeconds[run] = Evaluator.evaluate(net, mm, test.images(),
                            test.labels(), test.count(), new Evaluator.Settings(update, solver,
                                1.0, Budgets.forward(sizes, 1.0), EARLY_STOP, 64, false, false),
                            ProgressListener.SILENT).wallSeconds();
                    }
                    Arrays.sort(earlySeconds);
                    Map<String, Object> row = new LinkedHashMap<>();
                    row.put("update", update.label());
                    row.put("solver", solver.label());
                    row.put("mean_iterations_to_converge", r.meanIterations());
                    row.put("speedup_vs_sync_picard", base / r.meanIterations());
                    row.put("test_accuracy", r.accuracy());
                    row.put("did_not_converge", r.notConverged());
                    row.put("ms_per_image", 1000 * r.wallSeconds() / r.images());
                    row.put("ms_per_image_early_stop",
                        1000 * earlySeconds[EARLY_STOP_RUNS / 2] / test.count());
                    row.put("images", r.images());
                    rows.add(row);
                    plot.series(update.label() + " + " + solver.label(), r.meanResidual());
                }
            }

            Files.createDirectories(out);
            List<String> header = new ArrayList<>(rows.get(0).keySet());
            List<List<Object>> table = new ArrayList<>();
            for (Map<String, Object> row : rows) {
                table.add(new ArrayList<>(row.values()));
            }
            CsvWriter.rewrite(out.resolve("comparison.csv"), header, table);
            plot.write(out.resolve("residuals.png"));
            Map<String, Object> summary = new LinkedHashMap<>();
            summary.put("layers", HamNetwork.formatSizes(sizes));
            summary.put("epochs", epochs);
            summary.put("train_images", split.train().count());
            summary.put("final_train_loss", history.get(history.size() - 1).trainLoss());
            summary.put("comparison", rows);
            summary.putAll(Reports.environment(mm));
            Json.write(out.resolve("summary.json"), summary);

            PrintStream o = System.out;
            o.printf("%nHAM %s after %d epochs on '%s', %d test images, budget %d%n",
                HamNetwork.formatSizes(sizes), epochs, data, test.count(),
                Budgets.forward(sizes, 1.0));
            o.printf("%-10s %-9s %8s %9s %9s %9s %10s %10s%n", "update", "solver", "iters",
                "speed-up", "accuracy", "not-conv", "ms/image", "ms/img tol");
            for (Map<String, Object> row : rows) {
                o.printf("%-10s %-9s %8s %8sx %8s%% %9s %10s %10s%n", row.get("update"),
                    row.get("solver"),
                    Reports.fixed((double) row.get("mean_iterations_to_converge"), 2),
                    Reports.fixed((double) row.get("speedup_vs_sync_picard"), 2),
                    Reports.fixed(100 * (double) row.get("test_accuracy"), 2),
                    row.get("did_not_converge"),
                    Reports.fixed((double) row.get("ms_per_image"), 3),
                    Reports.fixed((double) row.get("ms_per_image_early_stop"), 3));
            }
            o.printf("ms/image: at the fixed budget; ms/img tol: each image stopped at its first"
                + " output with relative residual below %s (median of %d runs)%n",
                EARLY_STOP_TEXT, EARLY_STOP_RUNS);
            o.println("wrote " + out.resolve("comparison.csv") + ", "
                + out.resolve("residuals.png") + ", " + out.resolve("summary.json"));
        }
        return 0;
    }

    /** Removes a previous demo training run (only the files the trainer writes). */
    private static void deleteRun(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return;
        }
        for (String name : new String[] {Trainer.CONFIG, Trainer.METRICS, Trainer.WEIGHTS,
            Trainer.CHECKPOINT, Trainer.SUMMARY}) {
            Files.deleteIfExists(dir.resolve(name));
        }
    }
}
