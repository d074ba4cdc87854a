package org.hopdeq4j.data;

import static org.hopdeq4j.data.IdxTestData.imagesFile;
import static org.hopdeq4j.data.IdxTestData.labelsFile;
import static org.hopdeq4j.data.IdxTestData.write;
import static org.hopdeq4j.data.IdxTestData.writeSet;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

class DataSourcesTest {

    private static TrainTestSplit embedded;

    @TempDir
    Path folder;

    @BeforeAll
    static void loadEmbeddedOnce() throws IOException {
        embedded = DataSources.load("embedded");
    }

    private static IllegalArgumentException assertRejected(Executable load, String... parts) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, load);
        for (String part : parts) {
            assertTrue(e.getMessage().contains(part),
                    () -> "message '" + e.getMessage() + "' lacks '" + part + "'");
        }
        assertFalse(e.getMessage().contains("\n"), "message must be one line");
        return e;
    }

    @Test
    void embeddedSampleHasTheDocumentedSplit() throws IOException {
        TrainTestSplit data = embedded;
        Dataset train = data.train();
        Dataset test = data.test();

        assertEquals(7996, train.count());
        assertEquals(2004, test.count());
        assertEquals(784, data.features());
        assertEquals(28, train.rows());
        assertEquals(28, train.columns());
        assertEquals(10, data.classes());

        // Per digit, training holds floor(80 %) of the package's images of that digit.
        int[] trainCounts = train.classCounts();
        int[] testCounts = test.classCounts();
        for (int digit = 0; digit < 10; digit++) {
            int total = trainCounts[digit] + testCounts[digit];
            assertTrue(trainCounts[digit] > 0 && testCounts[digit] > 0, "digit " + digit);
            assertEquals(total * 4 / 5, trainCounts[digit], "train count of digit " + digit);
        }
    }

    @Test
    void embeddedSamplePixelsLieInUnitRangeAndUseIt() {
        TrainTestSplit data = embedded;

        for (Dataset set : new Dataset[] {data.train(), data.test()}) {
            float min = Float.POSITIVE_INFINITY;
            float max = Float.NEGATIVE_INFINITY;
            double sum = 0;
            for (float v : set.images()) {
                min = Math.min(min, v);
                max = Math.max(max, v);
                sum += v;
            }
            assertEquals(0f, min, set.name());
            assertEquals(1f, max, set.name());
            // MNIST digits are mostly background: the mean pixel is near 0.13.
            double mean = sum / set.images().length;
            assertTrue(mean > 0.08 && mean < 0.2, set.name() + " mean pixel " + mean);
        }
    }

    @Test
    void embeddedSampleIsSortedByDigit() {
        TrainTestSplit data = embedded;

        for (Dataset set : new Dataset[] {data.train(), data.test()}) {
            int[] labels = set.labels();
            for (int i = 1; i < labels.length; i++) {
                assertTrue(labels[i - 1] <= labels[i], set.name() + " at " + i);
            }
        }
    }

    @Test
    void embeddedSampleRecordsTheHashOfEachResource() throws IOException {
        Dataset train = DataSources.loadEmbedded().train();
        assertEquals(embedded.train().sources(), train.sources());

        assertEquals(2, train.sources().size());
        SourceFile images = train.sources().get(0);
        assertTrue(images.location().endsWith("mnist-sample/train-images-idx3-ubyte.gz"));
        try (InputStream in = DataSources.class.getResourceAsStream(
                "mnist-sample/train-images-idx3-ubyte.gz")) {
            byte[] bytes = in.readAllBytes();
            assertEquals(IdxTestData.sha256(bytes), images.sha256());
            assertEquals(bytes.length, images.sizeBytes());
        }
    }

    @Test
    void loadsFolderWithStandardNames() throws IOException {
        writeSet(folder, "train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz", 30, 4, 3,
                true, 1);
        writeSet(folder, "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte", 11, 4, 3,
                false, 2);
        write(folder, "README.txt", new byte[] {1});

        TrainTestSplit data = DataSources.load(folder.toString());

        assertEquals(30, data.train().count());
        assertEquals(11, data.test().count());
        assertEquals(12, data.features());
        assertEquals(folder.getFileName() + "/train", data.train().name());
        assertEquals(folder.resolve("train-images-idx3-ubyte.gz").toString(),
                data.train().sources().get(0).location());
        assertEquals(9, data.test().labels()[9]);
        assertEquals(0, data.test().labels()[10]);
        byte[] pixels = IdxTestData.randomPixels(30 * 4 * 3, 1);
        for (int i = 0; i < pixels.length; i++) {
            assertEquals((pixels[i] & 0xff) / 255f, data.train().images()[i], 0f);
        }
    }

    @Test
    void loadsFolderWithEmnistNames() throws IOException {
        writeSet(folder, "emnist-mnist-train-images-idx3-ubyte.gz",
                "emnist-mnist-train-labels-idx1-ubyte.gz", 20, 5, 5, true, 3);
        writeSet(folder, "emnist-mnist-test-images-idx3-ubyte.gz",
                "emnist-mnist-test-labels-idx1-ubyte.gz", 9, 5, 5, true, 4);

        DataSources.IdxFileSet files = DataSources.findIdxFiles(folder);
        TrainTestSplit data = DataSources.loadFolder(folder, 10);

        assertEquals("emnist-mnist-test-labels-idx1-ubyte.gz",
                files.testLabels().getFileName().toString());
        assertEquals(20, data.train().count());
        assertEquals(9, data.test().count());
        assertEquals(25, data.features());
    }

    @Test
    void rejectsFolderWithMissingFile() throws IOException {
        writeSet(folder, "train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz", 3, 2, 2,
                true, 5);
        write(folder, "t10k-images-idx3-ubyte.gz", IdxTestData.gzip(imagesFile(1, 2, 2,
                new byte[4])));

        assertRejected(() -> DataSources.load(folder.toString()), folder.toString(),
                "no test labels file", "t10k-labels-idx1-ubyte.gz", "-test-labels-");
    }

    @Test
    void rejectsFolderWithAmbiguousFiles() throws IOException {
        writeSet(folder, "train-images-idx3-ubyte", "train-labels-idx1-ubyte", 3, 2, 2,
                false, 6);
        writeSet(folder, "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte", 3, 2, 2,
                false, 7);
        write(folder, "train-images-idx3-ubyte.gz", new byte[] {1});

        assertRejected(() -> DataSources.load(folder.toString()), folder.toString(),
                "2 training images files",
                "train-images-idx3-ubyte, train-images-idx3-ubyte.gz");
    }

    @Test
    void rejectsFolderWhoseSetsDifferInFeatures() throws IOException {
        writeSet(folder, "train-images-idx3-ubyte", "train-labels-idx1-ubyte", 3, 28, 28,
                false, 8);
        writeSet(folder, "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte", 3, 28, 29,
                false, 9);

        assertRejected(() -> DataSources.load(folder.toString()),
                "784 features (28 x 28)", "812 (28 x 29)");
    }

    @Test
    void rejectsFolderWhoseLabelCountDiffersFromImageCount() throws IOException {
        writeSet(folder, "train-images-idx3-ubyte", "unused", 4, 2, 2, false, 10);
        write(folder, "train-labels-idx1-ubyte", labelsFile(1, 2, 3));
        writeSet(folder, "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte", 3, 2, 2,
                false, 11);

        assertRejected(() -> DataSources.load(folder.toString()), "has 3 labels",
                "has 4 images");
    }

    @Test
    void rejectsUnknownSourceListingAcceptedValues() throws IOException {
        String missing = folder.resolve("no-such-folder").toString();
        Path file = write(folder, "plain-file", new byte[] {1});

        assertRejected(() -> DataSources.load("mnist"), "'embedded', 'fashion-mnist' or an"
                + " existing folder of IDX files", "'mnist' does not exist");
        assertRejected(() -> DataSources.load(missing), missing);
        assertRejected(() -> DataSources.load(file.toString()), "is a file, not a folder");
        assertRejected(() -> DataSources.load(""), "'embedded'");
        assertRejected(() -> DataSources.load(null), "'embedded'");
    }

    @Test
    void missingFashionMnistNamesTheDebianPackage() throws IOException {
        Path absent = folder.resolve("fashion-mnist");
        Files.createDirectory(folder.resolve("empty"));

        assertRejected(() -> DataSources.loadFashionMnist(absent, 10), "fashion-mnist",
                absent.toString(), "not found", "dataset-fashion-mnist");
        assertRejected(() -> DataSources.loadFashionMnist(folder.resolve("empty"), 10),
                "no training images file", "install the Debian package dataset-fashion-mnist");
    }

    @Test
    void loadsInstalledFashionMnist() throws IOException {
        assumeTrue(Files.isDirectory(DataSources.FASHION_MNIST_FOLDER),
                "Debian package dataset-fashion-mnist is not installed");

        TrainTestSplit data = DataSources.load("fashion-mnist");

        assertEquals(60000, data.train().count());
        assertEquals(10000, data.test().count());
        assertEquals(784, data.features());
        for (int count : data.train().classCounts()) {
            assertEquals(6000, count);
        }
    }
}
