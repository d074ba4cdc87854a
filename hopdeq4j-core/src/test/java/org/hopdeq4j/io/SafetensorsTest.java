package org.hopdeq4j.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.hopdeq4j.io.Safetensors.Contents;
import org.hopdeq4j.io.Safetensors.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafetensorsTest {

    @TempDir
    Path dir;

    // Expected files are built byte by byte from the specification, not by the writer.

    /** Appends the unsigned 64-bit little-endian integer {@code v}. */
    private static void u64(ByteArrayOutputStream out, long v) {
        for (int i = 0; i < 8; i++) {
            out.write((int) (v >>> (8 * i)) & 0xFF);
        }
    }

    /** Appends the IEEE 754 bits of {@code v}, least significant byte first. */
    private static void f32(ByteArrayOutputStream out, float v) {
        int bits = Float.floatToRawIntBits(v);
        for (int i = 0; i < 4; i++) {
            out.write((bits >>> (8 * i)) & 0xFF);
        }
    }

    private static byte[] file(String header, int padding, byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] text = (header + " ".repeat(padding)).getBytes(StandardCharsets.UTF_8);
        u64(out, text.length);
        out.writeBytes(text);
        out.writeBytes(data);
        return out.toByteArray();
    }

    private Path save(String name, byte[] bytes) throws IOException {
        Path path = dir.resolve(name);
        Files.write(path, bytes);
        return path;
    }

    private static byte[] floats(float... values) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (float v : values) {
            f32(out, v);
        }
        return out.toByteArray();
    }

    @Test
    void writesTheReferenceLayoutForOneTensor() throws IOException {
        // A compact header of exactly 64 bytes needs no padding.
        String header = "{\"attn.0\":{\"dtype\":\"F32\",\"shape\":[1,2,3],"
                + "\"data_offsets\":[0,24]}}";
        assertEquals(64, header.length());
        byte[] expected = file(header, 0, floats(0, 1, 2, 3, 4, 5));

        Path path = dir.resolve("one.safetensors");
        float[] data = {0, 1, 2, 3, 4, 5};
        Safetensors.write(path, List.of(Tensor.of("attn.0", data, 1, 2, 3)), Map.of());
        assertArrayEquals(expected, Files.readAllBytes(path));
    }

    @Test
    void padsTheHeaderWithSpacesToEightBytes() throws IOException {
        String header = "{\"attn0\":{\"dtype\":\"F32\",\"shape\":[1,1,2,3],"
                + "\"data_offsets\":[0,24]}}";
        assertEquals(65, header.length());
        byte[] expected = file(header, 7, floats(0, 1, 2, 3, 4, 5));

        Path path = dir.resolve("padded.safetensors");
        float[] data = {0, 1, 2, 3, 4, 5};
        Safetensors.write(path, List.of(Tensor.of("attn0", data, 1, 1, 2, 3)), Map.of());
        assertArrayEquals(expected, Files.readAllBytes(path));

        Path meta = dir.resolve("meta.safetensors");
        Safetensors.write(meta, List.of(), Map.of("framework", "pt"));
        assertArrayEquals(file("{\"__metadata__\":{\"framework\":\"pt\"}}", 5, new byte[0]),
                Files.readAllBytes(meta));
    }

    @Test
    void writesUnorderedMetadataSortedSoTheBytesAreReproducible() throws IOException {
        Path path = dir.resolve("sorted.safetensors");
        Safetensors.write(path, List.of(), Map.of("zeta", "1", "alpha", "2", "mid", "3"));
        String header = "{\"__metadata__\":{\"alpha\":\"2\",\"mid\":\"3\",\"zeta\":\"1\"}}";
        assertArrayEquals(file(header, (8 - header.length() % 8) % 8, new byte[0]),
                Files.readAllBytes(path));
    }

    @Test
    void roundTripsShapesMetadataAndBitExactValues() throws IOException {
        float[] special = {-0.0f, 0.0f, Float.MIN_VALUE, -Float.MAX_VALUE, Float.NaN,
            Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 1e-40f, 0.1f};
        SplittableRandom random = new SplittableRandom(3);
        float[] w = new float[7 * 13];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) random.nextGaussian();
        }
        List<Tensor> tensors = List.of(
                new Tensor("W0", new long[] {7, 13}, w),
                new Tensor("special", new long[] {3, 3}, special),
                new Tensor("scalar", new long[] {}, new float[] {2.5f}),
                new Tensor("empty", new long[] {0, 4}, new float[0]),
                new Tensor("name with \"quotes\" and é", new long[] {1}, new float[] {1}));
        Map<String, String> metadata = Map.of("format", "hopdeq4j", "layers", "[784, 10]");

        Path path = dir.resolve("round.safetensors");
        Safetensors.write(path, tensors, metadata);
        Contents contents = Safetensors.read(path);

        assertEquals(List.of("W0", "special", "scalar", "empty", "name with \"quotes\" and é"),
                List.copyOf(contents.tensors().keySet()));
        for (Tensor t : tensors) {
            assertEquals(t, contents.tensor(t.name()));
        }
        // Arrays.equals on floats compares bit patterns (NaN equals NaN, -0.0 differs from 0.0).
        assertTrue(Arrays.equals(special, contents.require("special", 3, 3)));
        assertEquals(Float.floatToRawIntBits(-0.0f),
                Float.floatToRawIntBits(contents.require("special", 3, 3)[0]));
        assertEquals(metadata, contents.metadata());
        assertTrue(contents.unsupported().isEmpty());
    }

    @Test
    void roundTripsTensorsLargerThanTheCopyChunk() throws IOException {
        // 2 chunks of 2^18 floats and a remainder of 7.
        int n = 2 * (1 << 18) + 7;
        float[] data = new float[n];
        for (int i = 0; i < n; i++) {
            data[i] = i * 0.5f - 1000f;
        }
        Path path = dir.resolve("large.safetensors");
        Safetensors.write(path, List.of(Tensor.of("big", data, n),
                Tensor.of("after", new float[] {9f}, 1)), Map.of());
        Contents contents = Safetensors.read(path);
        assertArrayEquals(data, contents.require("big", n));
        assertArrayEquals(new float[] {9f}, contents.require("after", 1));
    }

    @Test
    void readsHandBuiltFileWithAnI64TensorBetweenF32Ones() throws IOException {
        // Offsets need no particular order in the header, and the header need not be padded.
        String header = "{\"b\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[24,36]},"
                + "\"__metadata__\":{\"epoch\":\"3\"},"
                + "\"step\":{\"dtype\":\"I64\",\"shape\":[],\"data_offsets\":[16,24]},"
                + "\"W\":{\"dtype\":\"F32\",\"shape\":[2,2],\"data_offsets\":[0,16]}}";
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        data.writeBytes(floats(1.5f, -2f, 0.25f, 1e-30f));
        u64(data, 123456789L);
        data.writeBytes(floats(-0.0f, 3f, 7f));
        Path path = save("mixed.safetensors", file(header, 0, data.toByteArray()));

        Contents contents = Safetensors.read(path);
        assertArrayEquals(new float[] {1.5f, -2f, 0.25f, 1e-30f}, contents.require("W", 2, 2));
        assertArrayEquals(new float[] {-0.0f, 3f, 7f}, contents.require("b", 3));
        assertEquals(List.of("W", "b"), List.copyOf(contents.tensors().keySet()));
        assertEquals(Map.of("step", "I64"), contents.unsupported());
        assertEquals(Map.of("epoch", "3"), contents.metadata());

        FileFormatException e = assertThrows(FileFormatException.class,
                () -> contents.tensor("step"));
        assertEquals("safetensors file " + path + ": tensor 'step' has dtype I64 but only F32 is"
                + " supported", e.getMessage());
    }

    @Test
    void requireNamesBothShapesOrTheMissingTensor() throws IOException {
        Path path = dir.resolve("w.safetensors");
        Safetensors.write(path, List.of(Tensor.of("W1", new float[20], 2, 10)), Map.of());
        Contents contents = Safetensors.read(path);

        FileFormatException e = assertThrows(FileFormatException.class,
                () -> contents.require("W1", 2, 12));
        assertEquals("safetensors file " + path + ": tensor 'W1' has shape [2, 10] but [2, 12]"
                + " is required", e.getMessage());
        e = assertThrows(FileFormatException.class, () -> contents.require("b2", 12));
        assertEquals("safetensors file " + path + " is missing tensor 'b2'", e.getMessage());
    }

    @Test
    void rejectsTruncatedFile() throws IOException {
        Path path = dir.resolve("full.safetensors");
        Safetensors.write(path, List.of(Tensor.of("W", new float[6], 2, 3)), Map.of());
        byte[] bytes = Files.readAllBytes(path);

        Path cut = save("cut.safetensors", Arrays.copyOf(bytes, bytes.length - 1));
        assertRejected(cut, "tensor 'W': data_offsets [0, 24] lie outside the data buffer of 23"
                + " bytes (truncated file?)");
        Path inHeader = save("cut2.safetensors", Arrays.copyOf(bytes, 20));
        assertRejected(inHeader, "header length 64 exceeds the 12 bytes that follow it"
                + " (truncated file?)");
        Path tiny = save("tiny.safetensors", Arrays.copyOf(bytes, 5));
        assertRejected(tiny, "the file has 5 bytes, fewer than the 8 of the header length");
    }

    @Test
    void rejectsAbsurdHeaderLength() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        u64(out, 200_000_000L);
        out.writeBytes("{}".getBytes(StandardCharsets.UTF_8));
        assertRejected(save("huge.safetensors", out.toByteArray()),
                "header length 200000000 exceeds the limit of 100000000 bytes");

        out.reset();
        u64(out, -1L);
        assertRejected(save("negative.safetensors", out.toByteArray()),
                "header length 18446744073709551615 exceeds the limit of 100000000 bytes");
    }

    @Test
    void rejectsShapeThatDisagreesWithTheOffsetSpan() throws IOException {
        String header = "{\"W\":{\"dtype\":\"F32\",\"shape\":[2,3],\"data_offsets\":[0,20]}}";
        assertRejected(save("span.safetensors", file(header, 0, new byte[20])),
                "tensor 'W': shape [2, 3] of F32 needs 6 x 4 bytes but data_offsets [0, 20]"
                        + " span 20");

        String i64 = "{\"n\":{\"dtype\":\"I64\",\"shape\":[2],\"data_offsets\":[0,12]}}";
        assertRejected(save("span64.safetensors", file(i64, 0, new byte[12])),
                "tensor 'n': shape [2] of I64 needs 2 x 8 bytes but data_offsets [0, 12] span 12");
    }

    @Test
    void rejectsOffsetsOutsideTheBufferOrOverlapping() throws IOException {
        String reversed = "{\"W\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[8,4]}}";
        assertRejected(save("reversed.safetensors", file(reversed, 0, new byte[8])),
                "tensor 'W': data_offsets [8, 4] lie outside the data buffer of 8 bytes"
                        + " (truncated file?)");

        String overlap = "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}";
        assertRejected(save("overlap.safetensors", file(overlap, 0, new byte[12])),
                "tensors 'a' [0, 8] and 'b' [4, 12] overlap");
    }

    @Test
    void rejectsNegativeOrFractionalDimensions() throws IOException {
        String negative = "{\"W\":{\"dtype\":\"F32\",\"shape\":[-1,2],\"data_offsets\":[0,8]}}";
        assertRejected(save("neg.safetensors", file(negative, 0, new byte[8])),
                "tensor 'W': \"shape\" must hold integers >= 0 but is [-1, 2]");
        String fraction = "{\"W\":{\"dtype\":\"F32\",\"shape\":[2.0],\"data_offsets\":[0,8]}}";
        assertRejected(save("frac.safetensors", file(fraction, 0, new byte[8])),
                "tensor 'W': \"shape\" must hold integers >= 0 but is [2.0]");
    }

    @Test
    void rejectsMalformedHeaders() throws IOException {
        assertRejected(save("json.safetensors", file("{\"W\":{\"dtype\":\"F32\",}}", 0,
                new byte[0])), "the header is not valid JSON: malformed JSON at offset 20 (line 1,"
                + " column 21): expected a string key but found '}'");
        assertRejected(save("array.safetensors", file("[]", 6, new byte[0])),
                "the header must be a JSON object but starts with '['");
        assertRejected(save("nodtype.safetensors", file("{\"W\":{\"shape\":[1],"
                + "\"data_offsets\":[0,4]}}", 0, new byte[4])),
                "tensor 'W': \"dtype\" must be a string but is null");
        assertRejected(save("offsets.safetensors", file("{\"W\":{\"dtype\":\"F32\","
                + "\"shape\":[1],\"data_offsets\":[0]}}", 0, new byte[4])),
                "tensor 'W': \"data_offsets\" must hold 2 integers but holds 1");
        assertRejected(save("meta.safetensors", file("{\"__metadata__\":{\"epoch\":3}}", 0,
                new byte[0])), "__metadata__ must hold only string values but 'epoch' is 3");

        ByteArrayOutputStream notUtf8 = new ByteArrayOutputStream();
        u64(notUtf8, 4);
        notUtf8.writeBytes(new byte[] {'{', (byte) 0xFF, '}', ' '});
        assertRejected(save("utf8.safetensors", notUtf8.toByteArray()),
                "the header is not valid UTF-8");
    }

    @Test
    void unknownDtypesAreSkippedAndRejectedOnlyWhenAsked() throws IOException {
        String header = "{\"q\":{\"dtype\":\"F4\",\"shape\":[3],\"data_offsets\":[0,2]},"
                + "\"W\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[2,6]}}";
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        data.writeBytes(new byte[] {1, 2});
        data.writeBytes(floats(4.5f));
        Path path = save("f4.safetensors", file(header, 0, data.toByteArray()));

        Contents contents = Safetensors.read(path);
        assertArrayEquals(new float[] {4.5f}, contents.require("W", 1));
        FileFormatException e = assertThrows(FileFormatException.class,
                () -> contents.require("q", 3));
        assertTrue(e.getMessage().endsWith("tensor 'q' has dtype F4 but only F32 is supported"),
                e.getMessage());
    }

    @Test
    void rejectsInvalidTensorsBeforeWriting() throws IOException {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Tensor.of("W", new float[5], 2, 3));
        assertEquals("tensor 'W': shape [2, 3] holds 6 elements but data has 5", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Tensor.of("W", new float[0], -1));
        assertThrows(IllegalArgumentException.class, () -> Tensor.of("__metadata__",
                new float[1], 1));

        Path path = dir.resolve("dup.safetensors");
        Tensor a = Tensor.of("a", new float[1], 1);
        e = assertThrows(IllegalArgumentException.class,
                () -> Safetensors.write(path, List.of(a, a), Map.of()));
        assertEquals("tensor names must be distinct but 'a' appears twice", e.getMessage());
        assertTrue(Files.notExists(path));
    }

    private static void assertRejected(Path path, String problem) {
        FileFormatException e = assertThrows(FileFormatException.class,
                () -> Safetensors.read(path));
        assertEquals("safetensors file " + path + ": " + problem, e.getMessage());
    }
}
