/**
 * Training data: the {@link org.hopdeq4j.data.IdxReader} for MNIST-style IDX files, the
 * embedded MNIST sample and the other {@link org.hopdeq4j.data.DataSources}, the in-memory
 * {@link org.hopdeq4j.data.Dataset}, and the allocation-free
 * {@link org.hopdeq4j.data.BatchIterator} that fills caller-owned batch buffers in sequential
 * or seeded shuffled order.
 */
package org.hopdeq4j.data;
