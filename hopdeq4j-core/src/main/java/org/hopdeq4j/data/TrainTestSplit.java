package org.hopdeq4j.data;

import java.util.Objects;

/**
 * A training set and a test set that fit together: the same image shape and class count.
 *
 * @param train the set the network is trained on
 * @param test  the held-out set it is evaluated on
 */
public record TrainTestSplit(Dataset train, Dataset test) {

    /**
     * Checks that the two sets fit together.
     *
     * @param train the training set
     * @param test  the test set
     * @throws NullPointerException if a set is null
     * @throws DataFormatException  if the feature counts or the class counts differ
     */
    public TrainTestSplit {
        Objects.requireNonNull(train, "train must not be null");
        Objects.requireNonNull(test, "test must not be null");
        if (train.features() != test.features()) {
            throw new DataFormatException("training set " + train.name() + " has "
                    + train.features() + " features (" + train.rows() + " x " + train.columns()
                    + ") but test set " + test.name() + " has " + test.features() + " ("
                    + test.rows() + " x " + test.columns() + ")");
        }
        if (train.classes() != test.classes()) {
            throw new DataFormatException("training set " + train.name() + " has "
                    + train.classes() + " classes but test set " + test.name() + " has "
                    + test.classes());
        }
    }

    /**
     * Returns the number of values per image, shared by both sets.
     *
     * @return {@code train().features()}
     */
    public int features() {
        return train.features();
    }

    /**
     * Returns the number of classes, shared by both sets.
     *
     * @return {@code train().classes()}
     */
    public int classes() {
        return train.classes();
    }
}
