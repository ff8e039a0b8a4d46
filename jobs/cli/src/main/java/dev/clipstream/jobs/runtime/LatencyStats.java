package dev.clipstream.jobs.runtime;

import java.util.Arrays;

/** End-to-end latencies kept for percentiles (a bounded window of the most recent). */
public final class LatencyStats {
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
    return nearestRank(sorted, p);
  }

  /** The nearest-rank p-th percentile (0..100) of sorted values, or 0 when there are none. */
  public static long nearestRank(long[] sorted, double p) {
    if (sorted.length == 0) {
      return 0;
    }
    int rank = (int) Math.ceil(p / 100.0 * sorted.length);
    return sorted[Math.max(0, Math.min(sorted.length, rank) - 1)];
  }
}
