package dev.clipstream.jobs.tagging;

import java.io.Serializable;
import java.time.Duration;

/**
 * When the encoder runs: as soon as {@code maxSize} inputs wait, or when the oldest has waited
 * {@code maxWait}, whichever comes first (config keys {@code batch.max-size}, {@code
 * batch.max-wait}). A non-zero {@code latencyTarget} ({@code batch.latency-target}) lets the size
 * and wait follow the measured forward time instead, within those two ({@link BatchPolicy}). And
 * how many batches may be in their forward pass while the next one is collected ({@code
 * batch.in-flight}): 0 runs the forward on the task thread, as a plain operator would; 1 or more
 * run it on a thread of its own, so receiving, batching and writing results go on meanwhile.
 */
public record BatchingOptions(int maxSize, Duration maxWait, int inFlight, Duration latencyTarget)
    implements Serializable {

  /** One batch in its forward pass while the next is collected. */
  public static final int DEFAULT_IN_FLIGHT = 1;

  /** The most batches in flight: each holds its inputs and outputs in memory. */
  public static final int MAX_IN_FLIGHT = 8;

  public BatchingOptions {
    if (maxSize < 1) {
      throw new IllegalArgumentException("batch.max-size must be at least 1, not " + maxSize);
    }
    if (maxWait.isNegative()) {
      throw new IllegalArgumentException("batch.max-wait must not be negative");
    }
    if (inFlight < 0 || inFlight > MAX_IN_FLIGHT) {
      throw new IllegalArgumentException(
          "batch.in-flight must be 0 to " + MAX_IN_FLIGHT + ", not " + inFlight);
    }
    if (latencyTarget.isNegative()) {
      throw new IllegalArgumentException("batch.latency-target must not be negative");
    }
  }

  /** By size and wait alone (no latency target), {@link #DEFAULT_IN_FLIGHT} batches in flight. */
  public BatchingOptions(int maxSize, Duration maxWait) {
    this(maxSize, maxWait, DEFAULT_IN_FLIGHT, Duration.ZERO);
  }

  /** By size and wait alone, with {@code inFlight} batches in flight. */
  public BatchingOptions(int maxSize, Duration maxWait, int inFlight) {
    this(maxSize, maxWait, inFlight, Duration.ZERO);
  }

  /** With a latency target (zero: none), {@link #DEFAULT_IN_FLIGHT} batches in flight. */
  public BatchingOptions(int maxSize, Duration maxWait, Duration latencyTarget) {
    this(maxSize, maxWait, DEFAULT_IN_FLIGHT, latencyTarget);
  }

  /** These options with {@code target} as the latency target (zero: none). */
  public BatchingOptions withLatencyTarget(Duration target) {
    return new BatchingOptions(maxSize, maxWait, inFlight, target);
  }

  /** Whether the forward pass runs on a thread of its own. */
  public boolean overlapped() {
    return inFlight > 0;
  }
}
