package dev.clipstream.jobs.runtime;

import java.util.Arrays;

/** End-to-end latencies kept for percentiles (a bounded window of the most recent). */
final class LatencyStats {
  private final long[] window;
  private int size;
  private int next;

  LatencyStats(int capacity) {
    window = new long[capacity];
  }

  synchronized void add(long millis) {
    window[next] = millis;
    next = (next + 1) % window.length;
    size = Math.min(size + 1, window.length);
  }

  /** The p-th percentile (0..100) of the window, or 0 when empty. */
  synchronized long percentile(double p) {
    if (size == 0) {
      return 0;
    }
    long[] sorted = Arrays.copyOf(window, size);
    Arrays.sort(sorted);
    int rank = (int) Math.ceil(p / 100.0 * size); // nearest-rank percentile
    return sorted[Math.max(0, Math.min(size, rank) - 1)];
  }
}
