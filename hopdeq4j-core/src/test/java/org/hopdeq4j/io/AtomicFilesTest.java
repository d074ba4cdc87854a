package org.hopdeq4j.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {

    @TempDir
    Path dir;

    private List<String> names() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted()
                    .collect(Collectors.toList());
        }
    }

    @Test
    void writesAndReplacesFiles() throws IOException {
        Path file = dir.resolve("a.txt");
        AtomicFiles.writeString(file, "first é");
        assertEquals("first é", Files.readString(file));
        AtomicFiles.write(file, new byte[] {1, 2, 3});
        assertArrayEquals(new byte[] {1, 2, 3}, Files.readAllBytes(file));
        assertEquals(List.of("a.txt"), names());
    }

    @Test
    void keepsPreviousContentWhenTheWriterThrows() throws IOException {
        Path file = dir.resolve("metrics.csv");
        AtomicFiles.writeString(file, "old content\n");

        IOException failure = new IOException("disk full while writing row 7");
        IOException thrown = assertThrows(IOException.class, () -> AtomicFiles.write(file, out -> {
            out.write(new byte[100_000]);
            throw failure;
        }));
        assertSame(failure, thrown);
        assertEquals("old content\n", Files.readString(file));
        assertEquals(List.of("metrics.csv"), names(), "the temporary file must be deleted");

        assertThrows(UncheckedIOException.class, () -> AtomicFiles.write(file, out -> {
            out.write(1);
            throw new UncheckedIOException(failure);
        }));
        assertEquals("old content\n", Files.readString(file));
        assertEquals(List.of("metrics.csv"), names());
    }

    @Test
    void leavesNoFileWhenTheFirstWriteFails() throws IOException {
        Path file = dir.resolve("new.bin");
        assertThrows(IOException.class, () -> AtomicFiles.write(file, out -> {
            throw new IOException("no data");
        }));
        assertTrue(names().isEmpty());
    }

    @Test
    void streamsLargeContentAndToleratesAWriterThatClosesTheStream() throws IOException {
        Path file = dir.resolve("big.bin");
        byte[] block = new byte[4096];
        for (int i = 0; i < block.length; i++) {
            block[i] = (byte) (i * 31);
        }
        AtomicFiles.write(file, out -> {
            for (int i = 0; i < 300; i++) {
                out.write(block);
            }
            out.write(7);
            out.close();
        });
        byte[] back = Files.readAllBytes(file);
        assertEquals(300 * 4096 + 1, back.length);
        assertEquals(block[4095], back[299 * 4096 + 4095]);
        assertEquals(7, back[back.length - 1]);
    }

    @Test
    void createsMissingParentFolders() throws IOException {
        Path file = dir.resolve("run/plots/residual.txt");
        AtomicFiles.writeString(file, "x");
        assertEquals("x", Files.readString(file));
    }

    @Test
    void refusesToReplaceADirectory() throws IOException {
        Path folder = Files.createDirectory(dir.resolve("weights"));
        IOException e = assertThrows(IOException.class,
                () -> AtomicFiles.writeString(folder, "x"));
        assertEquals("cannot write file " + folder + ": it is a directory", e.getMessage());
    }
}
