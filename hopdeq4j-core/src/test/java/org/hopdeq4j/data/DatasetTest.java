package org.hopdeq4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class DatasetTest {

    /** count images of 2 x 3 values; image i holds i * 6 + f, label i % classes. */
    static Dataset indexed(int count, int classes) {
        float[] images = new float[count * 6];
        for (int i = 0; i < images.length; i++) {
            images[i] = i;
        }
        int[] labels = new int[count];
        for (int i = 0; i < count; i++) {
            labels[i] = i % classes;
        }
        return new Dataset("indexed", images, labels, 2, 3, classes, List.of());
    }

    /** Recovers the original index of image k from its first value. */
    static int originalIndex(Dataset data, int k) {
        return (int) data.images()[k * data.features()] / 6;
    }

    @Test
    void reportsShapeAndClassCounts() {
        Dataset data = indexed(23, 4);

        assertEquals(23, data.count());
        assertEquals(6, data.features());
        assertEquals(4, data.classes());
        assertArrayEquals(new int[] {6, 6, 6, 5}, data.classCounts());
        assertEquals("indexed: 23 images of 2 x 3, 4 classes", data.toString());
    }

    @Test
    void headKeepsTheFirstImages() {
        Dataset data = indexed(23, 4);
        Dataset head = data.head(5);

        assertEquals(5, head.count());
        assertArrayEquals(Arrays.copyOf(data.images(), 30), head.images());
        assertArrayEquals(new int[] {0, 1, 2, 3, 0}, head.labels());
        assertSame(data, data.head(23));
        assertSame(data, data.head(1000));
    }

    @Test
    void subsetDrawsDistinctImagesReproduciblyInDatasetOrder() {
        Dataset data = indexed(101, 10);

        Dataset first = data.subset(40, 7);
        Dataset again = data.subset(40, 7);
        Dataset other = data.subset(40, 8);

        assertEquals(40, first.count());
        assertArrayEquals(first.images(), again.images());
        assertNotEquals(Arrays.toString(first.labels()), Arrays.toString(other.labels()));
        for (int k = 0; k < first.count(); k++) {
            int i = originalIndex(first, k);
            assertEquals(data.labels()[i], first.labels()[k]);
            if (k > 0) {
                assertTrue(originalIndex(first, k - 1) < i, "strictly increasing indices");
            }
        }
        assertSame(data, data.subset(101, 7));
    }

    @Test
    void subsetSpreadsOverASortedDataset() {
        // Labels sorted like the embedded sample: a head would hold one class only.
        int[] labels = new int[1000];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = i / 100;
        }
        Dataset sorted = new Dataset("sorted", new float[1000], labels, 1, 1, 10, List.of());

        int[] counts = sorted.subset(200, 1).classCounts();

        for (int count : counts) {
            assertTrue(count >= 5 && count <= 40, Arrays.toString(counts));
        }
        assertEquals(200, sorted.head(200).classCounts()[0] + sorted.head(200).classCounts()[1]);
    }

    @Test
    void selectCopiesTheChosenImages() {
        Dataset data = indexed(10, 3);
        Dataset picked = data.select(new int[] {9, 2, 2});

        assertEquals(3, picked.count());
        assertEquals(9, originalIndex(picked, 0));
        assertEquals(2, originalIndex(picked, 2));
        assertArrayEquals(new int[] {0, 2, 2}, picked.labels());
        assertThrows(IllegalArgumentException.class, () -> data.select(new int[] {10}));
        assertThrows(IllegalArgumentException.class, () -> data.select(new int[0]));
    }

    @Test
    void rejectsInconsistentConstruction() {
        IllegalArgumentException length = assertThrows(IllegalArgumentException.class,
                () -> new Dataset("d", new float[11], new int[2], 2, 3, 10, List.of()));
        assertEquals("d: images must hold count x rows x columns = 2 x 2 x 3 values but has 11",
                length.getMessage());

        DataFormatException label = assertThrows(DataFormatException.class,
                () -> new Dataset("d", new float[12], new int[] {0, -1}, 2, 3, 10, List.of()));
        assertTrue(label.getMessage().contains("label -1 at index 1"), label.getMessage());

        assertThrows(IllegalArgumentException.class,
                () -> new Dataset("d", new float[0], new int[0], 2, 3, 10, List.of()));
        assertThrows(IllegalArgumentException.class, () -> indexed(5, 2).subset(0, 1));
        assertThrows(IllegalArgumentException.class, () -> indexed(5, 2).head(-1));
    }
}
