package org.hopdeq4j.data;

import static org.hopdeq4j.data.DatasetTest.indexed;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import org.junit.jupiter.api.Test;

class BatchIteratorTest {

    private static final int COUNT = 103;
    private static final int BATCH = 10;

    /** Runs the rest of the current epoch; returns the original index of each image seen. */
    private static List<Integer> drain(BatchIterator batches) {
        Dataset data = batches.dataset();
        float[] images = new float[BATCH * data.features()];
        int[] labels = new int[BATCH];
        List<Integer> seen = new ArrayList<>();
        while (batches.hasNext()) {
            int size = batches.next(images, labels);
            for (int k = 0; k < size; k++) {
                int i = (int) images[k * data.features()] / data.features();
                assertEquals(data.labels()[i], labels[k], "label follows its image");
                for (int f = 0; f < data.features(); f++) {
                    assertEquals(data.images()[i * data.features() + f],
                            images[k * data.features() + f]);
                }
                seen.add(i);
            }
        }
        return seen;
    }

    @Test
    void shuffledEpochVisitsEveryImageExactlyOnce() {
        BatchIterator batches = new BatchIterator(indexed(COUNT, 10), BATCH,
                BatchOrder.SHUFFLED, 42);

        for (int epoch = 0; epoch < 3; epoch++) {
            batches.startEpoch(epoch);
            List<Integer> seen = drain(batches);

            int[] sorted = seen.stream().mapToInt(Integer::intValue).sorted().toArray();
            int[] all = new int[COUNT];
            Arrays.setAll(all, i -> i);
            assertArrayEquals(all, sorted, "epoch " + epoch);
            assertNotEquals(Arrays.stream(all).boxed().toList(), seen, "shuffled");
        }
    }

    @Test
    void returnsThePartialLastBatch() {
        BatchIterator batches = new BatchIterator(indexed(COUNT, 10), BATCH,
                BatchOrder.SEQUENTIAL, 0);
        float[] images = new float[BATCH * 6];
        int[] labels = new int[BATCH];
        Arrays.fill(labels, -7);

        List<Integer> sizes = new ArrayList<>();
        while (batches.hasNext()) {
            sizes.add(batches.next(images, labels));
        }

        assertEquals(11, batches.batchesPerEpoch());
        assertEquals(11, sizes.size());
        assertEquals(3, sizes.get(10));
        assertEquals(List.of(10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 3), sizes);
        assertEquals(100 % 10, labels[0]);
        assertEquals(9, labels[9], "entries past the partial batch are left unchanged");
        assertEquals(11, batches.batchIndex());
    }

    @Test
    void sequentialOrderIsTheDatasetOrderEveryEpoch() {
        BatchIterator batches = new BatchIterator(indexed(COUNT, 10), BATCH,
                BatchOrder.SEQUENTIAL, 5);
        List<Integer> expected = new ArrayList<>();
        for (int i = 0; i < COUNT; i++) {
            expected.add(i);
        }

        assertEquals(expected, drain(batches));
        batches.startEpoch(4);
        assertEquals(expected, drain(batches));
    }

    @Test
    void sameSeedAndEpochGiveTheSameOrder() {
        Dataset data = indexed(COUNT, 10);
        BatchIterator one = new BatchIterator(data, BATCH, BatchOrder.SHUFFLED, 123);
        BatchIterator two = new BatchIterator(data, 7, BatchOrder.SHUFFLED, 123);
        BatchIterator otherSeed = new BatchIterator(data, BATCH, BatchOrder.SHUFFLED, 124);

        one.startEpoch(3);
        two.startEpoch(3);
        otherSeed.startEpoch(3);
        List<Integer> epoch3 = drain(one);

        assertEquals(epoch3, drainAnyBatch(two));
        assertNotEquals(epoch3, drain(otherSeed));
        one.startEpoch(4);
        assertNotEquals(epoch3, drain(one));
        one.startEpoch(3);
        assertEquals(epoch3, drain(one));
    }

    private static List<Integer> drainAnyBatch(BatchIterator batches) {
        List<Integer> seen = new ArrayList<>();
        for (int p = 0; p < batches.dataset().count(); p++) {
            seen.add(batches.sampleIndex(p));
        }
        return seen;
    }

    @Test
    void resumingAnEpochRepeatsTheRemainingBatches() {
        Dataset data = indexed(COUNT, 10);
        BatchIterator full = new BatchIterator(data, BATCH, BatchOrder.SHUFFLED, 9);
        full.startEpoch(2);
        List<Integer> uninterrupted = drain(full);

        BatchIterator resumed = new BatchIterator(data, BATCH, BatchOrder.SHUFFLED, 9);
        resumed.startEpoch(2, 4);

        assertEquals(4, resumed.batchIndex());
        assertEquals(uninterrupted.subList(40, COUNT), drain(resumed));
        resumed.startEpoch(2, resumed.batchesPerEpoch());
        assertFalse(resumed.hasNext());
    }

    @Test
    void shuffleDrawsEveryPermutationEquallyOften() {
        // 6000 epochs over 3 images: each of the 6 orders about 1000 times (sd 29). A shuffle
        // that swaps with any position instead of a lower one gives 889 / 1111 instead.
        Dataset data = indexed(3, 3);
        BatchIterator batches = new BatchIterator(data, 3, BatchOrder.SHUFFLED, 2024);
        Map<String, Integer> counts = new HashMap<>();
        for (int epoch = 0; epoch < 6000; epoch++) {
            batches.startEpoch(epoch);
            String key = "" + batches.sampleIndex(0) + batches.sampleIndex(1)
                    + batches.sampleIndex(2);
            counts.merge(key, 1, Integer::sum);
        }

        assertEquals(6, counts.size(), counts.toString());
        for (int count : counts.values()) {
            assertTrue(Math.abs(count - 1000) < 100, counts.toString());
        }
    }

    @Test
    void oneHotTargetsMatchTheLabels() {
        Dataset data = indexed(COUNT, 10);
        BatchIterator plain = new BatchIterator(data, BATCH, BatchOrder.SHUFFLED, 3);
        BatchIterator hot = new BatchIterator(data, BATCH, BatchOrder.SHUFFLED, 3);
        float[] imagesA = new float[BATCH * 6];
        float[] imagesB = new float[BATCH * 6];
        int[] labels = new int[BATCH];
        float[] oneHot = new float[BATCH * 10];
        Arrays.fill(oneHot, 5f);

        while (plain.hasNext()) {
            int size = plain.next(imagesA, labels);
            assertEquals(size, hot.nextOneHot(imagesB, oneHot));
            assertArrayEquals(imagesA, imagesB);
            for (int k = 0; k < size; k++) {
                for (int c = 0; c < 10; c++) {
                    assertEquals(c == labels[k] ? 1f : 0f, oneHot[k * 10 + c]);
                }
            }
        }
        assertFalse(hot.hasNext());
    }

    @Test
    void rejectsShortBuffersAndReadingPastTheEpoch() {
        BatchIterator batches = new BatchIterator(indexed(5, 2), 4, BatchOrder.SEQUENTIAL, 0);

        IllegalArgumentException shortImages = assertThrows(IllegalArgumentException.class,
                () -> batches.next(new float[23], new int[4]));
        assertEquals("images must hold at least batchSize x features = 4 x 6 = 24 values but"
                + " has 23", shortImages.getMessage());
        assertThrows(IllegalArgumentException.class, () -> batches.next(new float[24],
                new int[3]));
        assertThrows(IllegalArgumentException.class, () -> batches.nextOneHot(new float[24],
                new float[7]));

        batches.next(new float[24], new int[4]);
        batches.next(new float[24], new int[4]);
        NoSuchElementException done = assertThrows(NoSuchElementException.class,
                () -> batches.next(new float[24], new int[4]));
        assertTrue(done.getMessage().contains("call startEpoch"), done.getMessage());
        assertThrows(IllegalArgumentException.class, () -> batches.startEpoch(-1));
        assertThrows(IllegalArgumentException.class, () -> batches.startEpoch(0, 3));
        assertThrows(IllegalArgumentException.class,
                () -> new BatchIterator(indexed(5, 2), 0, BatchOrder.SHUFFLED, 0));
    }

    @Test
    void fillingBatchesAllocatesNothing() {
        com.sun.management.ThreadMXBean threads = allocationCounter();
        Dataset data = indexed(1000, 10);
        BatchIterator batches = new BatchIterator(data, 64, BatchOrder.SHUFFLED, 1);
        float[] images = new float[64 * data.features()];
        int[] labels = new int[64];
        float[] oneHot = new float[64 * 10];
        long thread = Thread.currentThread().getId();

        // Warm up so that class loading and the first compilations are done.
        runEpochs(batches, images, labels, oneHot, 20);
        long before = threads.getThreadAllocatedBytes(thread);
        runEpochs(batches, images, labels, oneHot, 50);
        long allocated = threads.getThreadAllocatedBytes(thread) - before;

        // 50 epochs of 16 batches; one small object per batch would already exceed this.
        assertTrue(allocated < 4096, "allocated " + allocated + " bytes");
    }

    private static void runEpochs(BatchIterator batches, float[] images, int[] labels,
                                  float[] oneHot, int epochs) {
        for (int epoch = 0; epoch < epochs; epoch++) {
            batches.startEpoch(epoch);
            while (batches.hasNext()) {
                if (batches.batchIndex() % 2 == 0) {
                    batches.next(images, labels);
                } else {
                    batches.nextOneHot(images, oneHot);
                }
            }
        }
    }

    private static com.sun.management.ThreadMXBean allocationCounter() {
        java.lang.management.ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        assumeTrue(bean instanceof com.sun.management.ThreadMXBean,
                "this JVM cannot count allocated bytes");
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) bean;
        assumeTrue(threads.isThreadAllocatedMemorySupported());
        threads.setThreadAllocatedMemoryEnabled(true);
        return threads;
    }
}
