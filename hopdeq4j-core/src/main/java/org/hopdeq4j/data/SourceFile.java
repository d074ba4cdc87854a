package org.hopdeq4j.data;

import java.util.Objects;

/**
 * Provenance of one file a dataset was read from: where it was, its size and its SHA-256.
 *
 * <p>The size and the hash are of the file's bytes as stored (compressed, for a gzipped file),
 * so they match what {@code sha256sum} prints for the same file.
 *
 * @param location  the path or classpath resource the bytes came from, as given to the reader
 * @param sizeBytes the number of bytes read, {@code >= 0}
 * @param sha256    the SHA-256 of those bytes as 64 lower-case hexadecimal digits
 */
public record SourceFile(String location, long sizeBytes, String sha256) {

    /**
     * Validates the fields.
     *
     * @param location  the path or classpath resource
     * @param sizeBytes the number of bytes read
     * @param sha256    the SHA-256 as 64 lower-case hexadecimal digits
     * @throws NullPointerException     if {@code location} or {@code sha256} is null
     * @throws IllegalArgumentException if {@code sizeBytes < 0} or {@code sha256} is not 64
     *                                  lower-case hexadecimal digits
     */
    public SourceFile {
        Objects.requireNonNull(location, "location must not be null");
        Objects.requireNonNull(sha256, "sha256 must not be null");
        if (sizeBytes < 0) {
            throw new IllegalArgumentException("sizeBytes must be >= 0 but was " + sizeBytes);
        }
        if (!sha256.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException(
                    "sha256 must be 64 lower-case hex digits but was '" + sha256 + "'");
        }
    }
}
