package dev.clipstream.model.shifts;

import dev.clipstream.model.ClipModel;
import dev.clipstream.model.data.LabelledSource;
import dev.clipstream.model.tokenizer.ClipTokenizer;
import dev.clipstream.model.zeroshot.EvaluationReport;
import dev.clipstream.model.zeroshot.LabelSet;
import dev.clipstream.model.zeroshot.ZeroShotEvaluation;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Zero-shot accuracy on clean images and under each of a list of shifts, as the CLIP paper measures
 * robustness: the same images, the same labels, only the pictures changed.
 *
 * @param clean the report on the images as they are
 * @param shifted the report under each shift, in the order asked
 */
public record RobustnessReport(EvaluationReport clean, Map<ImageShift, EvaluationReport> shifted) {

  public RobustnessReport {
    shifted = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(shifted));
  }

  /** Evaluates {@code model} on {@code images} clean and under each of {@code kinds}. */
  public static RobustnessReport measure(
      ClipModel model,
      ClipTokenizer tokenizer,
      LabelledSource images,
      LabelSet set,
      List<ImageShift> kinds,
      long seed) {
    EvaluationReport clean = ZeroShotEvaluation.run(model, tokenizer, images, set);
    Map<ImageShift, EvaluationReport> shifted = new LinkedHashMap<>();
    for (ImageShift kind : kinds) {
      shifted.put(
          kind,
          ZeroShotEvaluation.run(model, tokenizer, new ShiftedImages(images, kind, seed), set));
    }
    return new RobustnessReport(clean, shifted);
  }

  /** The mean of the accuracies under the shifts (each kind counts once). */
  public double averageShifted() {
    return shifted.values().stream().mapToDouble(EvaluationReport::accuracy).average().orElse(0);
  }
}
