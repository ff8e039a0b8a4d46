package dev.clipstream.model.confidence;

import java.util.ArrayList;
import java.util.List;

/**
 * Chooses the unknown threshold on held-out labelled predictions: the lowest top-probability
 * threshold at which the predictions kept (not abstained) are right at least as often as the target
 * precision, which keeps the most of them. Also the whole accuracy-against-coverage curve.
 */
public final class Calibration {

  /** The chosen threshold, the share of predictions it keeps and their precision there. */
  public record Result(float threshold, double coverage, double precision, int kept, int total) {}

  /** One point of the curve: keep the {@code coverage} most confident, get {@code accuracy}. */
  public record Point(float threshold, double coverage, double accuracy) {}

  private Calibration() {}

  /**
   * The threshold for {@code targetPrecision} from each prediction's top probability and whether it
   * was right. If no threshold reaches the target, the result keeps nothing (threshold above every
   * confidence).
   */
  public static Result forPrecision(float[] confidence, boolean[] correct, double targetPrecision) {
    if (confidence.length != correct.length || confidence.length == 0) {
      throw new IllegalArgumentException("calibration needs as many outcomes as confidences, > 0");
    }
    if (!(targetPrecision > 0 && targetPrecision <= 1)) {
      throw new IllegalArgumentException("target precision must be in (0, 1]: " + targetPrecision);
    }
    List<Point> curve = curve(confidence, correct);
    Result best = new Result(Math.nextUp(max(confidence)), 0, 1, 0, confidence.length);
    for (Point p : curve) {
      if (p.accuracy() >= targetPrecision && p.coverage() > best.coverage()) {
        int kept = (int) Math.round(p.coverage() * confidence.length);
        best = new Result(p.threshold(), p.coverage(), p.accuracy(), kept, confidence.length);
      }
    }
    return best;
  }

  /**
   * Accuracy of the kept predictions for every distinct threshold, most confident first; the last
   * point keeps everything (coverage 1, the plain accuracy).
   */
  public static List<Point> curve(float[] confidence, boolean[] correct) {
    Integer[] order = new Integer[confidence.length];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    java.util.Arrays.sort(order, (a, b) -> Float.compare(confidence[b], confidence[a]));
    List<Point> points = new ArrayList<>();
    int right = 0;
    for (int i = 0; i < order.length; i++) {
      if (correct[order[i]]) {
        right++;
      }
      boolean lastOfTies = i == order.length - 1 || confidence[order[i + 1]] < confidence[order[i]];
      if (lastOfTies) {
        int kept = i + 1;
        points.add(
            new Point(confidence[order[i]], kept / (double) order.length, right / (double) kept));
      }
    }
    return points;
  }

  private static float max(float[] values) {
    float m = Float.NEGATIVE_INFINITY;
    for (float v : values) {
      m = Math.max(m, v);
    }
    return m;
  }
}
