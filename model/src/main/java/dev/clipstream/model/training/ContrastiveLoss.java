package dev.clipstream.model.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.clipstream.model.nn.Scalars;

/**
 * CLIP's symmetric cross-entropy over the N×N similarity matrix of a batch, with one change: pairs
 * whose captions fall in the same group (identical captions) are positives of each other, so the
 * target of each row is spread evenly over its group instead of sitting on the diagonal alone.
 *
 * <p>Why: with ten classes most of a batch shares captions; treating "a photo of a bag" as a
 * negative for every other bag image would ask the model to tell apart images the text cannot.
 *
 * <p>The entropy of the targets is subtracted (a constant, so gradients are unchanged) so that a
 * perfect model scores zero; with all-distinct captions this is exactly CLIP's loss.
 */
public final class ContrastiveLoss {

  private ContrastiveLoss() {}

  /**
   * The loss (a scalar) of L2-normalised image and text features [N, d].
   *
   * @param logitScale the learned temperature as used: exp of the log-parameter, clamped
   * @param groups for each pair the id of its caption group; equal ids are positives
   */
  public static NDArray of(NDArray images, NDArray texts, NDArray logitScale, int[] groups) {
    NDArray logits = images.matMul(texts.transpose()).mul(logitScale);
    NDArray targets = targets(images.getManager(), groups);
    NDArray imageToText = crossEntropy(logits, targets);
    NDArray textToImage = crossEntropy(logits.transpose(), targets);
    // Constants as PyTorch-owned tensors: autograd keeps them for backward (see Scalars).
    NDArray sum = imageToText.add(textToImage);
    return sum.div(Scalars.like(sum, 2f)).sub(Scalars.like(sum, targetEntropy(groups)));
  }

  /** Row-normalised positives: targets[i][j] = 1/|group(i)| where group(i) = group(j). */
  static NDArray targets(NDManager manager, int[] groups) {
    int n = groups.length;
    float[] t = new float[n * n];
    for (int i = 0; i < n; i++) {
      int size = 0;
      for (int j = 0; j < n; j++) {
        if (groups[i] == groups[j]) {
          size++;
        }
      }
      for (int j = 0; j < n; j++) {
        if (groups[i] == groups[j]) {
          t[i * n + j] = 1f / size;
        }
      }
    }
    return manager.create(t, new Shape(n, n)).toType(DataType.FLOAT32, false);
  }

  /** Mean entropy of the target rows: the mean over pairs of ln |group|. */
  static float targetEntropy(int[] groups) {
    double sum = 0;
    for (int g : groups) {
      int size = 0;
      for (int h : groups) {
        size += g == h ? 1 : 0;
      }
      sum += Math.log(size);
    }
    return (float) (sum / groups.length);
  }

  private static NDArray crossEntropy(NDArray logits, NDArray targets) {
    return logits.logSoftmax(1).mul(targets).sum(new int[] {1}).neg().mean();
  }
}
