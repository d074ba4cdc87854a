package org.hopdeq4j.io;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Writes files so that readers see either the previous content or the complete new content,
 * never a partial file.
 *
 * <p>Each write goes to a hidden temporary file in the target's folder
 * ({@code .name.<random>.tmp}), is flushed to the device with {@code fsync}, and is then renamed
 * over the target with {@link StandardCopyOption#ATOMIC_MOVE}. Where the file system cannot
 * rename atomically the move falls back to {@link StandardCopyOption#REPLACE_EXISTING}. If
 * anything fails before the rename, including the caller's writer, the temporary file is deleted
 * and the target is left untouched. After the rename the folder is synced too, where the
 * platform allows it, so the rename itself survives a power cut.
 *
 * <p>Missing parent folders are created. The temporary file is created with the default
 * permissions of the process, so the final file has the same permissions as one written
 * directly. Limits: a process killed between creating and deleting the temporary file leaves the
 * hidden temporary file behind (never a partial target); concurrent writers of one target do not
 * corrupt it, the last rename wins.
 */
public final class AtomicFiles {

    private static final int BUFFER_BYTES = 1 << 16;
    private static final int NAME_ATTEMPTS = 16;

    private AtomicFiles() {
    }

    /**
     * Streams content into an output stream; the stream is the temporary file of an atomic write.
     */
    @FunctionalInterface
    public interface StreamWriter {

        /**
         * Writes the whole content to {@code out}. The writer need not flush or close the stream;
         * closing it is allowed and has no effect.
         *
         * @param out the buffered stream of the temporary file
         * @throws IOException to abort the write; the target file then keeps its old content
         */
        void writeTo(OutputStream out) throws IOException;
    }

    /**
     * Replaces {@code target} atomically by {@code bytes}.
     *
     * @param target the file to create or replace
     * @param bytes the complete new content; not modified
     * @throws IOException if writing, syncing or renaming fails; the target is then unchanged
     * @throws NullPointerException if an argument is null
     */
    public static void write(Path target, byte[] bytes) throws IOException {
        Objects.requireNonNull(bytes, "bytes");
        write(target, out -> out.write(bytes));
    }

    /**
     * Replaces {@code target} atomically by {@code text} encoded as UTF-8 (no byte order mark).
     *
     * @param target the file to create or replace
     * @param text the complete new content
     * @throws IOException if writing, syncing or renaming fails; the target is then unchanged
     * @throws NullPointerException if an argument is null
     */
    public static void writeString(Path target, String text) throws IOException {
        Objects.requireNonNull(text, "text");
        write(target, text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Replaces {@code target} atomically by whatever {@code writer} streams, without holding the
     * content in memory.
     *
     * @param target the file to create or replace
     * @param writer called once with the buffered stream of the temporary file
     * @throws IOException if the writer throws, or writing, syncing or renaming fails; the
     *     temporary file is then deleted and the target is unchanged
     * @throws NullPointerException if an argument is null
     */
    public static void write(Path target, StreamWriter writer) throws IOException {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(writer, "writer");
        Path absolute = target.toAbsolutePath();
        if (Files.isDirectory(absolute)) {
            throw new IOException("cannot write file " + target + ": it is a directory");
        }
        Path folder = absolute.getParent();
        Files.createDirectories(folder);

        Path temp = createTemp(folder, absolute.getFileName().toString());
        try {
            writeAndSync(temp, writer);
            move(temp, absolute);
        } catch (Throwable e) {
            deleteAfterFailure(temp, e);
            throw e;
        }
        syncFolder(folder);
    }

    private static void deleteAfterFailure(Path temp, Throwable failure) {
        try {
            Files.deleteIfExists(temp);
        } catch (IOException e) {
            failure.addSuppressed(e);
        }
    }

    private static Path createTemp(Path folder, String name) throws IOException {
        // CREATE_NEW with a random name, rather than Files.createTempFile, keeps the default
        // permissions (createTempFile makes the file readable by its owner only).
        FileAlreadyExistsException last = null;
        for (int attempt = 0; attempt < NAME_ATTEMPTS; attempt++) {
            long random = ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE;
            Path temp = folder.resolve("." + name + "." + Long.toString(random, 36) + ".tmp");
            try {
                Files.newByteChannel(temp, StandardOpenOption.CREATE_NEW,
                        StandardOpenOption.WRITE).close();
                return temp;
            } catch (FileAlreadyExistsException e) {
                last = e;
            }
        }
        throw new IOException("cannot create a temporary file next to " + folder.resolve(name)
                + ": " + NAME_ATTEMPTS + " random names were all taken", last);
    }

    private static void writeAndSync(Path temp, StreamWriter writer) throws IOException {
        try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
            OutputStream raw = Channels.newOutputStream(channel);
            BufferedOutputStream buffered = new BufferedOutputStream(raw, BUFFER_BYTES);
            writer.writeTo(new UnclosableStream(buffered));
            buffered.flush();
            channel.force(true);
        }
    }

    private static void move(Path temp, Path target) throws IOException {
        try {
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static void syncFolder(Path folder) {
        // Best effort: Linux and macOS can fsync a directory, Windows cannot open one.
        try (FileChannel channel = FileChannel.open(folder, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // The content is already in place; only the durability of the rename is unknown.
            return;
        }
    }

    /** Passes writes through and ignores close, so the writer cannot close the file early. */
    private static final class UnclosableStream extends OutputStream {

        private final OutputStream out;

        UnclosableStream(OutputStream out) {
            this.out = out;
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void flush() throws IOException {
            out.flush();
        }

        @Override
        public void close() throws IOException {
            out.flush();
        }
    }
}
