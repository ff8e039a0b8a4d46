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
    ShiftMix shiftMix,
    int cleanTailSteps,
    AdamW.Settings optimizer)
    implements Serializable {

  public TrainingRunOptions {
    if (steps < 1 || batchSize < 2) {
      throw new IllegalArgumentException("need at least one step and two pairs per batch");
    }
    if (cleanTailSteps < 0 || cleanTailSteps > steps) {
      throw new IllegalArgumentException(
          "the clean tail must be 0 to " + steps + " steps, not " + cleanTailSteps);
    }
    java.util.Objects.requireNonNull(shiftMix, "shiftMix");
    excludedLabels = Set.copyOf(excludedLabels);
    templates = List.copyOf(templates);
  }

  /**
   * The augmentation of step {@code step} (from 0): {@link Augmentation#CROPS} in the last {@code
   * cleanTailSteps} steps when the run augments, so the low-learning-rate end of the schedule sees
   * pictures like the clean ones the model is judged on, {@link #augment} before.
   */
  public Augmentation augmentAt(int step) {
    boolean tail = step >= steps - cleanTailSteps;
    return tail && augment != Augmentation.NONE ? Augmentation.CROPS : augment;
  }

  /** The schedule: linear warm-up, cosine decay to 1% of the peak over the run. */
  public LearningRateSchedule schedule() {
    return new LearningRateSchedule(peakRate, warmupSteps, steps, peakRate / 100);
  }
}
