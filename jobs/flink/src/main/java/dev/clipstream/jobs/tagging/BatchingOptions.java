package dev.clipstream.jobs.tagging;

import java.io.Serializable;
import java.time.Duration;

/**
 * When the encoder runs: as soon as {@code maxSize} inputs wait, or when the oldest has waited
 * {@code maxWait}, whichever comes first (config keys {@code batch.max-size}, {@code
 * batch.max-wait}). A non-zero {@code latencyTarget} ({@code batch.latency-target}) lets the size
 * and wait follow the measured forward time instead, within those two ({@link BatchPolicy}).
 */
public record BatchingOptions(int maxSize, Duration maxWait, Duration latencyTarget)
    implements Serializable {

  public BatchingOptions {
    if (maxSize < 1) {
      throw new IllegalArgumentException("batch.max-size must be at least 1, not " + maxSize);
    }
    if (maxWait.isNegative()) {
      throw new IllegalArgumentException("batch.max-wait must not be negative");
    }
    if (latencyTarget.isNegative()) {
      throw new IllegalArgumentException("batch.latency-target must not be negative");
    }
  }

  /** Batches by size and wait alone (no latency target). */
  public BatchingOptions(int maxSize, Duration maxWait) {
    this(maxSize, maxWait, Duration.ZERO);
  }

  /** These options with {@code target} as the latency target (zero: none). */
  public BatchingOptions withLatencyTarget(Duration target) {
    return new BatchingOptions(maxSize, maxWait, target);
  }
}
