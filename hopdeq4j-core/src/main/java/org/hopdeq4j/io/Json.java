package org.hopdeq4j.io;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A small JSON (RFC 8259) writer and strict parser, for configurations, run reports and the
 * safetensors header.
 *
 * <p><b>Writing.</b> Accepted values: {@link Map} with {@link String} keys, {@link List},
 * {@code Object[]}, {@code double[]}, {@code float[]}, {@code int[]}, {@code long[]},
 * {@link String}, {@link Enum} (written as its name), {@link Boolean}, {@code null} and the
 * numbers {@link Double}, {@link Float}, {@link Long}, {@link Integer}, {@link Short},
 * {@link Byte}, {@link BigInteger}, {@link BigDecimal}. Anything else is rejected with the path
 * of the offending value ({@code $.layers[2]}). Keys keep the iteration order of a
 * {@link LinkedHashMap} or {@link SortedMap}; the keys of any other map are sorted, so the
 * output is deterministic either way. Doubles are written with {@link Double#toString(double)}
 * and floats with {@link Float#toString(float)}: the shortest decimal that reads back to the
 * same value in its own precision. JSON has no NaN or infinity, so these are written as the
 * strings {@code "NaN"}, {@code "Infinity"} and {@code "-Infinity"}; {@link #toDouble(Object)}
 * turns them back into doubles. The pretty form indents by 2 spaces and writes a list on one
 * line when it holds no map or list (numeric traces stay compact); the compact form has no
 * whitespace at all. Strings escape only what JSON requires: {@code "}, {@code \} and control
 * characters below U+0020.
 *
 * <p><b>Parsing.</b> The parser accepts exactly RFC 8259: no comments, no trailing commas, no
 * leading zeros, no single quotes, no duplicate keys, no unpaired surrogates, at most 512
 * levels of nesting. It returns {@link LinkedHashMap LinkedHashMap&lt;String, Object&gt;} for
 * objects (in document order), {@link ArrayList ArrayList&lt;Object&gt;} for arrays,
 * {@link String}, {@link Long} for integers that fit in a long, {@link Double} for every other
 * number, {@link Boolean} and {@code null}. The returned containers are fresh and mutable.
 * Malformed input raises an {@link IllegalArgumentException} whose message gives the character
 * offset, line and column, what was expected and what was found.
 */
public final class Json {

    private static final int MAX_DEPTH = 512;
    private static final String INDENT = "  ";

    private Json() {
    }

    /**
     * Formats {@code value} as pretty JSON (2-space indent, no trailing newline).
     *
     * @param value a value of one of the accepted types, nested to any depth up to 512
     * @return the JSON text
     * @throws IllegalArgumentException if a value has an unsupported type or a map key is not a
     *     string; the message gives its path, such as {@code $.solver.history[0]}
     */
    public static String format(Object value) {
        StringBuilder out = new StringBuilder();
        new Writer(out, true).value(value, 0);
        return out.toString();
    }

    /**
     * Formats {@code value} as compact JSON: no spaces or newlines between tokens.
     *
     * @param value a value of one of the accepted types
     * @return the JSON text
     * @throws IllegalArgumentException as {@link #format(Object)}
     */
    public static String formatCompact(Object value) {
        StringBuilder out = new StringBuilder();
        new Writer(out, false).value(value, 0);
        return out.toString();
    }

    /**
     * Writes {@code value} as pretty JSON followed by a newline, atomically, in UTF-8.
     *
     * @param file the file to create or replace
     * @param value a value of one of the accepted types
     * @throws IllegalArgumentException as {@link #format(Object)}; the file is then untouched
     * @throws IOException if the file cannot be written
     */
    public static void write(Path file, Object value) throws IOException {
        AtomicFiles.writeString(file, format(value) + "\n");
    }

    /**
     * Parses one JSON value; surrounding whitespace is allowed, anything else after it is not.
     *
     * @param text the JSON text
     * @return the value, with the types listed in the class description
     * @throws IllegalArgumentException if the text is not valid JSON; the message starts with
     *     {@code "malformed JSON at offset N (line L, column C): "}
     * @throws NullPointerException if {@code text} is null
     */
    public static Object parse(String text) {
        return new Parser(text).document();
    }

    /**
     * Reads and parses a UTF-8 JSON file.
     *
     * @param file the file to read
     * @return the value, with the types listed in the class description
     * @throws FileFormatException if the bytes are not UTF-8 or the text is not valid JSON; the
     *     message names the file
     * @throws IOException if the file cannot be read
     */
    public static Object read(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        String text;
        try {
            text = decodeUtf8(bytes);
        } catch (CharacterCodingException e) {
            throw new FileFormatException("JSON file " + file + ": the bytes are not valid UTF-8",
                    e);
        }
        try {
            return parse(text);
        } catch (IllegalArgumentException e) {
            throw new FileFormatException("JSON file " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Reads a UTF-8 JSON file whose top-level value must be an object.
     *
     * @param file the file to read
     * @return the object's members in document order
     * @throws FileFormatException if the file is not valid JSON or holds no object at top level
     * @throws IOException if the file cannot be read
     */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> readObject(Path file) throws IOException {
        Object value = read(file);
        if (!(value instanceof Map)) {
            throw new FileFormatException("JSON file " + file + ": expected an object at top level"
                    + " but found " + describe(value));
        }
        return (Map<String, Object>) value;
    }

    /**
     * Converts a parsed JSON number back to a double, including the strings that stand for the
     * non-finite values: {@code "NaN"}, {@code "Infinity"}, {@code "-Infinity"}.
     *
     * @param value a {@link Number} or one of those three strings
     * @return {@code value.doubleValue()} or the non-finite double named by the string
     * @throws IllegalArgumentException for any other value
     */
    public static double toDouble(Object value) {
        if (value instanceof Number) {
            return ((Number) value).doubleValue();
        }
        if ("NaN".equals(value)) {
            return Double.NaN;
        }
        if ("Infinity".equals(value)) {
            return Double.POSITIVE_INFINITY;
        }
        if ("-Infinity".equals(value)) {
            return Double.NEGATIVE_INFINITY;
        }
        throw new IllegalArgumentException("expected a JSON number or \"NaN\", \"Infinity\","
                + " \"-Infinity\" but found " + describe(value));
    }

    /** Strict UTF-8 decoding: malformed bytes raise instead of becoming U+FFFD. */
    static String decodeUtf8(byte[] bytes) throws CharacterCodingException {
        return StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(ByteBuffer.wrap(bytes))
                .toString();
    }

    private static String describe(Object value) {
        if (value == null) {
            return "null";
        }
        if (value instanceof String) {
            return "the string \"" + value + "\"";
        }
        return value.getClass().getSimpleName() + " " + value;
    }

    /** An unsupported value, with the path to it built up while the recursion unwinds. */
    private static final class UnsupportedValueException extends IllegalArgumentException {

        private static final long serialVersionUID = 1L;

        private final String problem;
        private String path = "";

        UnsupportedValueException(String problem) {
            super(problem);
            this.problem = problem;
        }

        UnsupportedValueException under(String segment) {
            path = segment + path;
            return this;
        }

        @Override
        public String getMessage() {
            return "cannot write JSON at $" + path + ": " + problem;
        }
    }

    private static final class Writer {

        private final StringBuilder out;
        private final boolean pretty;

        Writer(StringBuilder out, boolean pretty) {
            this.out = out;
            this.pretty = pretty;
        }

        void value(Object value, int depth) {
            if (depth > MAX_DEPTH) {
                throw new UnsupportedValueException("nesting deeper than " + MAX_DEPTH
                        + " levels (does a container hold itself?)");
            }
            if (value == null) {
                out.append("null");
            } else if (value instanceof String) {
                string((String) value);
            } else if (value instanceof Boolean) {
                out.append(value);
            } else if (value instanceof Number) {
                number((Number) value);
            } else if (value instanceof Enum) {
                string(((Enum<?>) value).name());
            } else if (value instanceof Map) {
                map((Map<?, ?>) value, depth);
            } else if (value instanceof List) {
                list((List<?>) value, depth);
            } else if (value instanceof Object[]) {
                list(Arrays.asList((Object[]) value), depth);
            } else if (value instanceof double[]) {
                doubles((double[]) value);
            } else if (value instanceof float[]) {
                floats((float[]) value);
            } else if (value instanceof int[]) {
                ints((int[]) value);
            } else if (value instanceof long[]) {
                longs((long[]) value);
            } else {
                throw new UnsupportedValueException("values of type "
                        + value.getClass().getName() + " are not supported");
            }
        }

        private void number(Number n) {
            if (n instanceof Double) {
                finiteOrName(n.doubleValue(), Double.toString(n.doubleValue()));
            } else if (n instanceof Float) {
                finiteOrName(n.floatValue(), Float.toString(n.floatValue()));
            } else if (n instanceof Long || n instanceof Integer || n instanceof Short
                    || n instanceof Byte || n instanceof BigInteger || n instanceof BigDecimal) {
                out.append(n);
            } else {
                throw new UnsupportedValueException("numbers of type " + n.getClass().getName()
                        + " are not supported");
            }
        }

        private void finiteOrName(double v, String decimal) {
            if (Double.isFinite(v)) {
                out.append(decimal);
            } else if (Double.isNaN(v)) {
                out.append("\"NaN\"");
            } else {
                out.append(v > 0 ? "\"Infinity\"" : "\"-Infinity\"");
            }
        }

        private void map(Map<?, ?> map, int depth) {
            if (map.isEmpty()) {
                out.append("{}");
                return;
            }
            Map<?, ?> ordered = map;
            if (!(map instanceof LinkedHashMap) && !(map instanceof SortedMap)) {
                ordered = sortedCopy(map);
            }

            out.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> e : ordered.entrySet()) {
                checkKey(e.getKey());
                String key = (String) e.getKey();
                if (!first) {
                    out.append(',');
                }
                first = false;
                newline(depth + 1);
                string(key);
                out.append(pretty ? ": " : ":");
                try {
                    value(e.getValue(), depth + 1);
                } catch (UnsupportedValueException ex) {
                    throw ex.under("." + key);
                }
            }
            newline(depth);
            out.append('}');
        }

        private Map<?, ?> sortedCopy(Map<?, ?> map) {
            TreeMap<String, Object> sorted = new TreeMap<>();
            for (Map.Entry<?, ?> e : map.entrySet()) {
                checkKey(e.getKey());
                sorted.put((String) e.getKey(), e.getValue());
            }
            return sorted;
        }

        private void list(List<?> list, int depth) {
            if (list.isEmpty()) {
                out.append("[]");
                return;
            }
            boolean multiline = pretty && hasContainer(list);

            out.append('[');
            for (int i = 0; i < list.size(); i++) {
                if (i > 0) {
                    out.append(pretty && !multiline ? ", " : ",");
                }
                if (multiline) {
                    newline(depth + 1);
                }
                try {
                    value(list.get(i), depth + 1);
                } catch (UnsupportedValueException ex) {
                    throw ex.under("[" + i + "]");
                }
            }
            if (multiline) {
                newline(depth);
            }
            out.append(']');
        }

        private static boolean hasContainer(List<?> list) {
            for (Object element : list) {
                if (element instanceof Map || element instanceof List || element instanceof Object[]
                        || element instanceof double[] || element instanceof float[]
                        || element instanceof int[] || element instanceof long[]) {
                    return true;
                }
            }
            return false;
        }

        private void doubles(double[] a) {
            out.append('[');
            for (int i = 0; i < a.length; i++) {
                separator(i);
                finiteOrName(a[i], Double.toString(a[i]));
            }
            out.append(']');
        }

        private void floats(float[] a) {
            out.append('[');
            for (int i = 0; i < a.length; i++) {
                separator(i);
                finiteOrName(a[i], Float.toString(a[i]));
            }
            out.append(']');
        }

        private void ints(int[] a) {
            out.append('[');
            for (int i = 0; i < a.length; i++) {
                separator(i);
                out.append(a[i]);
            }
            out.append(']');
        }

        private void longs(long[] a) {
            out.append('[');
            for (int i = 0; i < a.length; i++) {
                separator(i);
                out.append(a[i]);
            }
            out.append(']');
        }

        private void separator(int index) {
            if (index > 0) {
                out.append(pretty ? ", " : ",");
            }
        }

        private void newline(int depth) {
            if (pretty) {
                out.append('\n');
                for (int i = 0; i < depth; i++) {
                    out.append(INDENT);
                }
            }
        }

        private void string(String s) {
            out.append('"');
            int start = 0;
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                if (c == '"' || c == '\\' || c < 0x20) {
                    out.append(s, start, i);
                    escape(c);
                    start = i + 1;
                }
            }
            out.append(s, start, s.length());
            out.append('"');
        }

        private void escape(char c) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> out.append(String.format("\\u%04x", (int) c));
            }
        }
    }

    private static void checkKey(Object key) {
        if (!(key instanceof String)) {
            throw new UnsupportedValueException("object keys must be strings but found "
                    + (key == null ? "null" : key.getClass().getSimpleName() + " " + key));
        }
    }

    /** Recursive-descent parser over the characters of one document. */
    private static final class Parser {

        private final String text;
        private int pos;
        private int depth;

        Parser(String text) {
            this.text = Objects.requireNonNull(text, "text");
        }

        Object document() {
            skipWhitespace();
            Object value = value();
            skipWhitespace();
            if (pos < text.length()) {
                throw expected("end of input after the top-level value");
            }
            return value;
        }

        private Object value() {
            if (pos >= text.length()) {
                throw expected("a value");
            }
            char c = text.charAt(pos);
            if (c == '-' || isDigit(c)) {
                return number();
            }
            return switch (c) {
                case '{' -> object();
                case '[' -> array();
                case '"' -> string();
                case 't' -> literal("true", Boolean.TRUE);
                case 'f' -> literal("false", Boolean.FALSE);
                case 'n' -> literal("null", null);
                default -> throw expected("a value");
            };
        }

        private Map<String, Object> object() {
            enter();
            pos++;
            Map<String, Object> members = new LinkedHashMap<>();
            skipWhitespace();
            if (peek() == '}') {
                pos++;
                depth--;
                return members;
            }

            while (true) {
                skipWhitespace();
                if (peek() != '"') {
                    throw expected("a string key");
                }
                int keyStart = pos;
                String key = string();
                if (members.containsKey(key)) {
                    pos = keyStart;
                    throw fail("duplicate key \"" + key + "\"");
                }
                skipWhitespace();
                consume(':', "':' after the key");
                skipWhitespace();
                members.put(key, value());
                skipWhitespace();
                if (peek() == ',') {
                    pos++;
                } else if (peek() == '}') {
                    pos++;
                    depth--;
                    return members;
                } else {
                    throw expected("',' or '}' in an object");
                }
            }
        }

        private List<Object> array() {
            enter();
            pos++;
            List<Object> elements = new ArrayList<>();
            skipWhitespace();
            if (peek() == ']') {
                pos++;
                depth--;
                return elements;
            }

            while (true) {
                skipWhitespace();
                elements.add(value());
                skipWhitespace();
                if (peek() == ',') {
                    pos++;
                } else if (peek() == ']') {
                    pos++;
                    depth--;
                    return elements;
                } else {
                    throw expected("',' or ']' in an array");
                }
            }
        }

        private void enter() {
            if (++depth > MAX_DEPTH) {
                throw fail("nesting deeper than " + MAX_DEPTH + " levels");
            }
        }

        private String string() {
            pos++;
            StringBuilder sb = null;
            int runStart = pos;
            while (true) {
                if (pos >= text.length()) {
                    throw expected("'\"' to close the string");
                }
                char c = text.charAt(pos);
                if (c == '"') {
                    String run = text.substring(runStart, pos);
                    pos++;
                    return sb == null ? run : sb.append(run).toString();
                }
                if (c == '\\') {
                    if (sb == null) {
                        sb = new StringBuilder();
                    }
                    sb.append(text, runStart, pos);
                    escape(sb);
                    runStart = pos;
                } else if (c < 0x20) {
                    throw fail("control character " + codePoint(c)
                            + " must be escaped inside a string");
                } else if (Character.isSurrogate(c)) {
                    rawSurrogatePair(c);
                } else {
                    pos++;
                }
            }
        }

        private void rawSurrogatePair(char c) {
            boolean paired = Character.isHighSurrogate(c) && pos + 1 < text.length()
                    && Character.isLowSurrogate(text.charAt(pos + 1));
            if (!paired) {
                throw fail("unpaired surrogate " + codePoint(c));
            }
            pos += 2;
        }

        private void escape(StringBuilder sb) {
            pos++;
            if (pos >= text.length()) {
                throw expected("an escape character after '\\'");
            }
            char c = text.charAt(pos);
            if (c == 'u') {
                unicodeEscape(sb);
                return;
            }
            switch (c) {
                case '"' -> sb.append('"');
                case '\\' -> sb.append('\\');
                case '/' -> sb.append('/');
                case 'b' -> sb.append('\b');
                case 'f' -> sb.append('\f');
                case 'n' -> sb.append('\n');
                case 'r' -> sb.append('\r');
                case 't' -> sb.append('\t');
                default -> throw expected("one of \" \\ / b f n r t u after '\\'");
            }
            pos++;
        }

        private void unicodeEscape(StringBuilder sb) {
            int escapeStart = pos - 1;
            pos++;
            char first = (char) hex4();
            if (Character.isLowSurrogate(first)) {
                pos = escapeStart;
                throw fail("unpaired low surrogate " + codePoint(first));
            }
            if (!Character.isHighSurrogate(first)) {
                sb.append(first);
                return;
            }

            // A high surrogate must be followed at once by an escaped low surrogate.
            if (!text.startsWith("\\u", pos)) {
                throw expected("an escaped low surrogate \\uDC00-\\uDFFF after "
                        + codePoint(first));
            }
            int secondStart = pos;
            pos += 2;
            char second = (char) hex4();
            if (!Character.isLowSurrogate(second)) {
                pos = secondStart;
                throw fail("expected an escaped low surrogate \\uDC00-\\uDFFF after "
                        + codePoint(first) + " but found " + codePoint(second));
            }
            sb.append(first).append(second);
        }

        private int hex4() {
            int v = 0;
            for (int i = 0; i < 4; i++) {
                int digit = pos < text.length() ? Character.digit(text.charAt(pos), 16) : -1;
                if (digit < 0) {
                    throw expected("4 hexadecimal digits after \\u");
                }
                v = v * 16 + digit;
                pos++;
            }
            return v;
        }

        private Object number() {
            int start = pos;
            if (peek() == '-') {
                pos++;
            }
            if (peek() == '0') {
                pos++;
                if (isDigit(peek())) {
                    throw fail("leading zeros are not allowed in numbers");
                }
            } else {
                digits("a digit");
            }
            boolean integer = true;
            if (peek() == '.') {
                pos++;
                digits("a digit after the decimal point");
                integer = false;
            }
            if (peek() == 'e' || peek() == 'E') {
                pos++;
                if (peek() == '+' || peek() == '-') {
                    pos++;
                }
                digits("a digit in the exponent");
                integer = false;
            }

            String literal = text.substring(start, pos);
            if (integer) {
                try {
                    return Long.parseLong(literal);
                } catch (NumberFormatException tooLong) {
                    return Double.parseDouble(literal);
                }
            }
            return Double.parseDouble(literal);
        }

        private void digits(String what) {
            if (!isDigit(peek())) {
                throw expected(what);
            }
            while (isDigit(peek())) {
                pos++;
            }
        }

        private static boolean isDigit(int c) {
            return c >= '0' && c <= '9';
        }

        private Object literal(String word, Object value) {
            if (!text.startsWith(word, pos)) {
                throw expected("'" + word + "'");
            }
            pos += word.length();
            return value;
        }

        private void consume(char c, String what) {
            if (peek() != c) {
                throw expected(what);
            }
            pos++;
        }

        /** The character at the cursor, or -1 at the end of the input. */
        private int peek() {
            return pos < text.length() ? text.charAt(pos) : -1;
        }

        private void skipWhitespace() {
            while (pos < text.length()) {
                char c = text.charAt(pos);
                if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                    return;
                }
                pos++;
            }
        }

        private IllegalArgumentException expected(String what) {
            return fail("expected " + what + " but found " + found());
        }

        private String found() {
            if (pos >= text.length()) {
                return "end of input";
            }
            char c = text.charAt(pos);
            if (c < 0x20 || c == 0x7f || Character.isSurrogate(c)) {
                return codePoint(c);
            }
            return "'" + c + "'";
        }

        private IllegalArgumentException fail(String problem) {
            int line = 1;
            int lineStart = 0;
            for (int i = 0; i < pos && i < text.length(); i++) {
                if (text.charAt(i) == '\n') {
                    line++;
                    lineStart = i + 1;
                }
            }
            int column = pos - lineStart + 1;
            return new IllegalArgumentException("malformed JSON at offset " + pos + " (line "
                    + line + ", column " + column + "): " + problem);
        }

        private static String codePoint(char c) {
            return String.format("U+%04X", (int) c);
        }
    }
}
