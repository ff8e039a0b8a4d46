package dev.clipstream.jobs.training;

import dev.clipstream.model.ClipModel;
import dev.clipstream.model.data.LabelledFolder;
import dev.clipstream.model.tokenizer.ClipTokenizer;
import dev.clipstream.model.training.CaptionedBatch;
import dev.clipstream.model.training.HoldoutEvaluation;
import dev.clipstream.model.zeroshot.LabelSet;
import dev.clipstream.model.zeroshot.ZeroShotEvaluation;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The trainer's gate: a candidate is published only if, on the held-out slice, its contrastive loss
 * is lower than the served model's and its accuracy — caption accuracy on the slice, or zero-shot
 * accuracy on the guard folder when one is set — is no more than the tolerance below it.
 */
final class PublishGate {
  private static final Logger LOG = LoggerFactory.getLogger(PublishGate.class);

  /** What the gate decided, why, and the figures a published update carries. */
  record Judgement(boolean passed, String verdict, String refusal, Map<String, Double> metrics) {}

  private final double tolerance;
  private final ClipTokenizer tokenizer;
  private final LabelledFolder guardSet;
  private final LabelSet guardLabels;

  /** A gate judging accuracy on {@code guardFolder} if it is not blank, else on captions. */
  PublishGate(double tolerance, ClipTokenizer tokenizer, String guardFolder) throws IOException {
    this.tolerance = tolerance;
    this.tokenizer = tokenizer;
    if (guardFolder.isBlank()) {
      guardSet = null;
      guardLabels = null;
    } else {
      guardSet = LabelledFolder.read(Path.of(guardFolder));
      guardLabels = LabelSet.of("guard", 1, guardSet.classes());
      LOG.info(
          "gate: accuracy on {} ({} images, labels {})",
          guardFolder,
          guardSet.count(),
          guardSet.classes());
    }
  }

  Judgement judge(
      ClipModel candidateModel,
      ClipModel servedModel,
      CaptionedBatch holdout,
      long step,
      String servedVersion,
      double trainingLoss) {
    HoldoutEvaluation candidate = HoldoutEvaluation.of(candidateModel, holdout);
    HoldoutEvaluation current = HoldoutEvaluation.of(servedModel, holdout);
    double candidateAccuracy = candidate.accuracy();
    double currentAccuracy = current.accuracy();
    String accuracyOn = "caption accuracy";
    if (guardSet != null) {
      candidateAccuracy = guardAccuracy(candidateModel);
      currentAccuracy = guardAccuracy(servedModel);
      accuracyOn = "guard-folder accuracy";
    }
    boolean lossImproved = candidate.loss() < current.loss();
    boolean accuracyHeld = candidateAccuracy >= currentAccuracy - tolerance;
    String verdict =
        String.format(
            "step %d vs %s on %d held-out pairs: loss %.4f vs %.4f, %s %.3f vs %.3f",
            step,
            servedVersion,
            holdout.size(),
            candidate.loss(),
            current.loss(),
            accuracyOn,
            candidateAccuracy,
            currentAccuracy);
    String refusal =
        !lossImproved
            ? "held-out loss did not improve"
            : accuracyHeld ? null : "accuracy dropped past the tolerance";
    Map<String, Double> metrics = new LinkedHashMap<>();
    metrics.put("holdoutLoss", candidate.loss());
    metrics.put("holdoutAccuracy", candidate.accuracy());
    metrics.put("guardAccuracy", candidateAccuracy);
    metrics.put("servedGuardAccuracy", currentAccuracy);
    metrics.put("servedHoldoutLoss", current.loss());
    metrics.put("servedHoldoutAccuracy", current.accuracy());
    metrics.put("trainingLoss", trainingLoss);
    return new Judgement(refusal == null, verdict, refusal, metrics);
  }

  private double guardAccuracy(ClipModel model) {
    return ZeroShotEvaluation.run(model, tokenizer, guardSet, guardLabels).accuracy();
  }
}
