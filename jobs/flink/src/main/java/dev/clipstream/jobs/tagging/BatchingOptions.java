package dev.clipstream.jobs.tagging;

import java.io.Serializable;
import java.time.Duration;

/**
 * When the encoder runs: as soon as {@code maxSize} inputs wait, or when the oldest has waited
 * {@code maxWait}, whichever comes first (config keys {@code batch.max-size}, {@code
 * batch.max-wait}); and how many batches may be in their forward pass while the next one is
 * collected ({@code batch.in-flight}): 0 runs the forward on the task thread, as a plain operator
 * would; 1 or more run it on a thread of its own, so decoding, batching and writing results go on
 * meanwhile.
 */
public record BatchingOptions(int maxSize, Duration maxWait, int inFlight) implements Serializable {

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
  }

  /** The given size and wait, with {@link #DEFAULT_IN_FLIGHT} batches in flight. */
  public BatchingOptions(int maxSize, Duration maxWait) {
    this(maxSize, maxWait, DEFAULT_IN_FLIGHT);
  }

  /** Whether the forward pass runs on a thread of its own. */
  public boolean overlapped() {
    return inFlight > 0;
  }
}
