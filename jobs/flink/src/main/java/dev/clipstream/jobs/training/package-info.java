/**
 * The continual-training side job: captioned events from the stream become contrastive mini-batches
 * (new pairs plus a replay reservoir), one trainer takes a gradient step per batch, checkpoints its
 * weights with Flink's own checkpoints, and publishes a {@code ModelUpdate} only when the candidate
 * passes the evaluation gate on a held-out slice of the stream.
 */
package dev.clipstream.jobs.training;
