package dev.clipstream.jobs.soak;

import java.util.List;

/**
 * Whether memory grew with the work done: the least-squares slope of the floor of the anonymous
 * resident set less the JVM's code cache and class metadata ({@link MemorySample#judgedBytes})
 * against events processed, in bytes per event, over the judged window (after the warm-up, while
 * the producer runs). The floor is the lowest sample of every {@link #FLOOR_SAMPLES}: a batch's
 * tensors and buffers come and go (the resident set swings by some 10 MiB here between samples a
 * second apart) and only add to it, while what leaks stays and lifts the floor. A leak that keeps
 * something per event shows as that many bytes per event whatever the rate; growth that is not per
 * event (a cache filling once) flattens out and weighs less the more events the window holds. The
 * time trend's growth is bounded too, for a leak that follows the clock (per checkpoint, per poll)
 * rather than the events.
 */
public record LeakVerdict(
    double bytesPerEvent,
    long events,
    double growthBytes,
    long maxBytesPerEvent,
    long maxGrowthBytes,
    boolean passed) {

  /** Samples per floor point: five seconds, several batches and checkpoints. */
  static final int FLOOR_SAMPLES = 5;

  /** Judges the samples from {@code fromSeconds} to {@code toSeconds}. */
  public static LeakVerdict judge(
      List<MemorySample> samples,
      double fromSeconds,
      double toSeconds,
      long maxBytesPerEvent,
      long maxGrowthBytes) {
    List<MemorySample> kept = MemoryTrend.window(samples, fromSeconds, toSeconds);
    long events = kept.get(kept.size() - 1).processed() - kept.get(0).processed();
    if (events <= 0) {
      throw new IllegalArgumentException("no events were processed after the warm-up");
    }
    double perEvent =
        MemoryTrend.slope(floor(kept), MemorySample::processed, MemorySample::judgedBytes);
    double growth =
        MemoryTrend.of(samples, fromSeconds, toSeconds, MemorySample::judgedBytes).growth();
    return new LeakVerdict(
        perEvent,
        events,
        growth,
        maxBytesPerEvent,
        maxGrowthBytes,
        perEvent <= maxBytesPerEvent && growth <= maxGrowthBytes);
  }

  /** The sample with the lowest judged bytes of each run of {@link #FLOOR_SAMPLES}. */
  static List<MemorySample> floor(List<MemorySample> samples) {
    List<MemorySample> out = new java.util.ArrayList<>();
    for (int i = 0; i < samples.size(); i += FLOOR_SAMPLES) {
      List<MemorySample> run = samples.subList(i, Math.min(samples.size(), i + FLOOR_SAMPLES));
      out.add(
          run.stream().min(java.util.Comparator.comparingLong(MemorySample::judgedBytes)).get());
    }
    return out.size() >= 2 ? out : samples;
  }
}
