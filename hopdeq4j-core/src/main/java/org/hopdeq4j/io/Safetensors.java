package org.hopdeq4j.io;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Reads and writes float32 tensors in the safetensors format of Hugging Face, so weights move
 * between this library and Python (PyTorch, NumPy, JAX) unchanged.
 *
 * <p>The format: 8 bytes holding {@code N}, an unsigned 64-bit little-endian integer; then
 * {@code N} bytes of UTF-8 JSON, an object mapping each tensor name to
 * {@code {"dtype": "F32", "shape": [d0, d1, ...], "data_offsets": [begin, end]}} plus an optional
 * {@code "__metadata__"} object of string values; then the data buffer. Offsets are in bytes
 * from the start of the data buffer, elements are little-endian in row-major (C) order, and a
 * tensor of shape {@code []} is a scalar with one element.
 *
 * <p><b>Writing</b> produces what the reference implementation produces for the same tensors
 * in the same order: a compact header with {@code __metadata__} first, padded with spaces to a
 * multiple of 8 bytes so that the data starts 8-byte aligned, and the tensors packed back to
 * back in the order given, filling the buffer exactly. The reference writer sorts tensors by
 * dtype and name; readers do not depend on the order.
 *
 * <p><b>Reading</b> accepts any valid file. Only F32 data is loaded. A tensor of another dtype
 * is validated (offsets, and its span against its shape for the dtypes of the specification)
 * but not loaded; it is listed in {@link Contents#unsupported()}, and only asking for it
 * through {@link Contents#tensor(String)} or {@link Contents#require(String, long...)} fails.
 * So an F32 network loads from a file that also carries, say, an I64 step counter. Reading is
 * slightly more lenient than the reference: unused gaps between tensors and bytes after the last
 * one are ignored, and unknown keys inside a tensor entry are ignored. It rejects, with a
 * message naming the file and the tensor, a header length beyond the file or above 100 MB,
 * a header that is not UTF-8 JSON of the shape above, negative or non-integer dimensions,
 * a span that differs from the element count times the element size, offsets outside the data
 * buffer (a truncated file) and overlapping tensors.
 *
 * <p>Limits: one F32 tensor holds at most {@code Integer.MAX_VALUE - 8} elements (a Java
 * array); the whole file may be larger. Data is copied into Java arrays, not memory-mapped.
 */
public final class Safetensors {

    /** The dtype name of 32-bit IEEE 754 floats, the only one this class loads and writes. */
    public static final String F32 = "F32";

    /** The header key reserved for the string-to-string metadata map. */
    public static final String METADATA_KEY = "__metadata__";

    /** Largest header accepted, as in the reference implementation. */
    static final long MAX_HEADER_BYTES = 100_000_000L;

    private static final int MAX_ELEMENTS = Integer.MAX_VALUE - 8;
    private static final int CHUNK_BYTES = 1 << 20;
    private static final int ALIGNMENT = 8;

    /** Element sizes of the dtypes named by the specification. */
    private static final Map<String, Integer> DTYPE_BYTES = Map.ofEntries(
            Map.entry("BOOL", 1), Map.entry("U8", 1), Map.entry("I8", 1),
            Map.entry("F8_E5M2", 1), Map.entry("F8_E4M3", 1),
            Map.entry("I16", 2), Map.entry("U16", 2), Map.entry("F16", 2), Map.entry("BF16", 2),
            Map.entry("I32", 4), Map.entry("U32", 4), Map.entry("F32", 4),
            Map.entry("I64", 8), Map.entry("U64", 8), Map.entry("F64", 8));

    private Safetensors() {
    }

    /**
     * A named float32 tensor: row-major {@code data} of the given {@code shape}.
     *
     * <p>The arrays are held, not copied: changing them afterwards changes the tensor. Equality
     * compares names, shapes and the bit patterns of the data.
     *
     * @param name the tensor's name in the file; not empty, not {@code "__metadata__"}
     * @param shape the dimensions, each >= 0; {@code []} is a scalar with one element
     * @param data the elements in row-major order; its length is the product of the shape
     */
    public record Tensor(String name, long[] shape, float[] data) {

        /**
         * Validates the tensor.
         *
         * @param name the tensor's name in the file
         * @param shape the dimensions; held, not copied
         * @param data the elements in row-major order; held, not copied
         * @throws IllegalArgumentException if the name is empty or reserved, a dimension is
         *     negative, or the data length differs from the product of the shape
         * @throws NullPointerException if an argument is null
         */
        public Tensor {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(shape, "shape");
            Objects.requireNonNull(data, "data");
            if (name.isEmpty() || name.equals(METADATA_KEY)) {
                throw new IllegalArgumentException("tensor name must be non-empty and not \""
                        + METADATA_KEY + "\" but was \"" + name + "\"");
            }
            long count = elementCount(shape);
            if (count < 0) {
                throw new IllegalArgumentException("tensor '" + name + "': dimensions must be"
                        + " >= 0 and their product at most " + Long.MAX_VALUE + " but shape is "
                        + Arrays.toString(shape));
            }
            if (count != data.length) {
                throw new IllegalArgumentException("tensor '" + name + "': shape "
                        + Arrays.toString(shape) + " holds " + count + " elements but data has "
                        + data.length);
            }
        }

        /**
         * Creates a tensor from int dimensions.
         *
         * @param name the tensor's name
         * @param data the elements in row-major order; held, not copied
         * @param shape the dimensions, each >= 0
         * @return the tensor
         * @throws IllegalArgumentException as the canonical constructor
         */
        public static Tensor of(String name, float[] data, int... shape) {
            long[] dims = new long[shape.length];
            for (int i = 0; i < shape.length; i++) {
                dims[i] = shape[i];
            }
            return new Tensor(name, dims, data);
        }

        /**
         * The element type, for symmetry with the file's header.
         *
         * @return always {@value Safetensors#F32}, the only dtype held in memory
         */
        public String dtype() {
            return F32;
        }

        @Override
        public boolean equals(Object other) {
            if (!(other instanceof Tensor)) {
                return false;
            }
            Tensor t = (Tensor) other;
            return name.equals(t.name) && Arrays.equals(shape, t.shape)
                    && Arrays.equals(data, t.data);
        }

        @Override
        public int hashCode() {
            return 31 * (31 * name.hashCode() + Arrays.hashCode(shape)) + Arrays.hashCode(data);
        }

        @Override
        public String toString() {
            return "Tensor[" + name + ", F32, shape " + Arrays.toString(shape) + "]";
        }
    }

    /**
     * The result of {@link #read(Path)}: the F32 tensors in file order, the tensors that were
     * skipped because of their dtype, and the metadata.
     *
     * @param file the file read, named in error messages
     * @param tensors the F32 tensors by name, in order of their data offsets; unmodifiable
     * @param unsupported the dtype of each tensor that was not loaded, by name; unmodifiable
     * @param metadata the {@code __metadata__} map, empty if absent; unmodifiable
     */
    public record Contents(Path file, Map<String, Tensor> tensors,
                           Map<String, String> unsupported, Map<String, String> metadata) {

        /**
         * Copies the maps into unmodifiable ones, keeping their order.
         *
         * @param file the file read
         * @param tensors the F32 tensors by name
         * @param unsupported the dtype of each skipped tensor, by name
         * @param metadata the metadata
         * @throws NullPointerException if an argument is null
         */
        public Contents {
            Objects.requireNonNull(file, "file");
            tensors = Collections.unmodifiableMap(new LinkedHashMap<>(tensors));
            unsupported = Collections.unmodifiableMap(new LinkedHashMap<>(unsupported));
            metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
        }

        /**
         * Returns the F32 tensor of the given name.
         *
         * @param name the tensor's name
         * @return the tensor
         * @throws FileFormatException if the file has no such tensor, or has it in a dtype other
         *     than F32; the message names the file and the tensor
         */
        public Tensor tensor(String name) throws FileFormatException {
            Tensor t = tensors.get(name);
            if (t != null) {
                return t;
            }
            String dtype = unsupported.get(name);
            if (dtype != null) {
                throw new FileFormatException("safetensors file " + file + ": tensor '" + name
                        + "' has dtype " + dtype + " but only " + F32 + " is supported");
            }
            throw new FileFormatException("safetensors file " + file + " is missing tensor '"
                    + name + "'");
        }

        /**
         * Returns the data of an F32 tensor after checking its shape.
         *
         * @param name the tensor's name
         * @param shape the shape the caller needs
         * @return the tensor's data, row-major; the array held by this object, not a copy
         * @throws FileFormatException if the tensor is missing, is not F32, or has another
         *     shape; the message prints both shapes, as in
         *     {@code "safetensors file w.safetensors: tensor 'W1' has shape [1990, 10] but
         *     [1990, 12] is required"}
         */
        public float[] require(String name, long... shape) throws FileFormatException {
            Tensor t = tensor(name);
            if (!Arrays.equals(t.shape(), shape)) {
                throw new FileFormatException("safetensors file " + file + ": tensor '" + name
                        + "' has shape " + Arrays.toString(t.shape()) + " but "
                        + Arrays.toString(shape) + " is required");
            }
            return t.data();
        }
    }

    /**
     * Writes the tensors and metadata to {@code file} atomically, in the order given.
     *
     * @param file the file to create or replace
     * @param tensors the tensors; names must be distinct; the arrays are not modified
     * @param metadata string-to-string metadata, written as {@code __metadata__} unless empty;
     *     in the map's order if it is a {@link LinkedHashMap} or {@link SortedMap}, else sorted
     * @throws IllegalArgumentException if two tensors share a name, or a metadata key or value
     *     is null
     * @throws IOException if the file cannot be written; an existing file is then unchanged
     */
    public static void write(Path file, Collection<Tensor> tensors, Map<String, String> metadata)
            throws IOException {
        Objects.requireNonNull(file, "file");
        byte[] header = header(tensors, metadata);
        AtomicFiles.write(file, out -> {
            ByteBuffer length = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            out.write(length.putLong(header.length).array());
            out.write(header);
            ByteBuffer chunk = ByteBuffer.allocate(CHUNK_BYTES).order(ByteOrder.LITTLE_ENDIAN);
            for (Tensor t : tensors) {
                writeFloats(out, t.data(), chunk);
            }
        });
    }

    /** The JSON header, padded with spaces to a multiple of 8 bytes. */
    static byte[] header(Collection<Tensor> tensors, Map<String, String> metadata) {
        Objects.requireNonNull(tensors, "tensors");
        Objects.requireNonNull(metadata, "metadata");
        Map<String, Object> json = new LinkedHashMap<>();
        if (!metadata.isEmpty()) {
            // An ordered map keeps its order; any other is sorted, so the bytes are reproducible.
            boolean ordered = metadata instanceof LinkedHashMap || metadata instanceof SortedMap;
            Map<String, Object> meta = ordered ? new LinkedHashMap<>() : new TreeMap<>();
            metadata.forEach((key, value) -> {
                if (key == null || value == null) {
                    throw new IllegalArgumentException("metadata keys and values must not be null"
                            + " but found " + key + " = " + value);
                }
                meta.put(key, value);
            });
            json.put(METADATA_KEY, meta);
        }

        long offset = 0;
        for (Tensor t : tensors) {
            long end = offset + 4L * t.data().length;
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("dtype", F32);
            entry.put("shape", t.shape());
            entry.put("data_offsets", new long[] {offset, end});
            if (json.put(t.name(), entry) != null) {
                throw new IllegalArgumentException("tensor names must be distinct but '"
                        + t.name() + "' appears twice");
            }
            offset = end;
        }

        byte[] text = Json.formatCompact(json).getBytes(StandardCharsets.UTF_8);
        int padded = (text.length + ALIGNMENT - 1) / ALIGNMENT * ALIGNMENT;
        byte[] header = Arrays.copyOf(text, padded);
        Arrays.fill(header, text.length, padded, (byte) ' ');
        return header;
    }

    private static void writeFloats(OutputStream out, float[] data, ByteBuffer chunk)
            throws IOException {
        int perChunk = chunk.capacity() / Float.BYTES;
        for (int start = 0; start < data.length; start += perChunk) {
            int n = Math.min(perChunk, data.length - start);
            chunk.clear();
            chunk.asFloatBuffer().put(data, start, n);
            out.write(chunk.array(), 0, n * Float.BYTES);
        }
    }

    /**
     * Reads a safetensors file, loading every F32 tensor.
     *
     * @param file the file to read
     * @return the tensors, the skipped non-F32 tensors and the metadata
     * @throws FileFormatException if the file breaks the format; the message names the file,
     *     the tensor where there is one, the rule and the value found
     * @throws IOException if the file cannot be read
     */
    public static Contents read(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            Reader reader = new Reader(file, channel);
            return reader.read();
        }
    }

    /**
     * Element count of a shape: the product of the dimensions (1 for {@code []}), or -1 if a
     * dimension is negative or the product overflows a long.
     */
    static long elementCount(long[] shape) {
        long count = 1;
        for (long d : shape) {
            if (d < 0) {
                return -1;
            }
            try {
                count = Math.multiplyExact(count, d);
            } catch (ArithmeticException overflow) {
                return -1;
            }
        }
        return count;
    }

    /** The header entry of one tensor, before its data is read. */
    private record Entry(String name, String dtype, long[] shape, long begin, long end) {
    }

    private static final class Reader {

        private final Path file;
        private final FileChannel channel;
        private final ByteBuffer chunk;

        Reader(Path file, FileChannel channel) {
            this.file = file;
            this.channel = channel;
            this.chunk = ByteBuffer.allocateDirect(CHUNK_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        }

        Contents read() throws IOException {
            long size = channel.size();
            if (size < 8) {
                throw fail("the file has " + size + " bytes, fewer than the 8 of the header"
                        + " length");
            }
            long n = readFully(0, 8).getLong();
            if (n < 0 || n > MAX_HEADER_BYTES) {
                throw fail("header length " + Long.toUnsignedString(n) + " exceeds the limit of "
                        + MAX_HEADER_BYTES + " bytes");
            }
            if (n > size - 8) {
                throw fail("header length " + n + " exceeds the " + (size - 8)
                        + " bytes that follow it (truncated file?)");
            }
            long dataStart = 8 + n;
            long dataLength = size - dataStart;

            Map<String, Object> header = parseHeader(readFully(8, (int) n));
            Map<String, String> metadata = metadata(header.get(METADATA_KEY));
            List<Entry> entries = new ArrayList<>();
            for (Map.Entry<String, Object> e : header.entrySet()) {
                if (!e.getKey().equals(METADATA_KEY)) {
                    entries.add(entry(e.getKey(), e.getValue(), dataLength));
                }
            }
            checkOverlaps(entries);

            Map<String, Tensor> tensors = new LinkedHashMap<>();
            Map<String, String> unsupported = new LinkedHashMap<>();
            for (Entry e : entries) {
                if (e.dtype().equals(F32)) {
                    int count = (int) elementCount(e.shape());
                    float[] data = readFloats(dataStart + e.begin(), count);
                    tensors.put(e.name(), new Tensor(e.name(), e.shape(), data));
                } else {
                    unsupported.put(e.name(), e.dtype());
                }
            }
            return new Contents(file, tensors, unsupported, metadata);
        }

        private Map<String, Object> parseHeader(ByteBuffer bytes) throws FileFormatException {
            String text;
            try {
                text = Json.decodeUtf8(bytes.array());
            } catch (CharacterCodingException e) {
                throw fail("the header is not valid UTF-8", e);
            }
            Object json;
            try {
                json = Json.parse(text);
            } catch (IllegalArgumentException e) {
                throw fail("the header is not valid JSON: " + e.getMessage(), e);
            }
            if (!(json instanceof Map)) {
                throw fail("the header must be a JSON object but starts with '"
                        + text.strip().charAt(0) + "'");
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> map = (Map<String, Object>) json;
            return map;
        }

        private Map<String, String> metadata(Object value) throws FileFormatException {
            Map<String, String> metadata = new LinkedHashMap<>();
            if (value == null) {
                return metadata;
            }
            if (!(value instanceof Map)) {
                throw fail(METADATA_KEY + " must be an object of strings but is " + value);
            }
            for (Map.Entry<?, ?> e : ((Map<?, ?>) value).entrySet()) {
                if (!(e.getValue() instanceof String)) {
                    throw fail(METADATA_KEY + " must hold only string values but '" + e.getKey()
                            + "' is " + e.getValue());
                }
                metadata.put((String) e.getKey(), (String) e.getValue());
            }
            return metadata;
        }

        private Entry entry(String name, Object value, long dataLength)
                throws FileFormatException {
            if (!(value instanceof Map)) {
                throw fail("tensor '" + name + "': the header entry must be an object but is "
                        + value);
            }
            Map<?, ?> info = (Map<?, ?>) value;
            Object dtype = info.get("dtype");
            if (!(dtype instanceof String)) {
                throw fail("tensor '" + name + "': \"dtype\" must be a string but is " + dtype);
            }
            long[] shape = integers(name, "shape", info.get("shape"));
            long[] offsets = integers(name, "data_offsets", info.get("data_offsets"));
            if (offsets.length != 2) {
                throw fail("tensor '" + name + "': \"data_offsets\" must hold 2 integers but"
                        + " holds " + offsets.length);
            }

            long begin = offsets[0];
            long end = offsets[1];
            if (begin > end || end > dataLength) {
                throw fail("tensor '" + name + "': data_offsets [" + begin + ", " + end
                        + "] lie outside the data buffer of " + dataLength
                        + " bytes (truncated file?)");
            }
            long count = elementCount(shape);
            if (count < 0) {
                throw fail("tensor '" + name + "': the element count of shape "
                        + Arrays.toString(shape) + " overflows");
            }
            Integer elementBytes = DTYPE_BYTES.get(dtype);
            if (elementBytes != null && !spanMatches(count, elementBytes, end - begin)) {
                throw fail("tensor '" + name + "': shape " + Arrays.toString(shape) + " of "
                        + dtype + " needs " + count + " x " + elementBytes + " bytes but"
                        + " data_offsets [" + begin + ", " + end + "] span " + (end - begin));
            }
            if (F32.equals(dtype) && count > MAX_ELEMENTS) {
                throw fail("tensor '" + name + "': " + count + " elements exceed the "
                        + MAX_ELEMENTS + " a Java array can hold");
            }
            return new Entry(name, (String) dtype, shape, begin, end);
        }

        private static boolean spanMatches(long count, int elementBytes, long span) {
            try {
                return Math.multiplyExact(count, (long) elementBytes) == span;
            } catch (ArithmeticException overflow) {
                return false;
            }
        }

        private long[] integers(String name, String key, Object value)
                throws FileFormatException {
            if (!(value instanceof List)) {
                throw fail("tensor '" + name + "': \"" + key + "\" must be a list of"
                        + " integers but is " + value);
            }
            List<?> list = (List<?>) value;
            long[] result = new long[list.size()];
            for (int i = 0; i < result.length; i++) {
                Object v = list.get(i);
                if (!(v instanceof Long) || (Long) v < 0) {
                    throw fail("tensor '" + name + "': \"" + key + "\" must hold integers >= 0"
                            + " but is " + list);
                }
                result[i] = (Long) v;
            }
            return result;
        }

        private void checkOverlaps(List<Entry> entries) throws FileFormatException {
            List<Entry> byOffset = new ArrayList<>(entries);
            byOffset.sort(Comparator.comparingLong(Entry::begin).thenComparingLong(Entry::end));
            for (int i = 1; i < byOffset.size(); i++) {
                Entry a = byOffset.get(i - 1);
                Entry b = byOffset.get(i);
                if (b.begin() < a.end()) {
                    throw fail("tensors '" + a.name() + "' [" + a.begin() + ", " + a.end()
                            + "] and '" + b.name() + "' [" + b.begin() + ", " + b.end()
                            + "] overlap");
                }
            }
            entries.clear();
            entries.addAll(byOffset);
        }

        private float[] readFloats(long position, int count) throws IOException {
            float[] data = new float[count];
            int perChunk = CHUNK_BYTES / Float.BYTES;
            for (int start = 0; start < count; start += perChunk) {
                int n = Math.min(perChunk, count - start);
                chunk.clear().limit(n * Float.BYTES);
                fill(chunk, position + (long) start * Float.BYTES);
                chunk.flip();
                chunk.asFloatBuffer().get(data, start, n);
            }
            return data;
        }

        private ByteBuffer readFully(long position, int length) throws IOException {
            ByteBuffer buffer = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
            fill(buffer, position);
            buffer.flip();
            return buffer;
        }

        private void fill(ByteBuffer buffer, long position) throws IOException {
            long at = position;
            while (buffer.hasRemaining()) {
                int read = channel.read(buffer, at);
                if (read < 0) {
                    throw fail("the file ended at byte " + at + " while " + buffer.remaining()
                            + " more bytes were expected (truncated file?)");
                }
                at += read;
            }
        }

        private FileFormatException fail(String problem) {
            return new FileFormatException("safetensors file " + file + ": " + problem);
        }

        private FileFormatException fail(String problem, Throwable cause) {
            return new FileFormatException("safetensors file " + file + ": " + problem, cause);
        }
    }
}
