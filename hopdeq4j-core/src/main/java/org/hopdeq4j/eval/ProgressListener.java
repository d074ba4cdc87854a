package org.hopdeq4j.eval;

/**
 * Receives progress from long tasks (evaluation, training). The library prints nothing; the
 * command line turns these calls into a progress bar. All methods default to doing nothing.
 */
public interface ProgressListener {

    /** A listener that ignores everything. */
    ProgressListener SILENT = new ProgressListener() {
    };

    /** A phase ({@code "evaluate"}, {@code "train epoch 3"}, ...) begins with {@code total} items. */
    default void begin(String phase, long total) {
    }

    /** {@code done} of the phase's items are finished; {@code note} is a short status or null. */
    default void progress(long done, String note) {
    }

    /** The phase ended. */
    default void end() {
    }
}
