/**
 * {@code clipstream bench}: the bare encoder, decoding, the whole tagging pipeline on the embedded
 * runtime and the training side, measured in one run on the same model and images, with the ratios
 * between them, written as Markdown and a PNG chart.
 */
package dev.clipstream.jobs.bench;
