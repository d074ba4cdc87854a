package org.hopdeq4j.io;

import java.io.IOException;

/**
 * A file was read successfully but its content breaks the rules of its format, or does not hold
 * what the caller requires (a missing tensor, a wrong shape, a wrong CSV header).
 *
 * <p>The message is one line that names the file, the rule and the offending value, so that a
 * command line can print it as is. It is an {@link IOException} because it arises only while
 * loading files, next to ordinary I/O failures.
 */
public final class FileFormatException extends IOException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message one line naming the file, the rule and the value found; must not be null
     */
    public FileFormatException(String message) {
        super(message);
    }

    /**
     * Creates the exception with the lower-level failure that revealed the problem.
     *
     * @param message one line naming the file, the rule and the value found; must not be null
     * @param cause the parse failure underneath, kept for debugging
     */
    public FileFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
