package org.hopdeq4j.data;

import java.util.Locale;

/** The order in which a {@link BatchIterator} visits the samples of one epoch. */
public enum BatchOrder {

    /** Samples in dataset order, the same every epoch (for evaluation). */
    SEQUENTIAL,

    /** A seeded random permutation per epoch that depends only on the seed and the epoch. */
    SHUFFLED;

    /**
     * Parses a name case-insensitively: {@code "sequential"} or {@code "shuffled"}.
     *
     * @param text the name
     * @return the order
     * @throws IllegalArgumentException if {@code text} is null or names no order
     */
    public static BatchOrder parse(String text) {
        if (text != null) {
            for (BatchOrder order : values()) {
                if (order.name().equalsIgnoreCase(text.trim())) {
                    return order;
                }
            }
        }
        throw new IllegalArgumentException(
                "batch order must be 'sequential' or 'shuffled' but was '" + text + "'");
    }

    /**
     * Returns the lower-case name, as {@link #parse(String)} accepts it.
     *
     * @return {@code "sequential"} or {@code "shuffled"}
     */
    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
