package dev.clipstream.model.duplicates;

import java.util.List;

/**
 * Precision and recall of the near-duplicate check on a stream of distinct originals followed by
 * transformed copies: a copy flagged with its own original is a true positive; a flag on an
 * original, or a copy flagged with another image, is a false positive; a copy not flagged is a
 * miss.
 */
public final class DuplicateEvaluation {

  /** The counts and the two ratios at one threshold. */
  public record Result(
      float threshold,
      float maxDistanceRatio,
      int copies,
      int originals,
      int truePositives,
      int falsePositives) {
    public double precision() {
      int flagged = truePositives + falsePositives;
      return flagged == 0 ? 1 : truePositives / (double) flagged;
    }

    public double recall() {
      return copies == 0 ? 1 : truePositives / (double) copies;
    }
  }

  private DuplicateEvaluation() {}

  /**
   * @param originals normalised embeddings of distinct images (ids "o<i>")
   * @param copies normalised embeddings of transformed copies
   * @param copyOf for each copy, the index of its original
   */
  public static Result run(
      float[][] originals,
      float[][] copies,
      int[] copyOf,
      float threshold,
      float maxDistanceRatio,
      int window) {
    NearDuplicateWindow seen = new NearDuplicateWindow(window, threshold, maxDistanceRatio);
    int tp = 0;
    int fp = 0;
    for (int i = 0; i < originals.length; i++) {
      if (seen.checkAndAdd("", "o" + i, originals[i]).isPresent()) {
        fp++;
      }
    }
    for (int i = 0; i < copies.length; i++) {
      var match = seen.check("", copies[i]);
      if (match.isPresent()) {
        if (match.get().eventId().equals("o" + copyOf[i])) {
          tp++;
        } else {
          fp++;
        }
      }
    }
    return new Result(threshold, maxDistanceRatio, copies.length, originals.length, tp, fp);
  }

  /** {@link #run} at each threshold and distance ratio. */
  public static List<Result> sweep(
      float[][] originals,
      float[][] copies,
      int[] copyOf,
      List<Float> thresholds,
      List<Float> ratios,
      int window) {
    List<Result> results = new java.util.ArrayList<>();
    for (float ratio : ratios) {
      for (float t : thresholds) {
        results.add(run(originals, copies, copyOf, t, ratio, window));
      }
    }
    return results;
  }
}
