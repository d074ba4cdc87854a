package org.hopdeq4j.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

import org.hopdeq4j.data.DataSources;
import org.hopdeq4j.data.TrainTestSplit;
import org.hopdeq4j.ham.HamNetwork;
import org.hopdeq4j.ham.HamWeightsFile;
import org.hopdeq4j.ham.Update;
import org.hopdeq4j.io.Json;
import org.hopdeq4j.linalg.Compute;
import org.hopdeq4j.perf.StepBenchmark;
import org.hopdeq4j.solve.Solvers;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code hopdeq4j bench}: wall time and throughput of whole configurations on this machine. */
@Command(name = "bench", mixinStandardHelpOptions = true,
    description = {
        "Measures, on this machine, each selected configuration at the paper's fixed budgets"
            + " (forward 40 / 80 / 120, recurrent backprop 8 / 16 / 24, Madam, batch 64) on the"
            + " embedded MNIST sample: the median seconds per training step, per inference"
            + " batch at the fixed budget and with an early-stop tolerance, the multiply-adds"
            + " a step performs and the GFLOP/s it reaches, the matrix backend's own speed on"
            + " exactly those products and on a large square product (the practical limit).",
        "By default the paper's twelve HAMs: 784-1990-10, 784-1280-510-200-10 and"
            + " 784-1024-512-256-128-70-10, each with sync or even-odd update and Picard or"
            + " Anderson. When both solvers run, also Anderson's cost per iteration against"
            + " Picard's, timed interleaved on the same batches. Writes DIR/bench.json, a list"
            + " of one record per configuration."})
final class BenchCommand implements Callable<Integer> {

    private static final List<String> PAPER_LAYERS = List.of("784,1990,10",
        "784,1280,510,200,10", "784,1024,512,256,128,70,10");

    @Option(names = "--layers", paramLabel = "N0,N1,...",
        description = "A configuration's layer sizes; repeat for several (default: the"
            + " paper's three).")
    List<String> layers;

    @Option(names = "--update", split = ",", paramLabel = "UPDATE",
        description = "sync, even-odd or both, comma-separated (default: both).")
    List<String> updates = List.of("sync", "even-odd");

    @Option(names = "--solver", split = ",", paramLabel = "SOLVER",
        description = "picard, anderson or both, comma-separated (default: both).")
    List<String> solvers = List.of("picard", "anderson");

    @Option(names = "--steps", paramLabel = "N",
        description = "Measured repetitions of each timing (default: ${DEFAULT-VALUE}).")
    int steps = 10;

    @Option(names = "--warmup", paramLabel = "N",
        description = "Uncounted repetitions before them (default: ${DEFAULT-VALUE}).")
    int warmup = 3;

    @Option(names = "--warmup-seconds", paramLabel = "S",
        description = "Least time of those uncounted repetitions, for each of training and"
            + " inference: warm-up goes on until both are done (default: ${DEFAULT-VALUE}).")
    double warmupSeconds = 2.0;

    @Option(names = "--tolerance", paramLabel = "T",
        description = "Early-stop tolerance of the second inference timing"
            + " (default: ${DEFAULT-VALUE}).")
    double tolerance = 1e-4;

    @Option(names = "--weights", paramLabel = "FILE",
        description = "Start from these weights instead of a fresh initialisation (a trained"
            + " network converges faster with --tolerance); its layers are the configuration.")
    Path weights;

    @Option(names = "--square", paramLabel = "N",
        description = "Size of the square product that measures the limit"
            + " (default: ${DEFAULT-VALUE}).")
    int square = 1536;

    @Option(names = "--seed", paramLabel = "N", description = "Seed of the initialisation and"
        + " the batch order (default: ${DEFAULT-VALUE}).")
    long seed = 1;

    @Option(names = "--out", paramLabel = "DIR", description = "Default: ${DEFAULT-VALUE}.")
    Path out = Path.of("runs", "bench");

    @Mixin
    BackendOptions backend;

    @Override
    public Integer call() throws IOException {
        if (weights != null && layers != null) {
            throw new UserError("--weights fixes the layers: give --weights or --layers, not both");
        }
        if (square < 1) {
            throw new UserError("--square must be >= 1 but was " + square);
        }
        List<Update> ups = new ArrayList<>();
        for (String u : updates) {
            ups.add(Update.parse(u));
        }
        List<Solvers> svs = new ArrayList<>();
        for (String s : solvers) {
            svs.add(Solvers.parse(s));
        }
        List<int[]> shapes = new ArrayList<>();
        HamNetwork start = weights != null ? HamWeightsFile.read(weights) : null;
        if (start != null) {
            shapes.add(start.sizes());
        } else {
            for (String l : layers != null ? layers : PAPER_LAYERS) {
                shapes.add(HamNetwork.parseSizes(l));
            }
        }
        StepBenchmark.Settings settings = new StepBenchmark.Settings(steps, warmup,
            warmupSeconds, 64, seed, tolerance);
        TrainTestSplit data = DataSources.loadEmbedded();

        PrintStream o = System.out;
        List<Object> records = new ArrayList<>();
        try (Compute mm = backend.create()) {
            Map<String, Object> env = Reports.environment(mm);
            System.err.println("bench: " + mm.backendName() + " backend, " + mm.workers()
                + " thread(s); measuring the limit with a " + square + "^3 product");
            double limit = StepBenchmark.squareGflops(mm, square, 5, seed);
            o.printf("matrix backend %s, %d thread(s): %s GFLOP/s on a %d^3 product%n",
                mm.backendName(), mm.workers(), Reports.fixed(limit, 1), square);
            o.printf("%-28s %-8s %-8s %9s %9s %9s %6s %7s %7s %6s %6s %8s%n", "layers", "update",
                "solver", "train s", "infer s", "tol s", "tol it", "GFLOP/s", "backend",
                "f.bknd", "f.lim", "alloc B");
            List<String> comparisons = new ArrayList<>();
            for (int[] sizes : shapes) {
                for (Update up : ups) {
                    Map<String, Object> andersonRecord = null;
                    for (Solvers sv : svs) {
                        System.err.println("bench: " + HamNetwork.formatSizes(sizes) + " "
                            + up.label() + " + " + sv.label());
                        HamNetwork net = startingNetwork(start, sizes);
                        StepBenchmark.Result r = StepBenchmark.run(net, up, sv, data.train(),
                            data.test(), mm, settings);
                        o.printf("%-28s %-8s %-8s %9s %9s %9s %6s %7s %7s %6s %6s %8d%n",
                            HamNetwork.formatSizes(sizes), up.label(), sv.label(),
                            Reports.fixed(r.secondsPerTrainingStep(), 4),
                            Reports.fixed(r.secondsPerInferenceBatch(), 4),
                            Reports.fixed(r.secondsPerInferenceBatchTolerance(), 4),
                            Reports.fixed(r.toleranceEvaluations(), 1),
                            Reports.fixed(r.gflops(), 1), Reports.fixed(r.backendGflops(), 1),
                            Reports.fixed(r.fractionOfBackend(), 2),
                            Reports.fixed(r.gflops() / limit, 2), r.allocatedBytesPerStep());
                        Map<String, Object> rec = record(r, limit, square, env);
                        records.add(rec);
                        if (sv == Solvers.ANDERSON) {
                            andersonRecord = rec;
                        }
                    }
                    if (andersonRecord != null && svs.contains(Solvers.PICARD)) {
                        System.err.println("bench: " + HamNetwork.formatSizes(sizes) + " "
                            + up.label() + ", anderson against picard, interleaved");
                        HamNetwork net = startingNetwork(start, sizes);
                        StepBenchmark.SolverComparison c = StepBenchmark.compareSolvers(net, up,
                            data.test(), mm, settings);
                        andersonRecord.put("anderson_over_picard_per_iteration",
                            c.medianRatio());
                        comparisons.add(String.format(Locale.ROOT, "%-28s %-8s %9s %10s %+8.1f%%",
                            HamNetwork.formatSizes(sizes), up.label(),
                            Reports.fixed(c.picardSecondsPerBatch(), 4),
                            Reports.fixed(c.andersonSecondsPerBatch(), 4),
                            100 * (c.medianRatio() - 1)));
                    }
                }
            }
            if (!comparisons.isEmpty()) {
                o.printf("%nanderson against picard per iteration (inference at the fixed budget,"
                    + " interleaved, median of %d pairs)%n", steps);
                o.printf("%-28s %-8s %9s %10s %9s%n", "layers", "update", "picard s",
                    "anderson s", "extra");
                comparisons.forEach(o::println);
            }
        }
        Files.createDirectories(out);
        Json.write(out.resolve("bench.json"), records);
        o.println("wrote " + out.resolve("bench.json"));
        return 0;
    }

    /** A fresh copy of the given weights, or the paper's initialisation with the seed. */
    private HamNetwork startingNetwork(HamNetwork start, int[] sizes) {
        return start != null ? start.copy() : HamNetwork.initialise(sizes, seed);
    }

    private Map<String, Object> record(StepBenchmark.Result r, double limit, int size,
                                       Map<String, Object> env) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("layers", HamNetwork.formatSizes(r.layers()));
        m.put("update", r.update().label());
        m.put("solver", r.solver().label());
        m.put("batch_size", r.batchSize());
        m.put("forward_iterations", r.forwardIterations());
        m.put("backward_iterations", r.backwardIterations());
        m.put("weights", weights != null ? weights.toString() : "initialised, seed " + seed);
        m.put("steps", steps);
        m.put("warmup", warmup);
        m.put("warmup_seconds", warmupSeconds);
        m.put("seconds_per_training_step", r.secondsPerTrainingStep());
        m.put("seconds_per_inference_batch", r.secondsPerInferenceBatch());
        m.put("seconds_per_inference_batch_tolerance", r.secondsPerInferenceBatchTolerance());
        m.put("tolerance", tolerance);
        m.put("tolerance_mean_evaluations", r.toleranceEvaluations());
        m.put("training_images_per_second", r.trainingImagesPerSecond());
        m.put("inference_images_per_second", r.inferenceImagesPerSecond());
        m.put("inference_images_per_second_tolerance", r.toleranceImagesPerSecond());
        m.put("multiply_adds_per_step", r.multiplyAddsPerStep());
        m.put("products_per_step", r.productsPerStep());
        m.put("gflops", r.gflops());
        m.put("backend_seconds_per_step", r.backendSecondsPerStep());
        m.put("backend_gflops", r.backendGflops());
        m.put("fraction_of_backend", r.fractionOfBackend());
        m.put("limit_gflops", limit);
        m.put("limit_square_size", size);
        m.put("fraction_of_limit", r.gflops() / limit);
        m.put("allocated_bytes_per_step", r.allocatedBytesPerStep());
        m.put("cpu", cpuModel());
        m.putAll(env);
        return m;
    }

    /** The CPU model from /proc/cpuinfo, or the architecture where that file is absent. */
    private static String cpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException | RuntimeException e) {
            // fall through: not Linux, or not readable
        }
        return System.getProperty("os.arch");
    }
}
