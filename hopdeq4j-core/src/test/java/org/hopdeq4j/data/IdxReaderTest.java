package org.hopdeq4j.data;

import static org.hopdeq4j.data.IdxTestData.concat;
import static org.hopdeq4j.data.IdxTestData.gzip;
import static org.hopdeq4j.data.IdxTestData.imagesFile;
import static org.hopdeq4j.data.IdxTestData.ints;
import static org.hopdeq4j.data.IdxTestData.labelsFile;
import static org.hopdeq4j.data.IdxTestData.randomPixels;
import static org.hopdeq4j.data.IdxTestData.sha256;
import static org.hopdeq4j.data.IdxTestData.write;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

class IdxReaderTest {

    @TempDir
    Path folder;

    private static final int COUNT = 7;
    private static final int ROWS = 3;
    private static final int COLUMNS = 5;

    private static DataFormatException assertFormatError(Executable read, String... parts) {
        DataFormatException e = assertThrows(DataFormatException.class, read);
        for (String part : parts) {
            assertTrue(e.getMessage().contains(part),
                    () -> "message '" + e.getMessage() + "' lacks '" + part + "'");
        }
        assertFalse(e.getMessage().contains("\n"), "message must be one line");
        return e;
    }

    private static void assertPixelsMatch(byte[] expected, float[] pixels) {
        assertEquals(expected.length, pixels.length);
        for (int i = 0; i < expected.length; i++) {
            // The definition is an exact float division; compare bit for bit.
            assertEquals((expected[i] & 0xff) / 255f, pixels[i], 0f, "pixel " + i);
        }
    }

    @Test
    void readsPlainImagesFile() throws IOException {
        byte[] pixels = randomPixels(COUNT * ROWS * COLUMNS, 1);
        pixels[0] = 0;
        pixels[1] = (byte) 255;
        byte[] bytes = imagesFile(COUNT, ROWS, COLUMNS, pixels);
        Path file = write(folder, "images.idx", bytes);

        IdxImages images = IdxReader.readImages(file);

        assertEquals(COUNT, images.count());
        assertEquals(ROWS, images.rows());
        assertEquals(COLUMNS, images.columns());
        assertEquals(ROWS * COLUMNS, images.features());
        assertPixelsMatch(pixels, images.pixels());
        assertEquals(0f, images.pixels()[0]);
        assertEquals(1f, images.pixels()[1]);
        assertEquals(file.toString(), images.source().location());
        assertEquals(bytes.length, images.source().sizeBytes());
        assertEquals(sha256(bytes), images.source().sha256());
    }

    @Test
    void readsGzippedImagesFileDetectedByContentNotName() throws IOException {
        byte[] pixels = randomPixels(COUNT * ROWS * COLUMNS, 2);
        byte[] gzipped = gzip(imagesFile(COUNT, ROWS, COLUMNS, pixels));
        Path file = write(folder, "images-without-suffix", gzipped);

        IdxImages images = IdxReader.readImages(file);

        assertPixelsMatch(pixels, images.pixels());
        assertEquals(gzipped.length, images.source().sizeBytes());
        assertEquals(sha256(gzipped), images.source().sha256());
    }

    @Test
    void readsPlainFileNamedLikeGzip() throws IOException {
        byte[] pixels = randomPixels(COUNT * ROWS * COLUMNS, 3);
        Path file = write(folder, "train-images-idx3-ubyte.gz",
                imagesFile(COUNT, ROWS, COLUMNS, pixels));

        assertPixelsMatch(pixels, IdxReader.readImages(file).pixels());
    }

    @Test
    void readsPlainAndGzippedLabels() throws IOException {
        int[] expected = {3, 0, 9, 9, 1, 4};
        Path plain = write(folder, "labels", labelsFile(expected));
        Path gzipped = write(folder, "labels.gz", gzip(labelsFile(expected)));

        assertArrayEquals(expected, IdxReader.readLabels(plain, 10).labels());
        assertArrayEquals(expected, IdxReader.readLabels(gzipped, 10).labels());
        assertEquals(expected.length, IdxReader.readLabels(gzipped, 10).count());
    }

    @Test
    void readsFromStreamWithGivenLocation() throws IOException {
        byte[] bytes = gzip(labelsFile(1, 2));
        IdxLabels labels = IdxReader.readLabels(new ByteArrayInputStream(bytes), "memory", 3);

        assertArrayEquals(new int[] {1, 2}, labels.labels());
        assertEquals("memory", labels.source().location());
        assertEquals(sha256(bytes), labels.source().sha256());
    }

    @Test
    void hashCoversBytesAfterTheGzipMember() throws IOException {
        // gzip readers stop at the end of the member; the provenance hash must not.
        byte[] bytes = concat(gzip(labelsFile(1, 2)), new byte[] {0, 0, 0});
        Path file = write(folder, "labels.gz", bytes);

        IdxLabels labels = IdxReader.readLabels(file, 10);

        assertEquals(bytes.length, labels.source().sizeBytes());
        assertEquals(sha256(bytes), labels.source().sha256());
    }

    @Test
    void rejectsTruncatedIdxFile() throws IOException {
        byte[] whole = imagesFile(COUNT, ROWS, COLUMNS, randomPixels(COUNT * ROWS * COLUMNS, 4));
        Path file = write(folder, "cut", Arrays.copyOf(whole, whole.length - 6));

        assertFormatError(() -> IdxReader.readImages(file), file.toString(), "truncated",
                "expected " + whole.length + " bytes", "found " + (whole.length - 6));
    }

    @Test
    void rejectsTruncatedIdxFileInsideGzip() throws IOException {
        byte[] whole = labelsFile(1, 2, 3, 4, 5);
        Path file = write(folder, "cut.gz", gzip(Arrays.copyOf(whole, whole.length - 2)));

        assertFormatError(() -> IdxReader.readLabels(file, 10), file.toString(), "truncated",
                "expected 13 bytes", "found 11 after decompression");
    }

    @Test
    void rejectsTruncatedGzipStream() throws IOException {
        byte[] gzipped = gzip(imagesFile(COUNT, ROWS, COLUMNS, randomPixels(105, 5)));
        Path file = write(folder, "cut-stream.gz", Arrays.copyOf(gzipped, gzipped.length - 12));

        assertFormatError(() -> IdxReader.readImages(file), file.toString(), "truncated",
                "gzip stream ends early", "of 121 expected uncompressed bytes");
    }

    @Test
    void rejectsTruncatedHeader() throws IOException {
        Path empty = write(folder, "empty", new byte[0]);
        Path shortHeader = write(folder, "short", ints(IdxReader.IMAGES_MAGIC, 1));

        assertFormatError(() -> IdxReader.readImages(empty), "truncated",
                "expected at least 16 header bytes, found 0");
        assertFormatError(() -> IdxReader.readImages(shortHeader), "truncated",
                "expected at least 16 header bytes, found 8");
    }

    @Test
    void rejectsCorruptGzipStream() throws IOException {
        byte[] gzipped = gzip(labelsFile(1, 2, 3));
        // The trailer's CRC-32 sits 8 bytes from the end.
        gzipped[gzipped.length - 8] ^= 0x5a;
        Path file = write(folder, "bad-crc.gz", gzipped);

        assertFormatError(() -> IdxReader.readLabels(file, 10), file.toString(),
                "not a valid gzip stream");
    }

    @Test
    void rejectsWrongMagic() throws IOException {
        Path labels = write(folder, "labels", labelsFile(1, 2, 3));
        Path images = write(folder, "images", imagesFile(1, 1, 1, new byte[] {9}));
        Path other = write(folder, "other", concat(ints(0x00000D03, 1, 1, 1), new byte[4]));

        assertFormatError(() -> IdxReader.readImages(labels), labels.toString(),
                "wrong magic", "expected 0x00000803, found 0x00000801");
        assertFormatError(() -> IdxReader.readLabels(images, 10), images.toString(),
                "wrong magic", "expected 0x00000801, found 0x00000803");
        assertFormatError(() -> IdxReader.readImages(other), "found 0x00000d03");
    }

    @Test
    void rejectsLabelOutOfRange() throws IOException {
        Path file = write(folder, "labels", labelsFile(0, 1, 2, 3, 4, 12, 6));

        assertFormatError(() -> IdxReader.readLabels(file, 10), file.toString(),
                "label 12 at index 5", "expected 0..9 for 10 classes");
        assertEquals(7, IdxReader.readLabels(file, 13).count());
    }

    @Test
    void rejectsZeroNegativeAndAbsurdDimensions() throws IOException {
        Path zeroCount = write(folder, "zero", ints(IdxReader.IMAGES_MAGIC, 0, 28, 28));
        Path negativeRows = write(folder, "negative",
                concat(ints(IdxReader.IMAGES_MAGIC, 1, -28, 28), new byte[28 * 28]));
        Path hugeSide = write(folder, "huge", ints(IdxReader.IMAGES_MAGIC, 1, 5000, 28));
        Path hugeTotal = write(folder, "total", ints(IdxReader.IMAGES_MAGIC, 200, 4096, 4096));
        Path zeroLabels = write(folder, "zero-labels", ints(IdxReader.LABELS_MAGIC, 0));

        assertFormatError(() -> IdxReader.readImages(zeroCount), zeroCount.toString(),
                "invalid dimensions 0 x 28 x 28", "image count must be >= 1");
        assertFormatError(() -> IdxReader.readImages(negativeRows),
                "invalid dimensions 1 x -28 x 28", "rows and columns must be in 1..4096");
        assertFormatError(() -> IdxReader.readImages(hugeSide), "1 x 5000 x 28");
        assertFormatError(() -> IdxReader.readImages(hugeTotal), "exceed the largest array");
        assertFormatError(() -> IdxReader.readLabels(zeroLabels, 10), "label count must be >= 1");
    }

    @Test
    void rejectsTrailingData() throws IOException {
        byte[] whole = imagesFile(1, 2, 2, new byte[] {1, 2, 3, 4});
        Path plain = write(folder, "plain", concat(whole, new byte[] {7, 7, 7}));
        Path gzipped = write(folder, "inside.gz", gzip(concat(labelsFile(1, 2), new byte[5])));

        assertFormatError(() -> IdxReader.readImages(plain), plain.toString(),
                "3 bytes of trailing data", "expected 20 bytes", "found 23");
        assertFormatError(() -> IdxReader.readLabels(gzipped, 10), gzipped.toString(),
                "5 bytes of trailing data", "expected 10 bytes", "found 15");
    }

    @Test
    void rejectsLabelCountDifferentFromImageCount() throws IOException {
        Path images = write(folder, "images", imagesFile(3, 1, 2, new byte[6]));
        Path labels = write(folder, "labels", labelsFile(1, 2));
        IdxImages readImages = IdxReader.readImages(images);
        IdxLabels readLabels = IdxReader.readLabels(labels, 10);

        assertFormatError(() -> Dataset.fromIdx("set", readImages, readLabels, 10),
                labels.toString() + " has 2 labels", images.toString() + " has 3 images");
    }

    @Test
    void rejectsInvalidClassCount() throws IOException {
        Path labels = write(folder, "labels", labelsFile(1));

        IllegalArgumentException zero = assertThrows(IllegalArgumentException.class,
                () -> IdxReader.readLabels(labels, 0));
        assertEquals("classes must be in 1..256 but was 0", zero.getMessage());
        assertThrows(IllegalArgumentException.class, () -> IdxReader.readLabels(labels, 257));
    }
}
