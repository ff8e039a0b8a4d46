package dev.clipstream.jobs.ui;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeMap;

/**
 * Results and dead letters per second, and the latency percentiles of each second's results, over
 * the last {@link #SECONDS} seconds. A result counts in the second its record was written to the
 * results topic; its latency is that write time less its event time (the commit follows with the
 * tagging job's next checkpoint).
 */
final class ThroughputSeries {
  /** Seconds kept, counted back from the newest. */
  static final int SECONDS = 600;

  /** One second of the series; the percentiles are -1 in a second without results. */
  record Point(long second, int results, int deadLetters, long p50Ms, long p95Ms) {}

  private static final class Bucket {
    int deadLetters;
    long[] latencies = new long[8];
    int results;

    void add(long latency) {
      if (results == latencies.length) {
        latencies = Arrays.copyOf(latencies, results * 2);
      }
      latencies[results++] = latency;
    }
  }

  private final TreeMap<Long, Bucket> buckets = new TreeMap<>();

  synchronized void result(long writtenMillis, long eventTimeMillis) {
    bucket(writtenMillis).add(Math.max(0, writtenMillis - eventTimeMillis));
  }

  synchronized void deadLetter(long writtenMillis) {
    bucket(writtenMillis).deadLetters++;
  }

  /**
   * Every second from the first kept to the last, in order; a second without records is a point of
   * zero counts, so that the chart's rate drops to zero there.
   */
  synchronized List<Point> points() {
    List<Point> out = new ArrayList<>();
    if (buckets.isEmpty()) {
      return out;
    }
    for (long second = buckets.firstKey(); second <= buckets.lastKey(); second++) {
      Bucket b = buckets.get(second);
      if (b == null) {
        out.add(new Point(second, 0, 0, -1, -1));
        continue;
      }
      long[] sorted = Arrays.copyOf(b.latencies, b.results);
      Arrays.sort(sorted);
      out.add(
          new Point(
              second, b.results, b.deadLetters, percentile(sorted, 50), percentile(sorted, 95)));
    }
    return out;
  }

  private Bucket bucket(long millis) {
    Bucket b = buckets.computeIfAbsent(millis / 1000, s -> new Bucket());
    // A window of seconds, not of entries, so that the zero-filled series stays bounded too.
    while (buckets.lastKey() - buckets.firstKey() >= SECONDS) {
      buckets.pollFirstEntry();
    }
    return b;
  }

  /** Nearest-rank percentile; -1 for a second without results. */
  static long percentile(long[] sorted, int p) {
    if (sorted.length == 0) {
      return -1;
    }
    int rank = (int) Math.ceil(p / 100.0 * sorted.length);
    return sorted[Math.max(0, rank - 1)];
  }
}
