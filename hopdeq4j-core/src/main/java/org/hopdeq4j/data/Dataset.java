package org.hopdeq4j.data;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A labelled image dataset held in memory: {@code count} images of {@code features = rows *
 * columns} values each, stored row-major in one flat array, with one class index per image and
 * the provenance (location, size, SHA-256) of the files it came from.
 *
 * <p>Image {@code i} occupies {@code images()[i * features() .. (i + 1) * features() - 1]}; for
 * data read from IDX files each value is {@code pixel / 255f}. Labels lie in
 * {@code 0..classes-1}.
 *
 * <p>A dataset does not copy the arrays it is built from and hands out its own arrays, so that
 * large sets are held once. Callers must not modify them; {@link #head(int)},
 * {@link #subset(int, long)} and {@link #select(int[])} return new datasets with copies.
 */
public final class Dataset {

    private static final long SUBSET_STREAM = 0x5EB5E7L;

    private final String name;
    private final float[] images;
    private final int[] labels;
    private final int rows;
    private final int columns;
    private final int classes;
    private final List<SourceFile> sources;

    /**
     * Creates a dataset over the given arrays, which are kept, not copied.
     *
     * @param name    a short name for messages and reports, not blank
     * @param images  {@code labels.length * rows * columns} values, row-major per image
     * @param labels  one class index per image, each in {@code 0..classes-1}
     * @param rows    pixel rows per image, {@code >= 1}
     * @param columns pixel columns per image, {@code >= 1}
     * @param classes number of classes, {@code >= 1}
     * @param sources the files the data came from (may be empty for generated data)
     * @throws NullPointerException     if an argument is null
     * @throws IllegalArgumentException if the name is blank, a size is below 1, there are no
     *                                  images, or {@code images.length} does not match
     * @throws DataFormatException      if a label is outside {@code 0..classes-1}
     */
    public Dataset(String name, float[] images, int[] labels, int rows, int columns, int classes,
                   List<SourceFile> sources) {
        this.name = Objects.requireNonNull(name, "name must not be null");
        this.images = Objects.requireNonNull(images, "images must not be null");
        this.labels = Objects.requireNonNull(labels, "labels must not be null");
        this.sources = List.copyOf(Objects.requireNonNull(sources, "sources must not be null"));
        this.rows = rows;
        this.columns = columns;
        this.classes = classes;

        if (name.isBlank()) {
            throw new IllegalArgumentException("dataset name must not be blank");
        }
        if (rows < 1 || columns < 1 || classes < 1) {
            throw new IllegalArgumentException(name + ": rows, columns and classes must be >= 1"
                    + " but were " + rows + ", " + columns + ", " + classes);
        }
        if (labels.length < 1) {
            throw new IllegalArgumentException(name + ": a dataset needs at least one image");
        }
        if (images.length != (long) labels.length * rows * columns) {
            throw new IllegalArgumentException(name + ": images must hold count x rows x columns"
                    + " = " + labels.length + " x " + rows + " x " + columns + " values but has "
                    + images.length);
        }
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= classes) {
                throw new DataFormatException(name + ": label " + labels[i] + " at index " + i
                        + " is out of range, expected 0.." + (classes - 1) + " for " + classes
                        + " classes");
            }
        }
    }

    /**
     * Pairs an images file with its labels file.
     *
     * @param name    a short name for messages and reports
     * @param images  the images read by {@link IdxReader#readImages(java.nio.file.Path)}
     * @param labels  the labels read by {@link IdxReader#readLabels(java.nio.file.Path, int)}
     * @param classes number of classes
     * @return the dataset, holding the arrays of {@code images} and {@code labels}
     * @throws DataFormatException if the label count differs from the image count, or a label
     *                             is outside {@code 0..classes-1}
     */
    public static Dataset fromIdx(String name, IdxImages images, IdxLabels labels, int classes) {
        Objects.requireNonNull(images, "images must not be null");
        Objects.requireNonNull(labels, "labels must not be null");
        if (labels.count() != images.count()) {
            throw new DataFormatException("labels file " + labels.source().location() + " has "
                    + labels.count() + " labels but images file " + images.source().location()
                    + " has " + images.count() + " images");
        }
        return new Dataset(name, images.pixels(), labels.labels(), images.rows(),
                images.columns(), classes, List.of(images.source(), labels.source()));
    }

    /**
     * Returns the name given at construction.
     *
     * @return the dataset's name
     */
    public String name() {
        return name;
    }

    /**
     * Returns the images, {@code count() * features()} values, row-major per image. This is the
     * dataset's own array: do not modify it.
     *
     * @return the backing image array
     */
    public float[] images() {
        return images;
    }

    /**
     * Returns the class index of each image. This is the dataset's own array: do not modify it.
     *
     * @return the backing label array
     */
    public int[] labels() {
        return labels;
    }

    /**
     * Returns the number of images.
     *
     * @return {@code labels().length}
     */
    public int count() {
        return labels.length;
    }

    /**
     * Returns the number of values per image.
     *
     * @return {@code rows() * columns()} (784 for MNIST)
     */
    public int features() {
        return rows * columns;
    }

    /**
     * Returns the pixel rows per image.
     *
     * @return the rows
     */
    public int rows() {
        return rows;
    }

    /**
     * Returns the pixel columns per image.
     *
     * @return the columns
     */
    public int columns() {
        return columns;
    }

    /**
     * Returns the number of classes; every label lies in {@code 0..classes()-1}.
     *
     * @return the class count
     */
    public int classes() {
        return classes;
    }

    /**
     * Returns the files the data came from, with their sizes and SHA-256 hashes.
     *
     * @return an unmodifiable list, images file first where both are known
     */
    public List<SourceFile> sources() {
        return sources;
    }

    /**
     * Counts the images of each class.
     *
     * @return a new array of length {@code classes()}; entry {@code k} is the number of images
     *         labelled {@code k}
     */
    public int[] classCounts() {
        int[] counts = new int[classes];
        for (int label : labels) {
            counts[label]++;
        }
        return counts;
    }

    /**
     * Returns the first {@code limit} images. Beware: a file sorted by class (such as the
     * embedded sample) then keeps only the first classes; {@link #subset(int, long)} does not.
     *
     * @param limit the number of images to keep, {@code >= 1}
     * @return this dataset if {@code limit >= count()}, else a new dataset with copies
     * @throws IllegalArgumentException if {@code limit < 1}
     */
    public Dataset head(int limit) {
        checkLimit(limit);
        if (limit >= count()) {
            return this;
        }
        float[] headImages = Arrays.copyOf(images, limit * features());
        int[] headLabels = Arrays.copyOf(labels, limit);
        return new Dataset(name + " (first " + limit + ")", headImages, headLabels, rows,
                columns, classes, sources);
    }

    /**
     * Returns {@code limit} images drawn uniformly at random without replacement, kept in
     * their dataset order. The draw depends only on {@code seed}, {@code limit} and the count,
     * so a run's {@code --train-limit} subset is reproducible.
     *
     * @param limit the number of images to keep, {@code >= 1}
     * @param seed  the seed of the draw
     * @return this dataset if {@code limit >= count()}, else a new dataset with copies
     * @throws IllegalArgumentException if {@code limit < 1}
     */
    public Dataset subset(int limit, long seed) {
        checkLimit(limit);
        if (limit >= count()) {
            return this;
        }

        // Partial Fisher-Yates: positions 0..limit-1 receive a uniform sample of the indices.
        int[] indices = new int[count()];
        for (int i = 0; i < indices.length; i++) {
            indices[i] = i;
        }
        SplitMix64 random = new SplitMix64(SplitMix64.mix64(seed ^ SUBSET_STREAM));
        for (int i = 0; i < limit; i++) {
            int j = i + random.nextInt(indices.length - i);
            int swap = indices[i];
            indices[i] = indices[j];
            indices[j] = swap;
        }
        int[] chosen = Arrays.copyOf(indices, limit);
        Arrays.sort(chosen);

        Dataset picked = select(chosen);
        return new Dataset(name + " (" + limit + " sampled, seed " + seed + ")",
                picked.images, picked.labels, rows, columns, classes, sources);
    }

    /**
     * Returns the images at the given indices, in the given order (repeats allowed).
     *
     * @param indices indices into this dataset, not modified; at least one
     * @return a new dataset with copies of the selected images and labels
     * @throws IllegalArgumentException if {@code indices} is empty or an index is out of range
     */
    public Dataset select(int[] indices) {
        Objects.requireNonNull(indices, "indices must not be null");
        if (indices.length == 0) {
            throw new IllegalArgumentException(name + ": indices must not be empty");
        }
        int features = features();
        if ((long) indices.length * features > IdxReader.MAX_VALUES) {
            throw new IllegalArgumentException(name + ": " + indices.length + " images of "
                    + features + " values exceed the largest array");
        }
        float[] selectedImages = new float[indices.length * features];
        int[] selectedLabels = new int[indices.length];
        for (int k = 0; k < indices.length; k++) {
            int i = indices[k];
            if (i < 0 || i >= count()) {
                throw new IllegalArgumentException(name + ": index " + i + " at position " + k
                        + " is out of range 0.." + (count() - 1));
            }
            System.arraycopy(images, i * features, selectedImages, k * features, features);
            selectedLabels[k] = labels[i];
        }
        return new Dataset(name + " (selection)", selectedImages, selectedLabels, rows, columns,
                classes, sources);
    }

    private void checkLimit(int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be >= 1 but was " + limit);
        }
    }

    /**
     * Describes the dataset in one line: name, count, shape and classes.
     *
     * @return for example {@code "mnist-sample/train: 7996 images of 28 x 28, 10 classes"}
     */
    @Override
    public String toString() {
        return name + ": " + count() + " images of " + rows + " x " + columns + ", " + classes
                + " classes";
    }
}
