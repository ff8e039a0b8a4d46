package dev.clipstream.model.training;

import dev.clipstream.model.ClipConfig;
import java.io.Serializable;
import java.util.List;
import java.util.Set;

/**
 * Everything that decides an offline training run from scratch; with the data, it fixes the result.
 */
public record TrainingRunOptions(
    ClipConfig config,
    int steps,
    int batchSize,
    double peakRate,
    int warmupSteps,
    long seed,
    Set<Integer> excludedLabels,
    List<String> templates,
    Augmentation augment,
    AdamW.Settings optimizer)
    implements Serializable {

  public TrainingRunOptions {
    if (steps < 1 || batchSize < 2) {
      throw new IllegalArgumentException("need at least one step and two pairs per batch");
    }
    excludedLabels = Set.copyOf(excludedLabels);
    templates = List.copyOf(templates);
  }

  /** The schedule: linear warm-up, cosine decay to 1% of the peak over the run. */
  public LearningRateSchedule schedule() {
    return new LearningRateSchedule(peakRate, warmupSteps, steps, peakRate / 100);
  }
}
