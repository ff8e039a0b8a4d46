package dev.clipstream.model.training;

import java.io.Serializable;

/** Linear warm-up from zero to the peak rate, then cosine decay to a floor (as CLIP trained). */
public record LearningRateSchedule(double peak, int warmupSteps, int totalSteps, double floor)
    implements Serializable {

  public LearningRateSchedule {
    if (peak <= 0 || warmupSteps < 0 || totalSteps <= 0 || floor < 0 || floor > peak) {
      throw new IllegalArgumentException(
          "bad schedule " + peak + "/" + warmupSteps + "/" + totalSteps + "/" + floor);
    }
  }

  /** A constant rate after warm-up, for open-ended (streaming) training. */
  public static LearningRateSchedule constantAfterWarmup(double rate, int warmupSteps) {
    return new LearningRateSchedule(rate, warmupSteps, Integer.MAX_VALUE, rate);
  }

  /** The rate at 0-based step {@code step}. */
  public double rateAt(long step) {
    if (step < warmupSteps) {
      return peak * (step + 1) / warmupSteps;
    }
    if (floor == peak) {
      return peak;
    }
    double progress =
        Math.min(1.0, (double) (step - warmupSteps) / Math.max(1, totalSteps - warmupSteps));
    return floor + 0.5 * (peak - floor) * (1 + Math.cos(Math.PI * progress));
  }
}
