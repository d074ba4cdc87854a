package org.hopdeq4j.data;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads the IDX files of MNIST and its relatives (Fashion-MNIST, EMNIST), plain or gzipped.
 *
 * <p>An IDX file is a big-endian header followed by raw values. This reader accepts the two
 * unsigned-byte kinds that image datasets use:
 * <ul>
 *   <li>images: magic {@code 0x00000803}, then the image count {@code n}, the rows and the
 *       columns as 32-bit integers, then {@code n * rows * columns} pixel bytes, row-major per
 *       image;</li>
 *   <li>labels: magic {@code 0x00000801}, then {@code n}, then {@code n} label bytes.</li>
 * </ul>
 * A gzipped file is recognised by its first two bytes ({@code 1f 8b}), whatever its name.
 * Pixels are returned as {@code byte / 255f}, labels as {@code int}.
 *
 * <p>Every read checks the magic number, the dimensions (each {@code >= 1}, image sides at most
 * {@link #MAX_IMAGE_SIDE}, the total within one Java array), the length (a truncated file and a
 * file with bytes after the data are both rejected) and, for labels, the range. Each fault is a
 * {@link DataFormatException} with a one-line message that starts with the file's location.
 * While reading, the SHA-256 of the stored bytes is computed for provenance ({@link SourceFile}).
 *
 * <p>Limits: only the unsigned-byte type code {@code 0x08} is supported (every MNIST-like
 * dataset uses it); EMNIST stores each image transposed relative to MNIST, and this reader
 * returns the bytes in file order without undoing that.
 */
public final class IdxReader {

    /** Magic number of an IDX file of unsigned bytes with three dimensions (images). */
    public static final int IMAGES_MAGIC = 0x00000803;

    /** Magic number of an IDX file of unsigned bytes with one dimension (labels). */
    public static final int LABELS_MAGIC = 0x00000801;

    /** Largest accepted number of rows or columns of one image. */
    public static final int MAX_IMAGE_SIDE = 4096;

    /** Largest accepted class count: a label is one unsigned byte. */
    public static final int MAX_CLASSES = 256;

    /** Largest number of values one Java array can safely hold. */
    static final int MAX_VALUES = Integer.MAX_VALUE - 8;

    private static final int IMAGES_HEADER_BYTES = 16;
    private static final int LABELS_HEADER_BYTES = 8;
    private static final int CHUNK = 1 << 16;
    private static final int FIRST_BODY_BUFFER = 1 << 20;

    // Exactly byte / 255f for each byte value, so a table lookup equals the division.
    private static final float[] BYTE_TO_UNIT = new float[256];

    static {
        for (int i = 0; i < 256; i++) {
            BYTE_TO_UNIT[i] = i / 255f;
        }
    }

    private IdxReader() {
    }

    /**
     * Reads an IDX images file, plain or gzipped.
     *
     * @param file the file to read
     * @return the images, with pixels {@code byte / 255f} and the file's SHA-256
     * @throws DataFormatException if the file is not a well-formed IDX images file
     * @throws IOException         if the file cannot be opened or read
     */
    public static IdxImages readImages(Path file) throws IOException {
        Objects.requireNonNull(file, "file must not be null");
        try (InputStream in = Files.newInputStream(file)) {
            return readImages(in, file.toString());
        }
    }

    /**
     * Reads an IDX images file, plain or gzipped, from a stream. The stream is read to its end
     * (so the hash covers every byte) and is not closed.
     *
     * @param in       the file's bytes as stored
     * @param location the name used in messages and in {@link SourceFile#location()}
     * @return the images, with pixels {@code byte / 255f} and the stream's SHA-256
     * @throws DataFormatException if the bytes are not a well-formed IDX images file
     * @throws IOException         if reading the stream fails
     */
    public static IdxImages readImages(InputStream in, String location) throws IOException {
        Objects.requireNonNull(in, "in must not be null");
        Objects.requireNonNull(location, "location must not be null");
        HashingInputStream hashed = new HashingInputStream(in);

        try (Parser parser = new Parser(hashed, location)) {
            parser.expectMagic(IMAGES_MAGIC, "images", IMAGES_HEADER_BYTES);
            int count = parser.readInt(IMAGES_HEADER_BYTES);
            int rows = parser.readInt(IMAGES_HEADER_BYTES);
            int columns = parser.readInt(IMAGES_HEADER_BYTES);
            checkImageDimensions(location, count, rows, columns);

            // Checked above: the product fits in one array.
            int values = count * rows * columns;
            String layout = "a 16-byte header and " + count + " x " + rows + " x " + columns
                    + " pixels";
            byte[] body = parser.readBody(IMAGES_HEADER_BYTES, values, layout);
            parser.expectEnd(IMAGES_HEADER_BYTES + (long) values, layout);

            float[] pixels = new float[values];
            for (int i = 0; i < values; i++) {
                pixels[i] = BYTE_TO_UNIT[body[i] & 0xff];
            }
            hashed.drain();
            return new IdxImages(hashed.toSourceFile(location), count, rows, columns, pixels);
        }
    }

    /**
     * Reads an IDX labels file, plain or gzipped, and checks every label against the classes.
     *
     * @param file    the file to read
     * @param classes the number of classes: each label must lie in {@code 0..classes-1}
     * @return the labels and the file's SHA-256
     * @throws IllegalArgumentException if {@code classes} is not in {@code 1..256}
     * @throws DataFormatException      if the file is not a well-formed IDX labels file or a
     *                                  label is out of range
     * @throws IOException              if the file cannot be opened or read
     */
    public static IdxLabels readLabels(Path file, int classes) throws IOException {
        Objects.requireNonNull(file, "file must not be null");
        checkClasses(classes);
        try (InputStream in = Files.newInputStream(file)) {
            return readLabels(in, file.toString(), classes);
        }
    }

    /**
     * Reads an IDX labels file, plain or gzipped, from a stream. The stream is read to its end
     * and is not closed.
     *
     * @param in       the file's bytes as stored
     * @param location the name used in messages and in {@link SourceFile#location()}
     * @param classes  the number of classes: each label must lie in {@code 0..classes-1}
     * @return the labels and the stream's SHA-256
     * @throws IllegalArgumentException if {@code classes} is not in {@code 1..256}
     * @throws DataFormatException      if the bytes are not a well-formed IDX labels file or a
     *                                  label is out of range
     * @throws IOException              if reading the stream fails
     */
    public static IdxLabels readLabels(InputStream in, String location, int classes)
            throws IOException {
        Objects.requireNonNull(in, "in must not be null");
        Objects.requireNonNull(location, "location must not be null");
        checkClasses(classes);
        HashingInputStream hashed = new HashingInputStream(in);

        try (Parser parser = new Parser(hashed, location)) {
            parser.expectMagic(LABELS_MAGIC, "labels", LABELS_HEADER_BYTES);
            int count = parser.readInt(LABELS_HEADER_BYTES);
            if (count < 1) {
                throw new DataFormatException(location + ": invalid dimensions: the label count"
                        + " must be >= 1 but the header says " + count);
            }

            String layout = "an 8-byte header and " + count + " labels";
            byte[] body = parser.readBody(LABELS_HEADER_BYTES, count, layout);
            parser.expectEnd(LABELS_HEADER_BYTES + (long) count, layout);

            int[] labels = new int[count];
            for (int i = 0; i < count; i++) {
                labels[i] = body[i] & 0xff;
                if (labels[i] >= classes) {
                    throw new DataFormatException(location + ": label " + labels[i]
                            + " at index " + i + " is out of range, expected 0.." + (classes - 1)
                            + " for " + classes + " classes");
                }
            }
            hashed.drain();
            return new IdxLabels(hashed.toSourceFile(location), labels);
        }
    }

    private static void checkClasses(int classes) {
        if (classes < 1 || classes > MAX_CLASSES) {
            throw new IllegalArgumentException(
                    "classes must be in 1.." + MAX_CLASSES + " but was " + classes);
        }
    }

    private static void checkImageDimensions(String location, int count, int rows, int columns) {
        String prefix = location + ": invalid dimensions " + count + " x " + rows + " x "
                + columns + ": ";
        if (count < 1) {
            throw new DataFormatException(prefix + "the image count must be >= 1");
        }
        if (rows < 1 || rows > MAX_IMAGE_SIDE || columns < 1 || columns > MAX_IMAGE_SIDE) {
            throw new DataFormatException(
                    prefix + "rows and columns must be in 1.." + MAX_IMAGE_SIDE);
        }
        long values = (long) count * rows * columns;
        if (values > MAX_VALUES) {
            throw new DataFormatException(prefix + values
                    + " pixels exceed the largest array (" + MAX_VALUES + " values)");
        }
    }

    /** Reads the header and body of one IDX file, decompressing it when it is gzipped. */
    private static final class Parser implements AutoCloseable {

        private final String location;
        private final InputStream content;
        private final boolean gzipped;
        private final byte[] scratch = new byte[CHUNK];
        private long consumed;
        private long expectedTotal = -1;

        Parser(InputStream raw, String location) throws IOException {
            this.location = location;
            BufferedInputStream buffered = new BufferedInputStream(raw, CHUNK);

            // Detect gzip by its magic bytes 1f 8b, not by the file name.
            buffered.mark(2);
            int first = buffered.read();
            int second = buffered.read();
            buffered.reset();
            this.gzipped = first == 0x1f && second == 0x8b;

            if (!gzipped) {
                this.content = buffered;
                return;
            }
            try {
                this.content = new GZIPInputStream(buffered, CHUNK);
            } catch (EOFException e) {
                throw new DataFormatException(
                        location + " is truncated: the gzip header is incomplete", e);
            } catch (ZipException e) {
                throw new DataFormatException(location + " is not a valid gzip stream ("
                        + e.getMessage() + ")", e);
            }
        }

        void expectMagic(int expected, String kind, int headerBytes) throws IOException {
            int found = readInt(headerBytes);
            if (found == expected) {
                return;
            }
            String hint = found == IMAGES_MAGIC ? " (an images file)"
                    : found == LABELS_MAGIC ? " (a labels file)" : "";
            throw new DataFormatException(String.format(
                    "%s: wrong magic number for an IDX %s file: expected 0x%08x, found 0x%08x%s",
                    location, kind, expected, found, hint));
        }

        /** Reads one big-endian signed 32-bit field of a header of {@code headerBytes}. */
        int readInt(int headerBytes) throws IOException {
            int got = readFully(scratch, 0, 4);
            if (got < 4) {
                throw new DataFormatException(location + " is truncated: expected at least "
                        + headerBytes + " header bytes, found " + consumed + afterGunzip());
            }
            return (scratch[0] & 0xff) << 24 | (scratch[1] & 0xff) << 16
                    | (scratch[2] & 0xff) << 8 | (scratch[3] & 0xff);
        }

        /**
         * Reads exactly {@code length} bytes. The buffer grows as data arrives, so a header that
         * announces more data than the file holds costs no large allocation.
         */
        byte[] readBody(int headerBytes, int length, String layout) throws IOException {
            expectedTotal = headerBytes + (long) length;
            byte[] body = new byte[Math.min(length, FIRST_BODY_BUFFER)];
            int filled = 0;
            while (filled < length) {
                if (filled == body.length) {
                    body = Arrays.copyOf(body, (int) Math.min(length, 2L * body.length));
                }
                int got = read(body, filled, body.length - filled);
                if (got < 0) {
                    throw new DataFormatException(location + " is truncated: expected "
                            + (headerBytes + (long) length) + " bytes (" + layout + "), found "
                            + (headerBytes + (long) filled) + afterGunzip());
                }
                filled += got;
            }
            return body;
        }

        /** Checks that nothing follows the data; reads the content to its end. */
        void expectEnd(long expectedBytes, String layout) throws IOException {
            long extra = 0;
            int got;
            while ((got = read(scratch, 0, scratch.length)) >= 0) {
                extra += got;
            }
            if (extra > 0) {
                throw new DataFormatException(location + " has " + extra
                        + " bytes of trailing data: expected " + expectedBytes + " bytes ("
                        + layout + "), found " + (expectedBytes + extra) + afterGunzip());
            }
        }

        private int readFully(byte[] buffer, int offset, int length) throws IOException {
            int filled = 0;
            while (filled < length) {
                int got = read(buffer, offset + filled, length - filled);
                if (got < 0) {
                    break;
                }
                filled += got;
            }
            return filled;
        }

        // Every read passes here, so gzip failures become format errors naming the file.
        private int read(byte[] buffer, int offset, int length) throws IOException {
            int got;
            try {
                got = content.read(buffer, offset, length);
            } catch (EOFException e) {
                String expected = expectedTotal < 0 ? "" : " of " + expectedTotal + " expected";
                throw new DataFormatException(location + " is truncated: the gzip stream ends"
                        + " early, after " + consumed + expected + " uncompressed bytes", e);
            } catch (ZipException e) {
                throw new DataFormatException(location + " is not a valid gzip stream ("
                        + e.getMessage() + ") after " + consumed + " uncompressed bytes", e);
            }
            if (got > 0) {
                consumed += got;
            }
            return got;
        }

        private String afterGunzip() {
            return gzipped ? " after decompression" : "";
        }

        @Override
        public void close() throws IOException {
            // Releases the inflater; the caller's stream stays open (HashingInputStream).
            content.close();
        }
    }

    /**
     * Passes bytes through while counting them and feeding them to SHA-256. Closing it does not
     * close the wrapped stream, which belongs to the caller.
     */
    private static final class HashingInputStream extends FilterInputStream {

        private final MessageDigest sha256;
        private long count;

        HashingInputStream(InputStream in) {
            super(in);
            try {
                this.sha256 = MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                // Every Java platform must provide SHA-256.
                throw new IllegalStateException("SHA-256 is not available on this platform", e);
            }
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b >= 0) {
                sha256.update((byte) b);
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int got = in.read(buffer, offset, length);
            if (got > 0) {
                sha256.update(buffer, offset, got);
                count += got;
            }
            return got;
        }

        @Override
        public long skip(long n) throws IOException {
            // Skipped bytes must still be hashed, so skipping reads.
            byte[] buffer = new byte[(int) Math.min(CHUNK, Math.max(n, 1))];
            long skipped = 0;
            while (skipped < n) {
                int got = read(buffer, 0, (int) Math.min(buffer.length, n - skipped));
                if (got < 0) {
                    break;
                }
                skipped += got;
            }
            return skipped;
        }

        @Override
        public boolean markSupported() {
            return false;
        }

        @Override
        public void close() {
            // The wrapped stream belongs to the caller.
        }

        /** Reads the rest of the wrapped stream so that the hash covers every stored byte. */
        void drain() throws IOException {
            byte[] buffer = new byte[CHUNK];
            while (read(buffer, 0, buffer.length) >= 0) {
                continue;
            }
        }

        SourceFile toSourceFile(String location) {
            return new SourceFile(location, count, HexFormat.of().formatHex(sha256.digest()));
        }
    }
}
