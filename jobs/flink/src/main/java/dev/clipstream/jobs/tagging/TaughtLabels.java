package dev.clipstream.jobs.tagging;

import dev.clipstream.jobs.control.ControlMessage;
import dev.clipstream.jobs.control.TaughtPrototypes;
import dev.clipstream.model.fewshot.AdaptedLabels;
import dev.clipstream.model.zeroshot.ScoredLabel;
import java.util.ArrayList;
import java.util.List;

/**
 * An encoder's view of the labels taught by examples: the newest prototypes message, and the
 * classifier weights it makes with the served label set ({@link AdaptedLabels#blend}: prompts worth
 * {@code priorShots} examples, labels without prompts taught by examples alone). The weights are
 * built once per served state and message, and only when the message's prototypes were made by the
 * served model: otherwise the labels stay zero-shot.
 */
final class TaughtLabels {

  private final float priorShots;
  // Volatile: the metrics thread reads them (examplesVersion, examplesApplied).
  private volatile ControlMessage message;
  private volatile TaughtPrototypes taught;
  private Serving weightsFor;
  private AdaptedLabels weights;

  TaughtLabels(float priorShots) {
    this.priorShots = priorShots;
  }

  /** Takes a newer prototypes message; an older one (a replay) is ignored. */
  void offer(ControlMessage prototypes) {
    if (message == null || prototypes.order > message.order) {
      message = prototypes;
      taught = prototypes.taught();
      weights = null;
    }
  }

  /** The message to checkpoint, or null. */
  ControlMessage message() {
    return message;
  }

  /** How many examples the newest message counts (0: none yet). */
  long version() {
    return message == null ? 0 : message.order;
  }

  /**
   * The weights to label with under {@code serving}, or null when no examples apply to it (none
   * taught, or taught under another model).
   */
  AdaptedLabels weights(Serving serving) {
    if (!appliesTo(serving)) {
      return null;
    }
    if (weights == null || weightsFor != serving) {
      weights =
          AdaptedLabels.blend(
              serving.labelSet().names(), textWeights(serving), taught.prototypes(), priorShots);
      weightsFor = serving;
    }
    return weights;
  }

  /** Whether examples were taught under the model {@code serving} serves. */
  boolean appliesTo(Serving serving) {
    TaughtPrototypes now = taught;
    return now != null
        && !now.prototypes().labels().isEmpty()
        && now.modelKey().equals(TaughtPrototypes.modelKeyOf(serving.modelMessage()));
  }

  /** The top {@code k} labels of each normalised embedding (rows of {@code images}, d wide). */
  static List<List<ScoredLabel>> classify(
      AdaptedLabels weights, float[] images, int d, float logitScale, int k) {
    int n = images.length / d;
    List<List<ScoredLabel>> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(weights.top(java.util.Arrays.copyOfRange(images, i * d, (i + 1) * d), logitScale, k));
    }
    return out;
  }

  /** The label matrix [d, labels] as one row of weights per label. */
  private static float[][] textWeights(Serving serving) {
    float[] matrix = serving.matrix().matrix().matrix().toFloatArray();
    int labels = serving.labelSet().labels().size();
    int d = matrix.length / labels;
    float[][] rows = new float[labels][d];
    for (int j = 0; j < labels; j++) {
      for (int i = 0; i < d; i++) {
        rows[j][i] = matrix[i * labels + j];
      }
    }
    return rows;
  }
}
