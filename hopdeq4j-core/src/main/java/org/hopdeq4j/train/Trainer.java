package org.hopdeq4j.train;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.hopdeq4j.data.BatchIterator;
import org.hopdeq4j.data.BatchOrder;
import org.hopdeq4j.data.Dataset;
import org.hopdeq4j.data.SourceFile;
import org.hopdeq4j.data.TrainTestSplit;
import org.hopdeq4j.eval.EvaluationResult;
import org.hopdeq4j.eval.Evaluator;
import org.hopdeq4j.eval.ProgressListener;
import org.hopdeq4j.ham.HamNetwork;
import org.hopdeq4j.ham.HamWeightsFile;
import org.hopdeq4j.io.CsvTable;
import org.hopdeq4j.io.CsvWriter;
import org.hopdeq4j.io.FileFormatException;
import org.hopdeq4j.io.Json;
import org.hopdeq4j.io.Safetensors;
import org.hopdeq4j.linalg.Compute;

/**
 * The training loop: for each epoch, shuffled batches (a permutation fixed by the seed and the
 * epoch) each go through a forward fixed-point solve from the zero state, the loss on the
 * output layer's state, the backward method's implicit gradient and one optimiser step; then
 * the whole test split is evaluated with the same update, solver and budget.
 *
 * <p>A run lives in one folder: {@code config.json} (configuration, data hashes, backend,
 * JVM), {@code metrics.csv} (one row per epoch), {@code weights.safetensors} and
 * {@code checkpoint.safetensors} (weights plus optimiser state), all written atomically after
 * every epoch, and {@code summary.json} at the end. A resumed run restarts from the last
 * complete epoch and, the batch order and every update being deterministic, ends with the
 * same weights as an uninterrupted run on the same backend and thread count.
 */
public final class Trainer {

    /** Sees each epoch's metrics as soon as they are saved. */
    @FunctionalInterface
    public interface EpochListener {
        /** Called after the epoch's files are written. */
        void epochDone(EpochMetrics metrics) throws IOException;
    }

    /** File names inside a run folder. */
    public static final String CONFIG = "config.json";
    public static final String METRICS = "metrics.csv";
    public static final String WEIGHTS = "weights.safetensors";
    public static final String CHECKPOINT = "checkpoint.safetensors";
    public static final String SUMMARY = "summary.json";

    private final TrainConfig config;
    private final TrainTestSplit data;
    private final Compute compute;
    private final ProgressListener progress;
    private HamNetwork net;

    /** A trainer; nothing runs until {@link #run}. */
    public Trainer(TrainConfig config, TrainTestSplit data, Compute compute,
                   ProgressListener progress) {
        this.config = config;
        this.data = data;
        this.compute = compute;
        this.progress = progress;
        if (data.train().features() != config.layers()[0]) {
            throw new IllegalArgumentException("the input layer has " + config.layers()[0]
                + " units but the images have " + data.train().features() + " pixels");
        }
    }

    /** The network being trained (after {@link #run}, the trained one). */
    public HamNetwork network() {
        return net;
    }

    /**
     * Trains, writing into {@code dir}.
     *
     * @param resume continue the run in {@code dir} from its last complete epoch
     * @param environment extra facts for config.json (backend, JVM, ...)
     * @return every epoch's metrics, the resumed ones included
     * @throws IllegalArgumentException if {@code dir} already holds a run and resume is false,
     *     or resume is true and it holds none or one with another configuration
     */
    public List<EpochMetrics> run(Path dir, boolean resume, Map<String, Object> environment,
                                  EpochListener listener) throws IOException {
        Files.createDirectories(dir);
        Path checkpoint = dir.resolve(CHECKPOINT);
        Dataset train = config.trainLimit() > 0 && config.trainLimit() < data.train().count()
            ? data.train().subset(config.trainLimit(), config.seed()) : data.train();
        Dataset test = data.test();
        int[] sizes = config.layers();

        net = HamNetwork.initialise(sizes, config.seed());
        Optimizer optimizer = config.optimizer().create(sizes);
        List<EpochMetrics> history = new ArrayList<>();
        int firstEpoch = 0;
        Map<String, Object> configJson = configJson(train, test, environment);
        if (resume) {
            firstEpoch = restore(dir, optimizer, history);
        } else if (Files.exists(checkpoint) || Files.exists(dir.resolve(METRICS))) {
            throw new IllegalArgumentException("run folder " + dir + " already holds a run;"
                + " pass --resume to continue it or choose another --out");
        } else {
            Json.write(dir.resolve(CONFIG), configJson);
            CsvWriter.rewrite(dir.resolve(METRICS), EpochMetrics.HEADER, List.of());
        }

        int batchSize = config.batchSize();
        BatchIterator batches = new BatchIterator(train, batchSize, BatchOrder.SHUFFLED,
            config.seed());
        float[] x = new float[batchSize * sizes[0]];
        int[] labels = new int[batchSize];

        try (TrainingStep step = new TrainingStep(config, net, optimizer, compute)) {
            for (int epoch = firstEpoch; epoch < config.epochs(); epoch++) {
                double lr = config.learningRate(epoch);
                batches.startEpoch(epoch);
                progress.begin("epoch " + (epoch + 1) + "/" + config.epochs(), train.count());
                long start = System.nanoTime();
                double lossSum = 0;
                long iterSum = 0;
                int notConverged = 0;
                int seen = 0;
                while (batches.hasNext()) {
                    int b = batches.next(x, labels);
                    step.step(x, labels, b, lr);
                    lossSum += step.lastLoss() * b;
                    iterSum += step.lastIterationsSum();
                    notConverged += step.lastNotConverged();
                    seen += b;
                    progress.progress(seen, String.format(java.util.Locale.ROOT, "loss %.4f",
                        lossSum / seen));
                }
                double wall = (System.nanoTime() - start) * 1e-9;
                progress.end();

                EvaluationResult r = Evaluator.evaluate(net, compute, test.images(), test.labels(),
                    test.count(), new Evaluator.Settings(config.update(), config.solver(),
                        config.damping(), config.forwardIterations(), Double.NaN, batchSize,
                        false, false), progress);
                EpochMetrics m = new EpochMetrics(epoch + 1, lr, lossSum / seen,
                    (double) iterSum / seen, notConverged, r.accuracy(), r.meanIterations(),
                    r.notConverged(), wall, seen / wall, r.wallSeconds());
                history.add(m);
                save(dir, optimizer, history);
                if (listener != null) {
                    listener.epochDone(m);
                }
            }
        }

        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("config", config.toMap());
        if (!history.isEmpty()) {
            EpochMetrics last = history.get(history.size() - 1);
            summary.put("epochs_completed", last.epoch());
            summary.put("test_accuracy", last.testAccuracy());
            summary.put("test_mean_iterations_to_converge", last.testMeanIterations());
            summary.put("test_did_not_converge", last.testNotConverged());
            summary.put("final_train_loss", last.trainLoss());
            double total = 0;
            for (EpochMetrics e : history) {
                total += e.wallSeconds();
            }
            summary.put("train_wall_seconds", total);
        }
        Json.write(dir.resolve(SUMMARY), summary);
        return history;
    }

    private Map<String, Object> configJson(Dataset train, Dataset test,
                                           Map<String, Object> environment) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("config", config.toMap());
        Map<String, Object> dataInfo = new LinkedHashMap<>();
        dataInfo.put("train_images", train.count());
        dataInfo.put("test_images", test.count());
        List<Object> files = new ArrayList<>();
        List<SourceFile> sources = new ArrayList<>(data.train().sources());
        sources.addAll(test.sources());
        for (SourceFile f : sources) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("file", f.location());
            entry.put("sha256", f.sha256());
            files.add(entry);
        }
        dataInfo.put("files", files);
        json.put("data", dataInfo);
        json.put("environment", environment);
        return json;
    }

    /** Writes metrics, weights and checkpoint after an epoch, in an order safe to resume. */
    private void save(Path dir, Optimizer optimizer, List<EpochMetrics> history)
            throws IOException {
        List<List<Object>> rows = new ArrayList<>();
        for (EpochMetrics e : history) {
            rows.add(e.row());
        }
        CsvWriter.rewrite(dir.resolve(METRICS), EpochMetrics.HEADER, rows);
        HamWeightsFile.write(dir.resolve(WEIGHTS), net, Map.of());

        List<Safetensors.Tensor> tensors = new ArrayList<>(HamWeightsFile.tensors(net));
        tensors.addAll(optimizer.state());
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("model", "ham");
        meta.put("layers", HamNetwork.formatSizes(net.sizes()));
        meta.put("epochs_completed", Integer.toString(history.size()));
        meta.put("optimizer", optimizer.name());
        meta.put("optimizer_steps", Long.toString(optimizer.steps()));
        Safetensors.write(dir.resolve(CHECKPOINT), tensors, meta);
    }

    /** Loads the checkpoint of {@code dir}; returns the number of completed epochs. */
    private int restore(Path dir, Optimizer optimizer, List<EpochMetrics> history)
            throws IOException {
        Path checkpoint = dir.resolve(CHECKPOINT);
        Path configFile = dir.resolve(CONFIG);
        if (!Files.exists(configFile)) {
            throw new IllegalArgumentException("cannot resume: " + dir + " holds no " + CONFIG);
        }
        Map<String, Object> saved = Json.readObject(configFile);
        Map<String, Object> savedConfig = new LinkedHashMap<>(asMap(saved.get("config")));
        Map<String, Object> current = new LinkedHashMap<>(config.toMap());
        savedConfig.remove("epochs");
        current.remove("epochs");
        String a = Json.formatCompact(savedConfig);
        String b = Json.formatCompact(Json.parse(Json.formatCompact(current)));
        if (!a.equals(b)) {
            throw new IllegalArgumentException("cannot resume: the options differ from the run in "
                + dir + " (saved " + a + ")");
        }
        if (!Files.exists(checkpoint)) {
            // interrupted during the first epoch: start over
            CsvWriter.rewrite(dir.resolve(METRICS), EpochMetrics.HEADER, List.of());
            return 0;
        }
        Safetensors.Contents c = Safetensors.read(checkpoint);
        int done;
        long steps;
        try {
            done = Integer.parseInt(c.metadata().getOrDefault("epochs_completed", ""));
            steps = Long.parseLong(c.metadata().getOrDefault("optimizer_steps", ""));
        } catch (NumberFormatException e) {
            throw new FileFormatException("checkpoint " + checkpoint
                + " lacks valid epochs_completed / optimizer_steps metadata");
        }
        HamWeightsFile.load(c, net);
        optimizer.restore(c, steps);

        // keep the metrics of completed epochs only
        CsvTable table = CsvTable.read(dir.resolve(METRICS));
        List<List<String>> kept = new ArrayList<>();
        for (List<String> row : table.rows()) {
            if (Integer.parseInt(row.get(0)) <= done) {
                kept.add(row);
                history.add(parseRow(row));
            }
        }
        CsvWriter.rewrite(dir.resolve(METRICS), EpochMetrics.HEADER, kept);
        return done;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> asMap(Object o) {
        if (!(o instanceof Map)) {
            throw new IllegalArgumentException("cannot resume: config.json has no 'config' object");
        }
        return (Map<String, Object>) o;
    }

    private static EpochMetrics parseRow(List<String> r) {
        return new EpochMetrics(Integer.parseInt(r.get(0)), Double.parseDouble(r.get(1)),
            Double.parseDouble(r.get(2)), Double.parseDouble(r.get(3)),
            Integer.parseInt(r.get(4)), Double.parseDouble(r.get(5)),
            Double.parseDouble(r.get(6)), Integer.parseInt(r.get(7)),
            Double.parseDouble(r.get(8)), Double.parseDouble(r.get(9)),
            Double.parseDouble(r.get(10)));
    }
}
