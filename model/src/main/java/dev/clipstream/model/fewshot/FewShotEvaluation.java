package dev.clipstream.model.fewshot;

import dev.clipstream.model.features.LabelledFeatures;
import dev.clipstream.model.zeroshot.ScoredLabel;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Accuracy of zero-shot, prototype-blended and linear-probe classifiers on the same embedded test
 * images, with K labelled examples per class drawn from a separate pool: the CLIP paper's few-shot
 * comparison on one dataset. Every classifier sees the same shots; results are averaged over seeds.
 */
public final class FewShotEvaluation {

  /** Accuracy at one K, averaged over the seeds: on all test images, then on a subset of labels. */
  public record Row(int shots, Accuracy all, Accuracy focus, Accuracy rest) {}

  /** The three classifiers' accuracy on one group of test images. */
  public record Accuracy(double zeroShot, double prototypes, double probe) {
    Accuracy plus(Accuracy o) {
      return new Accuracy(zeroShot + o.zeroShot, prototypes + o.prototypes, probe + o.probe);
    }

    Accuracy over(int n) {
      return new Accuracy(zeroShot / n, prototypes / n, probe / n);
    }
  }

  /** A classifier of one normalised embedding. */
  public interface Predictor {
    String predict(float[] embedding);
  }

  /** The L2 pull of the probe towards its zero-shot start, per example. */
  public static final double PROBE_L2 = 0.01;

  private FewShotEvaluation() {}

  /**
   * @param classes the label names, in the order of {@code textWeights}' rows
   * @param pool where the K shots of each class are drawn from (disjoint from {@code test})
   */
  public static List<Row> run(
      List<String> classes,
      float[][] textWeights,
      float logitScale,
      LabelledFeatures pool,
      LabelledFeatures test,
      List<Integer> shots,
      float priorShots,
      int seeds,
      Set<String> focus) {
    AdaptedLabels zeroShot = AdaptedLabels.fromText(classes, textWeights);
    List<Row> rows = new ArrayList<>();
    for (int k : shots) {
      Accuracy[] sums = {new Accuracy(0, 0, 0), new Accuracy(0, 0, 0), new Accuracy(0, 0, 0)};
      int draws = k == 0 ? 1 : seeds;
      for (int seed = 0; seed < draws; seed++) {
        AdaptedLabels blended = zeroShot;
        Predictor probe = x -> zeroShot.top(x, logitScale, 1).get(0).label();
        if (k > 0) {
          LabelledFeatures train = pool.shots(k, seed);
          ClassPrototypes prototypes = new ClassPrototypes(train.vectors()[0].length);
          for (int i = 0; i < train.count(); i++) {
            prototypes.add(train.labels().get(i), train.vectors()[i]);
          }
          blended = AdaptedLabels.blend(classes, textWeights, prototypes, priorShots);
          probe = fitProbe(classes, textWeights, logitScale, train)::predict;
        }
        AdaptedLabels b = blended;
        List<Predictor> three =
            List.of(
                x -> zeroShot.top(x, logitScale, 1).get(0).label(),
                x -> b.top(x, logitScale, 1).get(0).label(),
                probe);
        sums[0] = sums[0].plus(groupAccuracy(three, test, label -> true));
        sums[1] = sums[1].plus(groupAccuracy(three, test, focus::contains));
        sums[2] = sums[2].plus(groupAccuracy(three, test, label -> !focus.contains(label)));
      }
      rows.add(new Row(k, sums[0].over(draws), sums[1].over(draws), sums[2].over(draws)));
    }
    return rows;
  }

  /** A probe started from the zero-shot weights (text weights at the model's temperature). */
  public static LinearProbe fitProbe(
      List<String> classes, float[][] textWeights, float logitScale, LabelledFeatures train) {
    float[][] start = new float[textWeights.length][];
    for (int k = 0; k < start.length; k++) {
      start[k] = textWeights[k].clone();
      for (int j = 0; j < start[k].length; j++) {
        start[k][j] *= logitScale;
      }
    }
    return LinearProbe.fit(train, classes, start, PROBE_L2);
  }

  /** Share of {@code test} whose top label is its true label. */
  public static double accuracy(AdaptedLabels labels, float logitScale, LabelledFeatures test) {
    int right = 0;
    for (int i = 0; i < test.count(); i++) {
      List<ScoredLabel> top = labels.top(test.vectors()[i], logitScale, 1);
      if (top.get(0).label().equals(test.labels().get(i))) {
        right++;
      }
    }
    return right / (double) test.count();
  }

  /** Share of {@code test} whose probe prediction is its true label. */
  public static double accuracy(LinearProbe probe, LabelledFeatures test) {
    int right = 0;
    for (int i = 0; i < test.count(); i++) {
      if (probe.predict(test.vectors()[i]).equals(test.labels().get(i))) {
        right++;
      }
    }
    return right / (double) test.count();
  }

  private static Accuracy groupAccuracy(
      List<Predictor> predictors, LabelledFeatures test, Predicate<String> in) {
    int[] right = new int[predictors.size()];
    int n = 0;
    for (int i = 0; i < test.count(); i++) {
      String truth = test.labels().get(i);
      if (!in.test(truth)) {
        continue;
      }
      n++;
      for (int p = 0; p < predictors.size(); p++) {
        if (predictors.get(p).predict(test.vectors()[i]).equals(truth)) {
          right[p]++;
        }
      }
    }
    if (n == 0) {
      return new Accuracy(Double.NaN, Double.NaN, Double.NaN);
    }
    return new Accuracy(right[0] / (double) n, right[1] / (double) n, right[2] / (double) n);
  }
}
