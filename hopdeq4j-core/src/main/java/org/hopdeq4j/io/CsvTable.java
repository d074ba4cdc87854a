package org.hopdeq4j.io;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A CSV file read into memory: the header line and the rows, every field as text.
 *
 * <p>{@link #read(Path)} is strict RFC 4180 over UTF-8 (LF or CRLF line ends, a leading byte
 * order mark ignored): a quoted field may hold commas, doubled quotes and line breaks; a quote
 * inside an unquoted field, text after a closing quote, an unclosed quote and a row whose field
 * count differs from the header's are rejected with the file and line. It reads what
 * {@link CsvWriter} writes and what common spreadsheet and data tools export.
 *
 * @param header the column names; unmodifiable
 * @param rows the rows in file order, each with as many fields as the header; unmodifiable
 */
public record CsvTable(List<String> header, List<List<String>> rows) {

    /**
     * Copies the lists into unmodifiable ones.
     *
     * @param header the column names
     * @param rows the rows, each a list of fields
     * @throws NullPointerException if a list or a field is null
     */
    public CsvTable {
        header = List.copyOf(header);
        List<List<String>> copies = new ArrayList<>(rows.size());
        for (List<String> row : rows) {
            copies.add(List.copyOf(row));
        }
        rows = List.copyOf(copies);
    }

    /**
     * Reads a CSV file whose first line is the header.
     *
     * @param file the file to read
     * @return the header and rows
     * @throws FileFormatException if the file is empty, not UTF-8 or breaks the rules above;
     *     the message names the file and the line
     * @throws IOException if the file cannot be read
     */
    public static CsvTable read(Path file) throws IOException {
        String text;
        try {
            text = Json.decodeUtf8(Files.readAllBytes(file));
        } catch (CharacterCodingException e) {
            throw new FileFormatException("CSV file " + file + ": the bytes are not valid UTF-8",
                    e);
        }
        if (text.startsWith("\uFEFF")) {
            text = text.substring(1);
        }
        List<List<String>> records = new Parser(file, text).records();
        if (records.isEmpty()) {
            throw new FileFormatException("CSV file " + file + " is empty; expected a header"
                    + " line");
        }
        return new CsvTable(records.get(0), records.subList(1, records.size()));
    }

    /**
     * The index of a column.
     *
     * @param name the column name
     * @return its index in the header, the first if the name repeats
     * @throws IllegalArgumentException if no column has that name
     */
    public int column(String name) {
        int index = header.indexOf(name);
        if (index < 0) {
            throw new IllegalArgumentException("CSV column '" + name + "' does not exist; the"
                    + " columns are " + header);
        }
        return index;
    }

    /**
     * The values of one column parsed as doubles; an empty field gives NaN.
     *
     * @param name the column name
     * @return a new array with one value per row
     * @throws IllegalArgumentException if the column does not exist or a field is not a number
     *     in the syntax of {@link Double#parseDouble(String)}
     */
    public double[] doubles(String name) {
        int c = column(name);
        double[] values = new double[rows.size()];
        for (int r = 0; r < values.length; r++) {
            String field = rows.get(r).get(c);
            try {
                values[r] = field.isEmpty() ? Double.NaN : Double.parseDouble(field);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("CSV column '" + name + "' row " + (r + 1)
                        + ": expected a number but found \"" + field + "\"", e);
            }
        }
        return values;
    }

    /** Splits the text into records of fields, tracking line numbers for messages. */
    private static final class Parser {

        private final Path file;
        private final String text;
        private int pos;
        private int line = 1;

        Parser(Path file, String text) {
            this.file = Objects.requireNonNull(file, "file");
            this.text = text;
        }

        List<List<String>> records() throws FileFormatException {
            List<List<String>> records = new ArrayList<>();
            while (pos < text.length()) {
                int recordLine = line;
                List<String> record = record();
                if (!records.isEmpty() && record.size() != records.get(0).size()) {
                    throw new FileFormatException("CSV file " + file + " line " + recordLine
                            + ": expected " + records.get(0).size() + " fields, as in the"
                            + " header, but found " + record.size());
                }
                records.add(record);
            }
            return records;
        }

        /** Reads fields up to and including the line break that ends the record. */
        private List<String> record() throws FileFormatException {
            List<String> fields = new ArrayList<>();
            while (true) {
                fields.add(pos < text.length() && text.charAt(pos) == '"'
                        ? quoted() : unquoted());
                if (pos >= text.length()) {
                    return fields;
                }
                char c = text.charAt(pos);
                if (c == ',') {
                    pos++;
                } else {
                    lineBreak();
                    return fields;
                }
            }
        }

        private String unquoted() throws FileFormatException {
            int start = pos;
            while (pos < text.length()) {
                char c = text.charAt(pos);
                if (c == ',' || c == '\n' || c == '\r') {
                    break;
                }
                if (c == '"') {
                    throw fail("a '\"' inside an unquoted field; quote the whole field");
                }
                pos++;
            }
            return text.substring(start, pos);
        }

        private String quoted() throws FileFormatException {
            int openLine = line;
            StringBuilder sb = new StringBuilder();
            pos++;
            while (true) {
                if (pos >= text.length()) {
                    throw new FileFormatException("CSV file " + file + " line " + openLine
                            + ": a quoted field is never closed");
                }
                char c = text.charAt(pos);
                if (c == '"') {
                    if (pos + 1 < text.length() && text.charAt(pos + 1) == '"') {
                        sb.append('"');
                        pos += 2;
                        continue;
                    }
                    pos++;
                    break;
                }
                if (c == '\n') {
                    line++;
                }
                sb.append(c);
                pos++;
            }
            if (pos < text.length() && ",\r\n".indexOf(text.charAt(pos)) < 0) {
                throw fail("expected ',' or a line break after a closing quote but found '"
                        + text.charAt(pos) + "'");
            }
            return sb.toString();
        }

        private void lineBreak() {
            if (text.charAt(pos) == '\r') {
                pos++;
            }
            if (pos < text.length() && text.charAt(pos) == '\n') {
                pos++;
            }
            line++;
        }

        private FileFormatException fail(String problem) {
            return new FileFormatException("CSV file " + file + " line " + line + ": " + problem);
        }
    }
}
