package org.hopdeq4j.data;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.SplittableRandom;
import java.util.zip.GZIPOutputStream;

/** Builds IDX files byte by byte for the tests, independently of the reader. */
final class IdxTestData {

    private IdxTestData() {
    }

    /** Big-endian 32-bit integers, as in an IDX header. */
    static byte[] ints(int... values) {
        ByteBuffer buffer = ByteBuffer.allocate(4 * values.length);
        for (int v : values) {
            buffer.putInt(v);
        }
        return buffer.array();
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    static byte[] imagesFile(int count, int rows, int columns, byte[] pixels) {
        return concat(ints(IdxReader.IMAGES_MAGIC, count, rows, columns), pixels);
    }

    static byte[] labelsFile(int... labels) {
        byte[] body = new byte[labels.length];
        for (int i = 0; i < labels.length; i++) {
            body[i] = (byte) labels[i];
        }
        return concat(ints(IdxReader.LABELS_MAGIC, labels.length), body);
    }

    /** Seeded pixels covering the whole byte range. */
    static byte[] randomPixels(int length, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        byte[] pixels = new byte[length];
        for (int i = 0; i < length; i++) {
            pixels[i] = (byte) random.nextInt(256);
        }
        return pixels;
    }

    static byte[] gzip(byte[] bytes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    static Path write(Path folder, String name, byte[] bytes) throws IOException {
        Path file = folder.resolve(name);
        Files.write(file, bytes);
        return file;
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 missing", e);
        }
    }

    /** Writes a small consistent dataset: count images of rows x columns, labels i % 10. */
    static void writeSet(Path folder, String imagesName, String labelsName, int count, int rows,
                         int columns, boolean gzipped, long seed) throws IOException {
        byte[] pixels = randomPixels(count * rows * columns, seed);
        byte[] images = imagesFile(count, rows, columns, pixels);
        int[] labels = new int[count];
        for (int i = 0; i < count; i++) {
            labels[i] = i % 10;
        }
        byte[] labelBytes = labelsFile(labels);
        write(folder, imagesName, gzipped ? gzip(images) : images);
        write(folder, labelsName, gzipped ? gzip(labelBytes) : labelBytes);
    }
}
