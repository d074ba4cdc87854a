package org.hopdeq4j.data;

import java.util.Arrays;
import java.util.NoSuchElementException;
import java.util.Objects;

/**
 * Cuts a dataset into mini-batches, copying each batch into buffers the caller allocated once.
 *
 * <p>An epoch visits every image exactly once, in {@code ceil(count / batchSize)} batches; the
 * last batch holds the remainder and is returned, not dropped. With {@link BatchOrder#SHUFFLED}
 * the order of epoch {@code e} is a permutation drawn from a SplitMix64 stream seeded by
 * {@code (seed, e)} alone, so an interrupted run resumes an epoch exactly with
 * {@link #startEpoch(int, int)}. With {@link BatchOrder#SEQUENTIAL} the order is the dataset's.
 *
 * <p>Usage:
 * <pre>{@code
 * BatchIterator batches = new BatchIterator(train, 64, BatchOrder.SHUFFLED, seed);
 * float[] x = new float[64 * train.features()];
 * int[] y = new int[64];
 * for (int epoch = 0; epoch < epochs; epoch++) {
 *     batches.startEpoch(epoch);
 *     while (batches.hasNext()) {
 *         int size = batches.next(x, y);   // rows 0..size-1 are filled
 *         ...
 *     }
 * }
 * }</pre>
 *
 * <p>Neither {@link #next(float[], int[])} nor {@link #startEpoch(int)} allocates. An iterator
 * is not thread-safe; give each thread its own.
 */
public final class BatchIterator {

    private final Dataset dataset;
    private final int batchSize;
    private final BatchOrder order;
    private final long seed;
    private final int[] permutation;
    private final SplitMix64 random = new SplitMix64(0);
    private int epoch;
    private int position;

    /**
     * Creates an iterator positioned at the start of epoch 0.
     *
     * @param dataset   the data; read, never modified
     * @param batchSize the number of images per full batch, {@code >= 1}
     * @param order     sequential or shuffled per epoch
     * @param seed      the seed of the shuffles (ignored for {@link BatchOrder#SEQUENTIAL})
     * @throws IllegalArgumentException if {@code batchSize < 1}
     */
    public BatchIterator(Dataset dataset, int batchSize, BatchOrder order, long seed) {
        this.dataset = Objects.requireNonNull(dataset, "dataset must not be null");
        this.order = Objects.requireNonNull(order, "order must not be null");
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be >= 1 but was " + batchSize);
        }
        this.batchSize = batchSize;
        this.seed = seed;
        this.permutation = new int[dataset.count()];
        startEpoch(0);
    }

    /**
     * Returns the dataset this iterator reads.
     *
     * @return the dataset
     */
    public Dataset dataset() {
        return dataset;
    }

    /**
     * Returns the size of a full batch.
     *
     * @return the batch size given at construction
     */
    public int batchSize() {
        return batchSize;
    }

    /**
     * Returns the visiting order.
     *
     * @return the order given at construction
     */
    public BatchOrder order() {
        return order;
    }

    /**
     * Returns the seed of the shuffles.
     *
     * @return the seed given at construction
     */
    public long seed() {
        return seed;
    }

    /**
     * Returns the number of batches per epoch, the last one possibly partial.
     *
     * @return {@code ceil(count / batchSize)}
     */
    public int batchesPerEpoch() {
        return (int) ((dataset.count() + (long) batchSize - 1) / batchSize);
    }

    /**
     * Returns the current epoch.
     *
     * @return the epoch last passed to {@link #startEpoch(int, int)} (0 after construction)
     */
    public int epoch() {
        return epoch;
    }

    /**
     * Returns the index within the epoch of the batch that {@link #next(float[], int[])} will
     * return next; equals {@link #batchesPerEpoch()} once the epoch is done.
     *
     * @return the next batch's index
     */
    public int batchIndex() {
        return (int) ((position + (long) batchSize - 1) / batchSize);
    }

    /**
     * Starts an epoch at its first batch. For {@link BatchOrder#SHUFFLED} this draws the
     * epoch's permutation, which depends only on the seed and {@code epoch}.
     *
     * @param epoch the epoch number, {@code >= 0}
     * @throws IllegalArgumentException if {@code epoch < 0}
     */
    public void startEpoch(int epoch) {
        startEpoch(epoch, 0);
    }

    /**
     * Starts an epoch at a given batch, as a resumed run needs: the batches returned from here
     * on are exactly those an uninterrupted epoch returns from batch {@code firstBatch} on.
     *
     * @param epoch      the epoch number, {@code >= 0}
     * @param firstBatch the index of the first batch to return, in
     *                   {@code 0..batchesPerEpoch()}
     * @throws IllegalArgumentException if {@code epoch < 0} or {@code firstBatch} is out of
     *                                  range
     */
    public void startEpoch(int epoch, int firstBatch) {
        if (epoch < 0) {
            throw new IllegalArgumentException("epoch must be >= 0 but was " + epoch);
        }
        if (firstBatch < 0 || firstBatch > batchesPerEpoch()) {
            throw new IllegalArgumentException("firstBatch must be in 0.." + batchesPerEpoch()
                    + " but was " + firstBatch);
        }
        for (int i = 0; i < permutation.length; i++) {
            permutation[i] = i;
        }
        if (order == BatchOrder.SHUFFLED) {
            // Two mixing rounds make the streams of (seed, epoch) and (seed, epoch + 1)
            // unrelated; a plain seed + epoch would give overlapping SplitMix64 sequences.
            random.reseed(SplitMix64.mix64(SplitMix64.mix64(seed) + epoch));
            random.shuffle(permutation, permutation.length);
        }
        this.epoch = epoch;
        this.position = (int) Math.min((long) firstBatch * batchSize, permutation.length);
    }

    /**
     * Tells whether the current epoch has another batch.
     *
     * @return true if {@link #next(float[], int[])} will return a batch
     */
    public boolean hasNext() {
        return position < permutation.length;
    }

    /**
     * Returns the dataset index of the image at a position of the current epoch's order.
     *
     * @param positionInEpoch a position in {@code 0..count-1}
     * @return the index of the image visited at that position
     * @throws IndexOutOfBoundsException if the position is out of range
     */
    public int sampleIndex(int positionInEpoch) {
        Objects.checkIndex(positionInEpoch, permutation.length);
        return permutation[positionInEpoch];
    }

    /**
     * Copies the next batch: image {@code k} of the batch goes to
     * {@code images[k * features .. (k + 1) * features - 1]} and its label to {@code labels[k]}.
     * Entries at and after the returned size are left unchanged.
     *
     * @param images output, at least {@code batchSize * features} long; does not alias the
     *               dataset
     * @param labels output, at least {@code batchSize} long
     * @return the number of images copied: {@code batchSize}, or fewer for the last batch
     * @throws NoSuchElementException   if the epoch has no batch left
     * @throws IllegalArgumentException if a buffer is too short
     */
    public int next(float[] images, int[] labels) {
        Objects.requireNonNull(labels, "labels must not be null");
        if (labels.length < batchSize) {
            throw new IllegalArgumentException("labels must hold at least batchSize = "
                    + batchSize + " values but has " + labels.length);
        }
        int size = copyImages(images);

        int[] source = dataset.labels();
        for (int k = 0; k < size; k++) {
            labels[k] = source[permutation[position + k]];
        }
        position += size;
        return size;
    }

    /**
     * Copies the next batch with one-hot targets: row {@code k} of {@code oneHot} (length
     * {@code classes}) is 1 at the image's label and 0 elsewhere. Images are laid out as in
     * {@link #next(float[], int[])}; rows at and after the returned size are left unchanged.
     *
     * @param images output, at least {@code batchSize * features} long
     * @param oneHot output, at least {@code batchSize * classes} long
     * @return the number of images copied: {@code batchSize}, or fewer for the last batch
     * @throws NoSuchElementException   if the epoch has no batch left
     * @throws IllegalArgumentException if a buffer is too short
     */
    public int nextOneHot(float[] images, float[] oneHot) {
        Objects.requireNonNull(oneHot, "oneHot must not be null");
        int classes = dataset.classes();
        checkLength("oneHot", oneHot.length, "classes", classes);
        int size = copyImages(images);

        int[] source = dataset.labels();
        Arrays.fill(oneHot, 0, size * classes, 0f);
        for (int k = 0; k < size; k++) {
            oneHot[k * classes + source[permutation[position + k]]] = 1f;
        }
        position += size;
        return size;
    }

    /** Copies the images of the next batch; leaves {@code position} for the caller to move. */
    private int copyImages(float[] images) {
        Objects.requireNonNull(images, "images must not be null");
        int features = dataset.features();
        checkLength("images", images.length, "features", features);
        if (!hasNext()) {
            throw new NoSuchElementException("epoch " + epoch + " has no batch left: all "
                    + batchesPerEpoch() + " batches were returned; call startEpoch first");
        }

        int size = Math.min(batchSize, permutation.length - position);
        float[] source = dataset.images();
        if (order == BatchOrder.SEQUENTIAL) {
            // The batch is one contiguous block of the dataset.
            System.arraycopy(source, position * features, images, 0, size * features);
            return size;
        }
        for (int k = 0; k < size; k++) {
            int i = permutation[position + k];
            System.arraycopy(source, i * features, images, k * features, features);
        }
        return size;
    }

    /** Checks {@code length >= batchSize * width}; builds a message only when it fails. */
    private void checkLength(String buffer, int length, String widthName, int width) {
        long needed = (long) batchSize * width;
        if (length < needed) {
            throw new IllegalArgumentException(buffer + " must hold at least batchSize x "
                    + widthName + " = " + batchSize + " x " + width + " = " + needed
                    + " values but has " + length);
        }
    }
}
