package org.hopdeq4j.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JsonTest {

    @TempDir
    Path dir;

    private static Map<String, Object> sample() {
        Map<String, Object> solver = new LinkedHashMap<>();
        solver.put("name", "anderson");
        solver.put("historySize", 4);
        solver.put("ridge", 1.0e-5);
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("seed", 42L);
        root.put("layers", new int[] {784, 1990, 10});
        root.put("solver", solver);
        root.put("trace", List.of(0.5, 0.25));
        root.put("runs", List.of(Map.of("ok", true), List.of()));
        root.put("note", null);
        root.put("empty", Map.of());
        return root;
    }

    @Test
    void formatsWithTwoSpaceIndentAndScalarListsOnOneLine() {
        String expected = String.join("\n",
                "{",
                "  \"seed\": 42,",
                "  \"layers\": [784, 1990, 10],",
                "  \"solver\": {",
                "    \"name\": \"anderson\",",
                "    \"historySize\": 4,",
                "    \"ridge\": 1.0E-5",
                "  },",
                "  \"trace\": [0.5, 0.25],",
                "  \"runs\": [",
                "    {",
                "      \"ok\": true",
                "    },",
                "    []",
                "  ],",
                "  \"note\": null,",
                "  \"empty\": {}",
                "}");
        assertEquals(expected, Json.format(sample()));
    }

    @Test
    void compactFormHasNoWhitespace() {
        assertEquals("{\"a\":[1,2],\"b\":{\"c\":\"x y\"}}",
                Json.formatCompact(ordered("a", new long[] {1, 2}, "b", Map.of("c", "x y"))));
    }

    @Test
    void parsedOutputEqualsInputWithLongsAndDoubles() {
        Object parsed = Json.parse(Json.format(sample()));

        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("seed", 42L);
        expected.put("layers", List.of(784L, 1990L, 10L));
        expected.put("solver", ordered("name", "anderson", "historySize", 4L, "ridge", 1.0e-5));
        expected.put("trace", List.of(0.5, 0.25));
        expected.put("runs", List.of(Map.of("ok", true), List.of()));
        expected.put("note", null);
        expected.put("empty", Map.of());
        assertEquals(expected, parsed);
        assertEquals(List.copyOf(expected.keySet()),
                List.copyOf(((Map<?, ?>) parsed).keySet()));
    }

    @Test
    void randomDoublesAndFloatsRoundTripExactly() {
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 5_000; i++) {
            double d = Double.longBitsToDouble(random.nextLong());
            float f = Float.intBitsToFloat(random.nextInt());
            if (!Double.isFinite(d) || !Float.isFinite(f)) {
                continue;
            }
            List<?> back = (List<?>) Json.parse(Json.format(List.of(d, f)));
            assertEquals(Double.doubleToLongBits(d), Double.doubleToLongBits((Double) back.get(0)));
            float g = (float) (double) (Double) back.get(1);
            assertEquals(Float.floatToIntBits(f), Float.floatToIntBits(g));
        }
        assertEquals("[0.1, -0.0]", Json.format(new float[] {0.1f, -0.0f}));
    }

    @Test
    void writesNonFiniteNumbersAsNamedStrings() {
        String text = Json.format(new double[] {Double.NaN, Double.POSITIVE_INFINITY,
            Double.NEGATIVE_INFINITY, 1.5});
        assertEquals("[\"NaN\", \"Infinity\", \"-Infinity\", 1.5]", text);
        assertEquals("\"NaN\"", Json.format(Float.NaN));

        List<?> back = (List<?>) Json.parse(text);
        assertTrue(Double.isNaN(Json.toDouble(back.get(0))));
        assertEquals(Double.POSITIVE_INFINITY, Json.toDouble(back.get(1)));
        assertEquals(Double.NEGATIVE_INFINITY, Json.toDouble(back.get(2)));
        assertEquals(1.5, Json.toDouble(back.get(3)));
        assertThrows(IllegalArgumentException.class, () -> Json.toDouble("nan"));
    }

    @Test
    void integersBeyondLongRangeBecomeDoubles() {
        assertEquals(Long.MIN_VALUE, Json.parse("-9223372036854775808"));
        assertEquals(9.223372036854775808E18, Json.parse("9223372036854775808"));
        assertInstanceOf(Double.class, Json.parse("1e2"));
        assertInstanceOf(Double.class, Json.parse("-0.0"));
    }

    @Test
    void parsesEscapesAndSurrogatePairs() {
        assertEquals("a\"b\\c/d\b\f\n\r\t\u00e9\uD83D\uDE00",
                Json.parse("\"a\\\"b\\\\c\\/d\\b\\f\\n\\r\\t\\u00E9\\ud83d\\uDE00\""));
        assertEquals("\uD83D\uDE00 raw", Json.parse("\"\uD83D\uDE00 raw\""));
    }

    @Test
    void everyCharacterRoundTripsThroughAString() {
        StringBuilder all = new StringBuilder();
        for (char c = 0; c < 0x300; c++) {
            all.append(c);
        }
        all.append("\u2028\uFFFF\uD834\uDD1E");
        String text = Json.format(all.toString());
        assertEquals(all.toString(), Json.parse(text));
        assertTrue(text.contains("\\u0001") && text.contains("\\n") && text.contains("\\\""));
        assertTrue(text.contains("\u00e9"), "non-ASCII characters are written as they are");
    }

    @Test
    void reportsOffsetLineColumnAndExpectation() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Json.parse("{\n  \"a\" 1}"));
        assertEquals("malformed JSON at offset 8 (line 2, column 7): expected ':' after the key"
                + " but found '1'", e.getMessage());

        e = assertThrows(IllegalArgumentException.class, () -> Json.parse("[1, 2"));
        assertEquals("malformed JSON at offset 5 (line 1, column 6): expected ',' or ']' in an"
                + " array but found end of input", e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "", "   ", "{", "}", "[1,]", "{\"a\":1,}", "[01]", "[1.]", "[.5]", "[-]", "[+1]",
        "[1e]", "['a']", "{a:1}", "{\"a\" 1}", "[1 2]", "tru", "nul", "[true false]",
        "\"unterminated", "\"bad \\x escape\"", "\"\\u12G4\"", "\"tab\there\"",
        "\"\\uD83D alone\"", "\"\\uDE00 low first\"", "\"\\uD83D\\u0041\"", "[1] [2]",
        "// comment\n1", "{\"a\":1,\"a\":2}", "NaN", "[Infinity]", "\"\uD83D\"",
    })
    void rejectsMalformedInput(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Json.parse(text));
        assertTrue(e.getMessage().startsWith("malformed JSON at offset "), e.getMessage());
    }

    @Test
    void rejectsNestingDeeperThanTheLimit() {
        String deep = "[".repeat(600) + "]".repeat(600);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Json.parse(deep));
        assertTrue(e.getMessage().contains("nesting deeper than 512"), e.getMessage());
        assertEquals(1, ((List<?>) Json.parse("[".repeat(100) + "]".repeat(100))).size());
    }

    @Test
    void rejectsUnsupportedValuesWithTheirPath() {
        Map<String, Object> bad = ordered("a", List.of(1, new StringBuilder("x")));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Json.format(bad));
        assertEquals("cannot write JSON at $.a[1]: values of type java.lang.StringBuilder are"
                + " not supported", e.getMessage());

        Map<Object, Object> badKey = new HashMap<>();
        badKey.put(3, "x");
        e = assertThrows(IllegalArgumentException.class, () -> Json.format(List.of(badKey)));
        assertEquals("cannot write JSON at $[0]: object keys must be strings but found"
                + " Integer 3", e.getMessage());
    }

    @Test
    void sortsTheKeysOfUnorderedMaps() {
        Map<String, Object> unordered = new HashMap<>();
        for (String key : List.of("zeta", "alpha", "mid", "beta")) {
            unordered.put(key, 1);
        }
        assertEquals("{\"alpha\":1,\"beta\":1,\"mid\":1,\"zeta\":1}",
                Json.formatCompact(unordered));
    }

    @Test
    void writesAndReadsFiles() throws IOException {
        Path file = dir.resolve("config.json");
        Json.write(file, sample());
        String text = Files.readString(file);
        assertTrue(text.endsWith("}\n"));
        assertEquals(Json.parse(text), Json.readObject(file));
    }

    @Test
    void fileErrorsNameTheFile() throws IOException {
        Path file = dir.resolve("bad.json");
        Files.writeString(file, "{\"a\": [1, 2}");
        FileFormatException e = assertThrows(FileFormatException.class, () -> Json.read(file));
        assertEquals("JSON file " + file + ": malformed JSON at offset 11 (line 1, column 12):"
                + " expected ',' or ']' in an array but found '}'", e.getMessage());

        Files.write(file, new byte[] {'"', (byte) 0xC3, '"'});
        e = assertThrows(FileFormatException.class, () -> Json.read(file));
        assertTrue(e.getMessage().contains("not valid UTF-8"), e.getMessage());

        Files.writeString(file, "[1]", StandardCharsets.UTF_8);
        e = assertThrows(FileFormatException.class, () -> Json.readObject(file));
        assertTrue(e.getMessage().contains("expected an object at top level"), e.getMessage());
    }

    private static Map<String, Object> ordered(Object... keysAndValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }
}
