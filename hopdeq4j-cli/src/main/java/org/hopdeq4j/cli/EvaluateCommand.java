package org.hopdeq4j.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

import org.hopdeq4j.data.DataSources;
import org.hopdeq4j.data.Dataset;
import org.hopdeq4j.data.TrainTestSplit;
import org.hopdeq4j.eval.Budgets;
import org.hopdeq4j.eval.EvaluationResult;
import org.hopdeq4j.eval.Evaluator;
import org.hopdeq4j.ham.HamNetwork;
import org.hopdeq4j.ham.HamWeightsFile;
import org.hopdeq4j.ham.Update;
import org.hopdeq4j.io.Json;
import org.hopdeq4j.linalg.Compute;
import org.hopdeq4j.solve.Solvers;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code hopdeq4j evaluate}: the equilibrium of every test image, with convergence figures. */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
    description = {
        "Finds the equilibrium of every image of the test split, from the zero state, and"
            + " reports test accuracy, the paper's mean iterations to converge (first k with"
            + " relative residual below 1e-4, counted as budget - 1 when never reached), how"
            + " many images did not converge, and wall time.",
        "Every test image is scored, the last partial batch included (the paper's loader"
            + " dropped it, scoring 9,984 of 10,000 MNIST test images).",
        "Writes DIR/summary.json and, with --trace, DIR/residuals.csv; with --trace-energy,"
            + " DIR/energy.csv."})
final class EvaluateCommand implements Callable<Integer> {

    @Option(names = "--weights", paramLabel = "FILE",
        description = "HAM weights in safetensors; without it a network is initialised from"
            + " --layers and --seed.")
    Path weights;

    @Option(names = "--layers", paramLabel = "N0,N1,...",
        description = "Layer sizes of a freshly initialised network (default: ${DEFAULT-VALUE}).")
    String layers = "784,1990,10";

    @Option(names = "--seed", description = "Seed of the initialisation (default: ${DEFAULT-VALUE}).")
    long seed = 1;

    @Option(names = "--data", paramLabel = "SOURCE",
        description = "embedded (the MNIST sample shipped with hopdeq4j), fashion-mnist (the"
            + " Debian package dataset-fashion-mnist) or a folder of IDX files"
            + " (default: ${DEFAULT-VALUE}).")
    String data = "embedded";

    @Option(names = "--update", description = "sync or even-odd (default: ${DEFAULT-VALUE}).")
    String update = "even-odd";

    @Option(names = "--solver", description = "picard or anderson (default: ${DEFAULT-VALUE}).")
    String solver = "anderson";

    @Option(names = "--damping", paramLabel = "H",
        description = "Forward Euler step h in (0, 1]; 1 is undamped (default: ${DEFAULT-VALUE}).")
    double damping = 1.0;

    @Option(names = "--max-iterations", paramLabel = "N",
        description = "Forward budget in map evaluations (default: the paper's 40 per two"
            + " layers of depth, divided by h).")
    Integer maxIterations;

    @Option(names = "--tolerance", paramLabel = "T",
        description = "Stop a batch once every image's relative residual is below T"
            + " (default: run the whole budget, as the paper does).")
    Double tolerance;

    @Option(names = "--batch-size", paramLabel = "B", description = "Default: ${DEFAULT-VALUE}.")
    int batchSize = 64;

    @Option(names = "--limit", paramLabel = "N",
        description = "Evaluate only the first N test images.")
    Integer limit;

    @Option(names = "--trace", description = "Also write the mean residual per iteration.")
    boolean trace;

    @Option(names = "--trace-energy",
        description = "Also write the mean energy after every map evaluation: a diagnostic,"
            + " computed in double precision with plain loops and far slower than the solve"
            + " itself; with --tolerance the whole batch then runs until every image is below"
            + " it.")
    boolean traceEnergy;

    @Option(names = "--out", paramLabel = "DIR", description = "Output folder (default: ${DEFAULT-VALUE}).")
    Path out = Path.of("runs", "evaluate");

    @Mixin
    BackendOptions backend;

    @Override
    public Integer call() throws IOException {
        Update up = Update.parse(update);
        Solvers sv = Solvers.parse(solver);
        HamNetwork net = weights != null ? HamWeightsFile.read(weights)
            : HamNetwork.initialise(HamNetwork.parseSizes(layers), seed);
        TrainTestSplit splits = DataSources.load(data);
        Dataset test = splits.test();
        if (test.features() != net.size(0)) {
            throw new UserError("the network's input layer has " + net.size(0)
                + " units but the images of '" + data + "' have " + test.features() + " pixels");
        }
        int count = limit == null ? test.count() : Math.min(limit, test.count());
        int budget = maxIterations != null ? maxIterations : Budgets.forward(net.sizes(), damping);
        Evaluator.Settings settings = new Evaluator.Settings(up, sv, damping, budget,
            tolerance == null ? Double.NaN : tolerance, batchSize, trace, traceEnergy);

        EvaluationResult r;
        Map<String, Object> env;
        try (Compute mm = backend.create()) {
            env = Reports.environment(mm);
            r = Evaluator.evaluate(net, mm, test.images(), test.labels(), count, settings,
                ConsoleProgress.forConsole());
        }

        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("test_accuracy", r.accuracy());
        summary.put("mean_iterations_to_converge", r.meanIterations());
        summary.put("did_not_converge", r.notConverged());
        summary.put("images", r.images());
        summary.put("wall_seconds", r.wallSeconds());
        summary.put("images_per_second", r.imagesPerSecond());
        summary.put("update", up.label());
        summary.put("solver", sv.label());
        summary.put("layers", HamNetwork.formatSizes(net.sizes()));
        summary.put("damping", damping);
        summary.put("max_iterations", budget);
        summary.put("tolerance", tolerance);
        summary.put("batch_size", batchSize);
        summary.put("map_evaluations", r.mapEvaluations());
        summary.put("anderson_fallbacks", r.fallbacks());
        summary.put("weights", weights != null ? weights.toString() : "initialised, seed " + seed);
        summary.put("data", data);
        summary.putAll(env);
        Files.createDirectories(out);
        Json.write(out.resolve("summary.json"), summary);
        if (trace) {
            StringBuilder csv = new StringBuilder("iteration,mean_relative_residual\n");
            for (int k = 0; k < r.meanResidual().length; k++) {
                csv.append(k).append(',').append(r.meanResidual()[k]).append('\n');
            }
            org.hopdeq4j.io.AtomicFiles.writeString(out.resolve("residuals.csv"), csv.toString());
        }
        if (traceEnergy) {
            StringBuilder csv = new StringBuilder("evaluation,mean_energy\n");
            for (int k = 0; k < r.meanEnergy().length; k++) {
                csv.append(k + 1).append(',').append(r.meanEnergy()[k]).append('\n');
            }
            org.hopdeq4j.io.AtomicFiles.writeString(out.resolve("energy.csv"), csv.toString());
        }

        PrintStream o = System.out;
        o.printf("%-10s %-9s %8s %10s %8s %9s %10s%n", "update", "solver", "images",
            "accuracy", "iters", "not-conv", "img/s");
        o.printf("%-10s %-9s %8d %9s%% %8s %9d %10s%n", up.label(), sv.label(), r.images(),
            Reports.fixed(100 * r.accuracy(), 2), Reports.fixed(r.meanIterations(), 2),
            r.notConverged(), Reports.fixed(r.imagesPerSecond(), 1));
        o.println("wrote " + out.resolve("summary.json"));
        return 0;
    }
}
