package org.hopdeq4j.data;

import java.util.Objects;

/**
 * The content of an IDX images file: {@code count} grey-scale images of {@code rows x columns}
 * pixels, flattened to {@code pixels[(i * rows + r) * columns + c] = byte / 255f} for image
 * {@code i}, row {@code r}, column {@code c}.
 *
 * <p>The record holds the array it was given, without copying; {@code equals} compares the array
 * by identity, as records do.
 *
 * @param source  where the file was and its hash
 * @param count   number of images, {@code >= 1}
 * @param rows    pixel rows per image, {@code >= 1}
 * @param columns pixel columns per image, {@code >= 1}
 * @param pixels  {@code count * rows * columns} values in [0, 1], row-major per image
 */
public record IdxImages(SourceFile source, int count, int rows, int columns, float[] pixels) {

    /**
     * Validates the shape.
     *
     * @param source  where the file was and its hash
     * @param count   number of images
     * @param rows    pixel rows per image
     * @param columns pixel columns per image
     * @param pixels  {@code count * rows * columns} values, kept without copying
     * @throws NullPointerException     if {@code source} or {@code pixels} is null
     * @throws IllegalArgumentException if a dimension is below 1 or
     *                                  {@code pixels.length != count * rows * columns}
     */
    public IdxImages {
        Objects.requireNonNull(source, "source must not be null");
        Objects.requireNonNull(pixels, "pixels must not be null");
        if (count < 1 || rows < 1 || columns < 1) {
            throw new IllegalArgumentException("count, rows and columns must be >= 1 but were "
                    + count + ", " + rows + ", " + columns);
        }
        if (pixels.length != (long) count * rows * columns) {
            throw new IllegalArgumentException("pixels must hold count x rows x columns = "
                    + count + " x " + rows + " x " + columns + " values but has "
                    + pixels.length);
        }
    }

    /**
     * Returns the number of pixels per image, {@code rows * columns}.
     *
     * @return the feature count of one image
     */
    public int features() {
        return rows * columns;
    }
}
