package dev.clipstream.jobs.tagging;

import java.io.Serializable;
import java.time.Duration;

/**
 * When the encoder runs: as soon as {@code maxSize} inputs wait, or when the oldest has waited
 * {@code maxWait}, whichever comes first (config keys {@code batch.max-size}, {@code
 * batch.max-wait}).
 */
public record BatchingOptions(int maxSize, Duration maxWait) implements Serializable {

  public BatchingOptions {
    if (maxSize < 1) {
      throw new IllegalArgumentException("batch.max-size must be at least 1, not " + maxSize);
    }
    if (maxWait.isNegative()) {
      throw new IllegalArgumentException("batch.max-wait must not be negative");
    }
  }
}
