package dev.clipstream.jobs.soak;

import java.util.List;
import java.util.function.ToDoubleFunction;
import java.util.function.ToLongFunction;

/**
 * How a quantity moved after the warm-up: the least-squares slope per minute and the growth that
 * slope implies over the measured span, which a few spikes (a GC, a checkpoint) barely move.
 */
public record MemoryTrend(double slopePerMinute, double growth, double first, double last) {

  /** The trend of {@code value} over the samples taken at or after {@code fromSeconds}. */
  public static MemoryTrend of(
      List<MemorySample> samples, double fromSeconds, ToLongFunction<MemorySample> value) {
    return of(samples, fromSeconds, Double.POSITIVE_INFINITY, value);
  }

  /** The trend of {@code value} over the samples taken from {@code fromSeconds} to {@code to}. */
  public static MemoryTrend of(
      List<MemorySample> samples,
      double fromSeconds,
      double toSeconds,
      ToLongFunction<MemorySample> value) {
    List<MemorySample> kept = window(samples, fromSeconds, toSeconds);
    double slope = slope(kept, MemorySample::seconds, value); // per second
    double span = kept.get(kept.size() - 1).seconds() - kept.get(0).seconds();
    return new MemoryTrend(
        slope * 60,
        slope * span,
        value.applyAsLong(kept.get(0)),
        value.applyAsLong(kept.get(kept.size() - 1)));
  }

  /** The samples taken from {@code fromSeconds} to {@code toSeconds}; at least two. */
  static List<MemorySample> window(List<MemorySample> samples, double from, double to) {
    List<MemorySample> kept =
        samples.stream().filter(s -> s.seconds() >= from && s.seconds() <= to).toList();
    if (kept.size() < 2) {
      throw new IllegalArgumentException("fewer than two samples after the warm-up");
    }
    return kept;
  }

  /** The least-squares slope of {@code y} against {@code x}; 0 when {@code x} does not move. */
  static double slope(
      List<MemorySample> samples,
      ToDoubleFunction<MemorySample> x,
      ToLongFunction<MemorySample> y) {
    double n = samples.size();
    double sx = 0;
    double sy = 0;
    double sxx = 0;
    double sxy = 0;
    for (MemorySample s : samples) {
      double xi = x.applyAsDouble(s);
      double yi = y.applyAsLong(s);
      sx += xi;
      sy += yi;
      sxx += xi * xi;
      sxy += xi * yi;
    }
    double d = n * sxx - sx * sx;
    return d == 0 ? 0 : (n * sxy - sx * sy) / d;
  }
}
