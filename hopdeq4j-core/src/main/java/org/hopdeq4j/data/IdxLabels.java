package org.hopdeq4j.data;

import java.util.Objects;

/**
 * The content of an IDX labels file: one class index per image.
 *
 * <p>The record holds the array it was given, without copying.
 *
 * @param source where the file was and its hash
 * @param labels the class index of each image, in file order
 */
public record IdxLabels(SourceFile source, int[] labels) {

    /**
     * Validates the fields.
     *
     * @param source where the file was and its hash
     * @param labels the class index of each image, kept without copying
     * @throws NullPointerException if {@code source} or {@code labels} is null
     */
    public IdxLabels {
        Objects.requireNonNull(source, "source must not be null");
        Objects.requireNonNull(labels, "labels must not be null");
    }

    /**
     * Returns the number of labels.
     *
     * @return {@code labels().length}
     */
    public int count() {
        return labels.length;
    }
}
