package org.hopdeq4j.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvWriterTest {

    @TempDir
    Path dir;

    private static final List<String> HEADER = List.of("epoch", "loss", "accuracy", "note");

    @Test
    void writesRowsThatReadBackExactly() throws IOException {
        Path file = dir.resolve("metrics.csv");
        try (CsvWriter csv = CsvWriter.create(file, HEADER)) {
            csv.writeRow(1, 0.1f, 0.97125, "plain");
            csv.writeRow(2L, Double.NaN, Double.NEGATIVE_INFINITY, "a, \"quoted\"\nline");
            csv.writeRow(List.of(3, 1.0E-5, true, ""));
            csv.writeRow(Arrays.asList(4, null, 0.5, null));
        }

        assertEquals("epoch,loss,accuracy,note\n"
                + "1,0.1,0.97125,plain\n"
                + "2,NaN,-Infinity,\"a, \"\"quoted\"\"\nline\"\n"
                + "3,1.0E-5,true,\n"
                + "4,,0.5,\n", Files.readString(file));

        CsvTable table = CsvTable.read(file);
        assertEquals(HEADER, table.header());
        assertEquals(List.of("2", "NaN", "-Infinity", "a, \"quoted\"\nline"), table.rows().get(1));
        assertArrayEquals(new double[] {0.1, Double.NaN, 1.0E-5, Double.NaN},
                table.doubles("loss"));
        assertEquals("0.97125", table.rows().get(0).get(2));
        assertEquals("true", table.rows().get(2).get(2));
    }

    @Test
    void floatValuesAreWrittenInTheirShortestForm() {
        assertEquals("0.1", CsvWriter.format(0.1f));
        assertEquals("0.10000000149011612", CsvWriter.format((double) 0.1f));
        assertEquals("-0.0", CsvWriter.format(-0.0));
        assertEquals(0.1f, Float.parseFloat(CsvWriter.format(0.1f)));
        assertEquals("x", CsvWriter.quote("x"));
        assertEquals("\"a\"\"b\"", CsvWriter.quote("a\"b"));
        assertEquals("\"a\rb\"", CsvWriter.quote("a\rb"));
    }

    @Test
    void rewriteTruncatesAndAppendingResumes() throws IOException {
        Path file = dir.resolve("metrics.csv");
        try (CsvWriter csv = CsvWriter.create(file, HEADER)) {
            for (int epoch = 1; epoch <= 5; epoch++) {
                csv.writeRow(epoch, 1.0 / epoch, 0.9, "e" + epoch);
            }
        }

        CsvTable table = CsvTable.read(file);
        CsvWriter.rewrite(file, table.header(), table.rows().subList(0, 3));
        try (CsvWriter csv = CsvWriter.appendTo(file, HEADER)) {
            csv.writeRow(4, 0.3, 0.95, "resumed");
        }

        CsvTable after = CsvTable.read(file);
        assertEquals(4, after.rows().size());
        assertEquals(List.of("3", "0.3333333333333333", "0.9", "e3"), after.rows().get(2));
        assertEquals(List.of("4", "0.3", "0.95", "resumed"), after.rows().get(3));
    }

    @Test
    void appendToCreatesAMissingFile() throws IOException {
        Path file = dir.resolve("new.csv");
        try (CsvWriter csv = CsvWriter.appendTo(file, List.of("a"))) {
            csv.writeRow(1);
        }
        assertEquals("a\n1\n", Files.readString(file));
    }

    @Test
    void appendToRejectsAnotherHeaderOrAnIncompleteLastRow() throws IOException {
        Path file = dir.resolve("metrics.csv");
        Files.writeString(file, "epoch,loss\n1,0.5\n");
        FileFormatException e = assertThrows(FileFormatException.class,
                () -> CsvWriter.appendTo(file, List.of("epoch", "accuracy")));
        assertEquals("CSV file " + file + " has header [epoch, loss] but [epoch, accuracy] was"
                + " expected", e.getMessage());

        Files.writeString(file, "epoch,loss\n1,0.5\n2,0.4");
        e = assertThrows(FileFormatException.class,
                () -> CsvWriter.appendTo(file, List.of("epoch", "loss")));
        assertEquals("CSV file " + file + " does not end with a line break; its last row is"
                + " incomplete and must be removed before appending", e.getMessage());
    }

    @Test
    void rejectsRowsOfTheWrongLength() throws IOException {
        Path file = dir.resolve("m.csv");
        try (CsvWriter csv = CsvWriter.create(file, List.of("a", "b"))) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> csv.writeRow(1, 2, 3));
            assertEquals("CSV file " + file + ": a row must have 2 values, one per column of"
                    + " [a, b], but has 3: [1, 2, 3]", e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> csv.writeRow(1, new Object()));
        }
        assertEquals("a,b\n", Files.readString(file));
        assertThrows(IllegalArgumentException.class, () -> CsvWriter.create(file, List.of()));
    }

    @Test
    void readsCrlfAndByteOrderMark() throws IOException {
        Path file = dir.resolve("excel.csv");
        Files.writeString(file, "\uFEFFx,y\r\n1,\"2\r\n3\"\r\n");
        CsvTable table = CsvTable.read(file);
        assertEquals(List.of("x", "y"), table.header());
        assertEquals(List.of(List.of("1", "2\r\n3")), table.rows());
    }

    @Test
    void readRejectsMalformedFilesWithTheLine() throws IOException {
        assertReadFails("a,b\n1,2\n3\n", "line 3: expected 2 fields, as in the header, but"
                + " found 1");
        assertReadFails("a,b\n1,\"2\n", "line 2: a quoted field is never closed");
        assertReadFails("a,b\n1,2\"3\n", "line 2: a '\"' inside an unquoted field; quote the"
                + " whole field");
        assertReadFails("a,b\n\"multi\nline\"x,2\n", "line 3: expected ',' or a line break after"
                + " a closing quote but found 'x'");
        assertReadFails("", " is empty; expected a header line");
    }

    @Test
    void columnLookupNamesTheColumns() throws IOException {
        Path file = dir.resolve("c.csv");
        Files.writeString(file, "a,b\nx,1\n");
        CsvTable table = CsvTable.read(file);
        assertEquals(1, table.column("b"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> table.column("loss"));
        assertEquals("CSV column 'loss' does not exist; the columns are [a, b]", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> table.doubles("a"));
        assertEquals("CSV column 'a' row 1: expected a number but found \"x\"", e.getMessage());
    }

    private void assertReadFails(String text, String problem) throws IOException {
        Path file = dir.resolve("bad.csv");
        Files.writeString(file, text);
        FileFormatException e = assertThrows(FileFormatException.class,
                () -> CsvTable.read(file));
        String prefix = problem.startsWith(" ") ? "CSV file " + file : "CSV file " + file + " ";
        assertEquals(prefix + problem, e.getMessage());
    }
}
