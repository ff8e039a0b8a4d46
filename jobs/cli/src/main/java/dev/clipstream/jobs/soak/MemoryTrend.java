package dev.clipstream.jobs.soak;

import java.util.List;
import java.util.function.ToLongFunction;

/**
 * How a quantity moved after the warm-up: the least-squares slope per minute and the growth that
 * slope implies over the measured span, which a few spikes (a GC, a checkpoint) barely move.
 */
public record MemoryTrend(double slopePerMinute, double growth, double first, double last) {

  /** The trend of {@code value} over the samples taken at or after {@code fromSeconds}. */
  public static MemoryTrend of(
      List<MemorySample> samples, double fromSeconds, ToLongFunction<MemorySample> value) {
    List<MemorySample> kept = samples.stream().filter(s -> s.seconds() >= fromSeconds).toList();
    if (kept.size() < 2) {
      throw new IllegalArgumentException("fewer than two samples after the warm-up");
    }
    double n = kept.size();
    double sx = 0;
    double sy = 0;
    double sxx = 0;
    double sxy = 0;
    for (MemorySample s : kept) {
      double x = s.seconds();
      double y = value.applyAsLong(s);
      sx += x;
      sy += y;
      sxx += x * x;
      sxy += x * y;
    }
    double slope = (n * sxy - sx * sy) / (n * sxx - sx * sx); // per second
    double span = kept.get(kept.size() - 1).seconds() - kept.get(0).seconds();
    return new MemoryTrend(
        slope * 60,
        slope * span,
        value.applyAsLong(kept.get(0)),
        value.applyAsLong(kept.get(kept.size() - 1)));
  }
}
