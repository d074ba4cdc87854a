package org.hopdeq4j.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.hopdeq4j.ham.HamNetwork;
import org.hopdeq4j.ham.HamWeightsFile;
import org.hopdeq4j.io.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The commands end to end on small networks: outputs, resume, and one-line user errors. */
class CommandLineTest {

    @TempDir
    Path dir;

    /** Exit status, stdout and stderr of one command line. */
    private record Run(int status, String out, String err) {
    }

    private static Run run(String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int status = Main.run(args);
            return new Run(status, out.toString(StandardCharsets.UTF_8),
                err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    private static void assertOneLineUserError(Run r, String fragment) {
        assertEquals(2, r.status(), r.err());
        String[] lines = r.err().strip().split("\n");
        assertEquals(1, lines.length, r.err());
        assertTrue(lines[0].startsWith("hopdeq4j: "), lines[0]);
        assertTrue(lines[0].contains(fragment), lines[0]);
    }

    @Test
    void evaluateWritesTheSummaryItPromises() throws Exception {
        Path out = dir.resolve("eval");
        Run r = run("evaluate", "--layers", "784,16,10", "--limit", "70", "--update", "sync",
            "--solver", "anderson", "--out", out.toString());
        assertEquals(0, r.status(), r.err());
        Map<String, Object> summary = Json.readObject(out.resolve("summary.json"));
        for (String key : List.of("test_accuracy", "mean_iterations_to_converge",
            "did_not_converge", "images", "wall_seconds", "images_per_second", "update",
            "solver", "layers")) {
            assertTrue(summary.containsKey(key), key);
        }
        assertEquals(70.0, Json.toDouble(summary.get("images")));
        assertEquals("784,16,10", summary.get("layers"));
    }

    @Test
    void resumedTrainingEndsWithTheWeightsOfAnUninterruptedRun() throws Exception {
        String[] common = {"train", "--layers", "784,12,10", "--train-limit", "200",
            "--batch-size", "32", "--threads", "2", "--seed", "9"};
        Path whole = dir.resolve("whole");
        Path parts = dir.resolve("parts");
        assertEquals(0, run(concat(common, "--epochs", "2", "--out", whole.toString())).status());
        // the first run stops after one epoch, as a killed run leaves its last checkpoint
        assertEquals(0, run(concat(common, "--epochs", "1", "--out", parts.toString())).status());
        Run resumed = run(concat(common, "--epochs", "2", "--out", parts.toString(), "--resume"));
        assertEquals(0, resumed.status(), resumed.err());

        HamNetwork a = HamWeightsFile.read(whole.resolve("weights.safetensors"));
        HamNetwork b = HamWeightsFile.read(parts.resolve("weights.safetensors"));
        for (int l = 0; l < a.layers(); l++) {
            assertArrayEquals(a.weight(l), b.weight(l), "W" + l);
        }
        for (int l = 1; l <= a.layers(); l++) {
            assertArrayEquals(a.bias(l), b.bias(l), "b" + l);
        }
        List<String> metrics = Files.readAllLines(parts.resolve("metrics.csv"));
        assertEquals(3, metrics.size(), String.join("\n", metrics));
    }

    @Test
    void benchWritesOneRecordPerConfiguration() throws Exception {
        Path out = dir.resolve("bench");
        Run r = run("bench", "--layers", "784,8,10", "--update", "sync,even-odd", "--solver",
            "picard", "--steps", "1", "--warmup", "0", "--square", "32", "--out",
            out.toString());
        assertEquals(0, r.status(), r.err());
        Object parsed = Json.read(out.resolve("bench.json"));
        assertTrue(parsed instanceof List, "bench.json is a list");
        List<?> records = (List<?>) parsed;
        assertEquals(2, records.size());
        for (Object o : records) {
            Map<?, ?> rec = (Map<?, ?>) o;
            for (String key : List.of("seconds_per_training_step", "seconds_per_inference_batch",
                "gflops", "fraction_of_limit", "multiply_adds_per_step", "backend_gflops")) {
                assertTrue(rec.containsKey(key), key);
            }
            assertTrue(Json.toDouble(rec.get("multiply_adds_per_step")) > 0);
        }
    }

    @Test
    void benchComparesAndersonWithPicardWhenBothRun() throws Exception {
        Path out = dir.resolve("bench-pair");
        Run r = run("bench", "--layers", "784,8,10", "--update", "even-odd", "--solver",
            "picard,anderson", "--steps", "2", "--warmup", "0", "--warmup-seconds", "0",
            "--square", "32", "--out", out.toString());
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().contains("anderson against picard per iteration"), r.out());
        List<?> records = (List<?>) Json.read(out.resolve("bench.json"));
        assertEquals(2, records.size());
        Map<?, ?> picard = (Map<?, ?>) records.get(0);
        Map<?, ?> anderson = (Map<?, ?>) records.get(1);
        assertEquals("picard", picard.get("solver"));
        assertFalse(picard.containsKey("anderson_over_picard_per_iteration"));
        assertTrue(Json.toDouble(anderson.get("anderson_over_picard_per_iteration")) > 0);
    }

    @Test
    void unknownOptionFailsWithOneLine() {
        assertOneLineUserError(run("evaluate", "--no-such-option"), "--no-such-option");
    }

    @Test
    void contradictoryTrainingOptionsFailWithOneLine() {
        assertOneLineUserError(run("train", "--backward", "recurrent", "--backward-tolerance",
            "1e-3", "--out", dir.resolve("t").toString()), "--backward-tolerance");
        assertOneLineUserError(run("train", "--backward", "unrolled", "--solver", "anderson",
            "--out", dir.resolve("u").toString()), "unrolled");
    }

    @Test
    void badValuesFailWithOneLine() {
        assertOneLineUserError(run("evaluate", "--layers", "784,x,10"), "layers");
        assertOneLineUserError(run("evaluate", "--solver", "newton"), "solver");
        assertOneLineUserError(run("evaluate", "--threads", "0"), "--threads");
        assertOneLineUserError(run("evaluate", "--weights", dir.resolve("missing").toString()),
            "missing");
    }

    private static String[] concat(String[] a, String... b) {
        String[] all = new String[a.length + b.length];
        System.arraycopy(a, 0, all, 0, a.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
