package dev.clipstream.jobs.cli;

import dev.clipstream.model.ClipModel;
import dev.clipstream.model.confidence.Calibration;
import dev.clipstream.model.data.LabelledImages;
import dev.clipstream.model.duplicates.DuplicateEvaluation;
import dev.clipstream.model.duplicates.TransformedCopies;
import dev.clipstream.model.features.ImageFeatures;
import dev.clipstream.model.features.LabelledFeatures;
import dev.clipstream.model.features.TextWeights;
import dev.clipstream.model.fewshot.AdaptedLabels;
import dev.clipstream.model.fewshot.FewShotEvaluation;
import dev.clipstream.model.preprocess.DecodedImage;
import dev.clipstream.model.tokenizer.ClipTokenizer;
import dev.clipstream.model.zeroshot.ClipTextEmbedder;
import dev.clipstream.model.zeroshot.LabelSet;
import dev.clipstream.model.zeroshot.ScoredLabel;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The evaluations beyond zero-shot that {@code clipstream eval} runs on request: few-shot accuracy
 * at several K, the unknown threshold for a precision target, and near-duplicate precision and
 * recall on transformed copies. The labelled images are embedded once and split in two halves: the
 * first is the pool that shots and calibrations come from, the second is where everything is
 * measured, so no measured image was ever an example or a calibration point.
 */
final class AdaptationEval {

  /** Distinct originals (and copies of how many of them) in the near-duplicate check. */
  static final int DUPLICATE_ORIGINALS = 1000;

  static final int DUPLICATE_COPIED = 250;

  private final ClipModel model;
  private final LabelSet set;
  private final PrintWriter out;
  private final LabelledFeatures pool;
  private final LabelledFeatures test;
  private final float[][] textWeights;
  private final java.util.Map<Integer, float[][]> embedded = new java.util.HashMap<>();

  AdaptationEval(ClipModel model, LabelSet set, LabelledImages images, PrintWriter out) {
    this.model = model;
    this.set = set;
    this.out = out;
    LabelledFeatures all = ImageFeatures.embed(model, images);
    int half = all.count() / 2;
    this.pool = all.slice(0, half);
    this.test = all.slice(half, all.count());
    try (var manager = model.newBatchManager()) {
      this.textWeights =
          TextWeights.of(new ClipTextEmbedder(model, ClipTokenizer.load()), manager, set);
    }
    out.printf(
        "embedded %d images: shots and calibration from the first %d, measured on the other %d%n",
        all.count(), pool.count(), test.count());
  }

  /** Accuracy at each K for prototypes blended with the text and for a zero-shot-started probe. */
  void shots(List<Integer> ks, float priorShots, int seeds, java.util.Set<String> focus) {
    List<FewShotEvaluation.Row> rows =
        FewShotEvaluation.run(
            set.names(), textWeights, model.logitScale(), pool, test, ks, priorShots, seeds, focus);
    out.printf(
        "%nfew-shot accuracy (K examples per class, mean of %d seeds; prior %.1f shots)%n",
        seeds, priorShots);
    String groups = focus.isEmpty() ? "" : "   on " + focus + ": same three   on the others";
    out.printf(
        "  %5s  %9s  %10s  %12s%s%n", "K", "zero-shot", "prototypes", "linear probe", groups);
    for (FewShotEvaluation.Row r : rows) {
      out.printf("  %5d  %s", r.shots(), three(r.all()));
      if (!focus.isEmpty()) {
        out.printf("   %s   %s", three(r.focus()), three(r.rest()));
      }
      out.println();
    }
  }

  private static String three(FewShotEvaluation.Accuracy a) {
    return String.format("%9.4f  %10.4f  %12.4f", a.zeroShot(), a.prototypes(), a.probe());
  }

  /**
   * The unknown threshold calibrated on the pool for {@code precision}, applied to the test half.
   */
  void unknown(double precision, Path plot) throws IOException {
    AdaptedLabels zeroShot = AdaptedLabels.fromText(set.names(), textWeights);
    Calibration.Result chosen =
        Calibration.forPrecision(confidences(zeroShot, pool), correct(zeroShot, pool), precision);
    float[] testConfidence = confidences(zeroShot, test);
    boolean[] testCorrect = correct(zeroShot, test);
    int kept = 0;
    int right = 0;
    for (int i = 0; i < testConfidence.length; i++) {
      if (testConfidence[i] >= chosen.threshold()) {
        kept++;
        right += testCorrect[i] ? 1 : 0;
      }
    }
    out.printf(
        "%nunknown threshold for precision %.2f: top probability >= %.4f (calibration half: coverage"
            + " %.4f, precision %.4f)%n",
        precision, chosen.threshold(), chosen.coverage(), chosen.precision());
    out.printf(
        "  on the measured half: coverage %.4f (%d of %d labelled, the rest unknown), precision"
            + " %.4f%n",
        kept / (double) test.count(), kept, test.count(), kept == 0 ? 1.0 : right / (double) kept);
    if (plot != null) {
      CoverageChart.write(Calibration.curve(testConfidence, testCorrect), chosen, plot);
      out.printf("  accuracy against coverage: %s%n", plot);
    }
  }

  /**
   * Near-duplicate precision and recall: the threshold and distance ratio with the best F1 on
   * copies made from the pool half, then measured on copies made from the test half, overall and
   * per kind of copy.
   */
  void duplicates(LabelledImages images, List<Float> thresholds, List<Float> ratios, int window) {
    int half = images.count() / 2;
    List<DuplicateEvaluation.Result> calibration =
        duplicateSweep(images, 0, thresholds, ratios, window, null);
    DuplicateEvaluation.Result best = calibration.get(0);
    for (DuplicateEvaluation.Result r : calibration) {
      if (f1(r) > f1(best)) {
        best = r;
      }
    }
    out.printf(
        "%nnear-duplicates (%d distinct images, then %d copies of each kind; window %d)%n",
        DUPLICATE_ORIGINALS, DUPLICATE_COPIED, window);
    out.printf(
        "  %9s  %11s  %9s  %6s   (calibration half)%n",
        "threshold", "dist. ratio", "precision", "recall");
    for (DuplicateEvaluation.Result r : calibration) {
      out.printf(
          "  %9.3f  %11.2f  %9.4f  %6.4f%n",
          r.threshold(), r.maxDistanceRatio(), r.precision(), r.recall());
    }
    List<Float> t = List.of(best.threshold());
    List<Float> q = List.of(best.maxDistanceRatio());
    DuplicateEvaluation.Result m = duplicateSweep(images, half, t, q, window, null).get(0);
    out.printf(
        "  chosen %.3f / ratio %.2f, on the measured half: precision %.4f, recall %.4f (%d true,"
            + " %d false, %d copies)%n",
        m.threshold(),
        m.maxDistanceRatio(),
        m.precision(),
        m.recall(),
        m.truePositives(),
        m.falsePositives(),
        m.copies());
    for (TransformedCopies kind : TransformedCopies.values()) {
      DuplicateEvaluation.Result k = duplicateSweep(images, half, t, q, window, kind).get(0);
      out.printf("    %-11s precision %.4f, recall %.4f%n", kind, k.precision(), k.recall());
    }
  }

  private List<DuplicateEvaluation.Result> duplicateSweep(
      LabelledImages images,
      int from,
      List<Float> thresholds,
      List<Float> ratios,
      int window,
      TransformedCopies only) {
    List<DecodedImage> originals = new ArrayList<>();
    for (int i = from; i < from + DUPLICATE_ORIGINALS; i++) {
      originals.add(images.pixels(i));
    }
    List<DecodedImage> copies = new ArrayList<>();
    List<Integer> copyOf = new ArrayList<>();
    for (TransformedCopies kind : TransformedCopies.values()) {
      if (only != null && kind != only) {
        continue;
      }
      for (int i = 0; i < DUPLICATE_COPIED; i++) {
        copies.add(kind.apply(originals.get(i)));
        copyOf.add(i);
      }
    }
    float[][] o = embedded.computeIfAbsent(from, f -> ImageFeatures.embed(model, originals));
    float[][] c = ImageFeatures.embed(model, copies);
    int[] of = copyOf.stream().mapToInt(Integer::intValue).toArray();
    return DuplicateEvaluation.sweep(o, c, of, thresholds, ratios, window);
  }

  private static double f1(DuplicateEvaluation.Result r) {
    double p = r.precision();
    double q = r.recall();
    return p + q == 0 ? 0 : 2 * p * q / (p + q);
  }

  private float[] confidences(AdaptedLabels labels, LabelledFeatures features) {
    float[] c = new float[features.count()];
    for (int i = 0; i < c.length; i++) {
      c[i] = labels.top(features.vectors()[i], model.logitScale(), 1).get(0).probability();
    }
    return c;
  }

  private boolean[] correct(AdaptedLabels labels, LabelledFeatures features) {
    boolean[] c = new boolean[features.count()];
    for (int i = 0; i < c.length; i++) {
      ScoredLabel top = labels.top(features.vectors()[i], model.logitScale(), 1).get(0);
      c[i] = top.label().equals(features.labels().get(i));
    }
    return c;
  }
}
