/**
 * Reading and writing the files of a run: safetensors weights
 * ({@link org.hopdeq4j.io.Safetensors}), JSON ({@link org.hopdeq4j.io.Json}), CSV metrics
 * ({@link org.hopdeq4j.io.CsvWriter}) and PNG line charts ({@link org.hopdeq4j.io.LinePlot}).
 * Every writer goes through {@link org.hopdeq4j.io.AtomicFiles}, so a crash never leaves a
 * partial file behind; malformed files raise {@link org.hopdeq4j.io.FileFormatException}.
 */
package org.hopdeq4j.io;
