package org.hopdeq4j.data;

/**
 * Thrown when a data file or a dataset breaks its format: a wrong IDX magic number, a truncated
 * file, trailing bytes, invalid dimensions, a label out of range, or train and test sets that do
 * not fit together. The message is one line that names the file (or dataset) and the fault.
 *
 * <p>It extends {@link IllegalArgumentException}, so a caller that reports every bad user input
 * in one place can catch that type alone. It is unrelated to {@code java.util.zip}'s checked
 * exception of the same simple name.
 */
public final class DataFormatException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message one line naming the file or dataset and the fault; must not be null
     */
    public DataFormatException(String message) {
        super(message);
    }

    /**
     * Creates the exception with its cause (for example a corrupt gzip stream).
     *
     * @param message one line naming the file or dataset and the fault; must not be null
     * @param cause   the underlying failure
     */
    public DataFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
