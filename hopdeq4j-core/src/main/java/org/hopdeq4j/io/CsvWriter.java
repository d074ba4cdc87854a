package org.hopdeq4j.io;

import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Appends rows to a CSV file with a header line, one row per call, flushed at once so that a
 * crash loses at most the row being written; used for per-epoch metrics.
 *
 * <p>Format (RFC 4180 with LF line ends): fields are separated by commas; a field that contains
 * a comma, a double quote, CR or LF is enclosed in double quotes with inner quotes doubled.
 * Values are formatted by {@link #format(Object)}: a {@link Double} by
 * {@link Double#toString(double)} and a {@link Float} by {@link Float#toString(float)}, the
 * shortest decimal that reads back to the same value in its own precision (so {@code 0.1f}
 * is written {@code 0.1}, not {@code 0.10000000149011612}); NaN and infinities as {@code NaN},
 * {@code Infinity}, {@code -Infinity}, which Python's {@code float} and pandas read; integers in
 * full; {@code null} as an empty field. {@link CsvTable#read(Path)} reads the files back.
 *
 * <p>To resume a run, read the file, keep the rows of the complete epochs, write them back with
 * {@link #rewrite(Path, List, List)} (atomic) and continue with {@link #appendTo(Path, List)}.
 * Not thread-safe; a file should have one writer at a time.
 */
public final class CsvWriter implements Closeable {

    private final Path file;
    private final List<String> header;
    private final Writer out;

    private CsvWriter(Path file, List<String> header, Writer out) {
        this.file = file;
        this.header = header;
        this.out = out;
    }

    /**
     * Creates or replaces {@code file} with just the header line, then opens it for appending.
     *
     * @param file the CSV file
     * @param header the column names; at least one, none null
     * @return the open writer; close it when done
     * @throws IllegalArgumentException if the header is empty or holds null
     * @throws IOException if the file cannot be written
     */
    public static CsvWriter create(Path file, List<String> header) throws IOException {
        List<String> columns = checkHeader(file, header);
        AtomicFiles.writeString(file, line(columns));
        return open(file, columns);
    }

    /**
     * Opens {@code file} for appending rows after checking that its header line equals
     * {@code header}; creates the file with that header if it does not exist.
     *
     * @param file the CSV file
     * @param header the column names the file must have
     * @return the open writer; close it when done
     * @throws FileFormatException if the file exists with another header, or does not end with
     *     a line break (its last row is incomplete)
     * @throws IOException if the file cannot be read or written
     */
    public static CsvWriter appendTo(Path file, List<String> header) throws IOException {
        List<String> columns = checkHeader(file, header);
        if (!Files.exists(file)) {
            return create(file, columns);
        }
        CsvTable existing = CsvTable.read(file);
        if (!existing.header().equals(columns)) {
            throw new FileFormatException("CSV file " + file + " has header " + existing.header()
                    + " but " + columns + " was expected");
        }
        if (!endsWithLineBreak(file)) {
            throw new FileFormatException("CSV file " + file + " does not end with a line break;"
                    + " its last row is incomplete and must be removed before appending");
        }
        return open(file, columns);
    }

    /**
     * Replaces {@code file} atomically by a header line and the given rows.
     *
     * @param file the CSV file
     * @param header the column names
     * @param rows the rows, each with one value per column; formatted by {@link #format(Object)}
     * @throws IllegalArgumentException if the header is empty, or a row has the wrong length or
     *     a value of an unsupported type; the file is then untouched
     * @throws IOException if the file cannot be written
     */
    public static void rewrite(Path file, List<String> header, List<? extends List<?>> rows)
            throws IOException {
        List<String> columns = checkHeader(file, header);
        StringBuilder text = new StringBuilder(line(columns));
        for (List<?> row : rows) {
            text.append(line(checkRow(file, columns, row)));
        }
        AtomicFiles.writeString(file, text.toString());
    }

    /**
     * Appends one row and flushes it to the file.
     *
     * @param values one value per column, in header order; formatted by {@link #format(Object)}
     * @throws IllegalArgumentException if the number of values differs from the number of
     *     columns, or a value has an unsupported type; nothing is written then
     * @throws IOException if writing fails
     */
    public void writeRow(List<?> values) throws IOException {
        out.write(line(checkRow(file, header, values)));
        out.flush();
    }

    /**
     * Appends one row and flushes it to the file; same as {@link #writeRow(List)}.
     *
     * @param values one value per column, in header order
     * @throws IllegalArgumentException as {@link #writeRow(List)}
     * @throws IOException if writing fails
     */
    public void writeRow(Object... values) throws IOException {
        writeRow(Arrays.asList(values));
    }

    /**
     * The column names.
     *
     * @return the header given when the writer was opened; unmodifiable
     */
    public List<String> header() {
        return header;
    }

    /**
     * Closes the file.
     *
     * @throws IOException if closing fails
     */
    @Override
    public void close() throws IOException {
        out.close();
    }

    /**
     * The text of one value as a CSV field, before quoting: {@code null} is empty, a
     * {@link Double} is {@link Double#toString(double)}, a {@link Float} is
     * {@link Float#toString(float)}, other numbers, strings and booleans their
     * {@code toString()}, an {@link Enum} its name.
     *
     * @param value the value
     * @return the field text
     * @throws IllegalArgumentException if the value is of any other type
     */
    public static String format(Object value) {
        if (value == null) {
            return "";
        }
        if (value instanceof Double) {
            return Double.toString((Double) value);
        }
        if (value instanceof Float) {
            return Float.toString((Float) value);
        }
        if (value instanceof Number || value instanceof CharSequence
                || value instanceof Boolean) {
            return value.toString();
        }
        if (value instanceof Enum) {
            return ((Enum<?>) value).name();
        }
        throw new IllegalArgumentException("CSV values must be numbers, strings, booleans, enums"
                + " or null but found " + value.getClass().getName());
    }

    /** Encloses a field in quotes when it holds a comma, quote or line break. */
    static String quote(String field) {
        boolean needsQuotes = false;
        for (int i = 0; i < field.length() && !needsQuotes; i++) {
            char c = field.charAt(i);
            needsQuotes = c == ',' || c == '"' || c == '\n' || c == '\r';
        }
        return needsQuotes ? "\"" + field.replace("\"", "\"\"") + "\"" : field;
    }

    private static CsvWriter open(Path file, List<String> header) throws IOException {
        Writer out = new BufferedWriter(new OutputStreamWriter(
                Files.newOutputStream(file, StandardOpenOption.APPEND, StandardOpenOption.WRITE),
                StandardCharsets.UTF_8));
        return new CsvWriter(file, header, out);
    }

    private static List<String> checkHeader(Path file, List<String> header) {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(header, "header");
        if (header.isEmpty() || header.stream().anyMatch(Objects::isNull)) {
            throw new IllegalArgumentException("CSV file " + file + ": the header must have at"
                    + " least one column and no null names but was " + header);
        }
        return List.copyOf(header);
    }

    private static String[] checkRow(Path file, List<String> header, List<?> row) {
        if (row.size() != header.size()) {
            throw new IllegalArgumentException("CSV file " + file + ": a row must have "
                    + header.size() + " values, one per column of " + header + ", but has "
                    + row.size() + ": " + row);
        }
        String[] fields = new String[row.size()];
        for (int i = 0; i < fields.length; i++) {
            fields[i] = format(row.get(i));
        }
        return fields;
    }

    private static String line(List<String> fields) {
        return line(fields.toArray(new String[0]));
    }

    private static String line(String[] fields) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < fields.length; i++) {
            if (i > 0) {
                sb.append(',');
            }
            sb.append(quote(fields[i]));
        }
        return sb.append('\n').toString();
    }

    private static boolean endsWithLineBreak(Path file) throws IOException {
        try (SeekableByteChannel channel = Files.newByteChannel(file)) {
            long size = channel.size();
            if (size == 0) {
                return false;
            }
            ByteBuffer last = ByteBuffer.allocate(1);
            channel.position(size - 1).read(last);
            return last.get(0) == '\n' || last.get(0) == '\r';
        }
    }
}
