package org.hopdeq4j.ham;

import java.util.Locale;

/** The two update schemes of a HAM: all layers at once, or the even-odd splitting. */
public enum Update {
    /** Synchronous (forward Euler) update of all free layers: s <- (1-h) s + h c(s). */
    SYNC("sync"),
    /** Even-odd update (the paper's Eq. 10): the class of the output layer as the state. */
    EVEN_ODD("even-odd");

    private final String label;

    Update(String label) {
        this.label = label;
    }

    /** The command-line and file name of this update. */
    public String label() {
        return label;
    }

    /** Parses {@code sync} or {@code even-odd} (also {@code evenodd}, {@code eo}). */
    public static Update parse(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        switch (t) {
            case "sync":
            case "synchronous":
                return SYNC;
            case "even-odd":
            case "evenodd":
            case "eo":
                return EVEN_ODD;
            default:
                throw new IllegalArgumentException(
                    "update must be sync or even-odd but was '" + text + "'");
        }
    }
}
