package dev.clipstream.model.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.clipstream.model.ClipModel;
import dev.clipstream.model.nn.GradMode;

/**
 * How a model does on pairs it never trained on: the mean contrastive loss (same loss, caption
 * groups and logit scale as training) and the caption accuracy — the share of images whose closest
 * caption among the set's distinct captions is their own, i.e. zero-shot classification with the
 * captions as classes.
 */
public record HoldoutEvaluation(double loss, double accuracy, int pairs) {

  /** Evaluates {@code model} on {@code batch} without gradients. */
  public static HoldoutEvaluation of(ClipModel model, CaptionedBatch batch) {
    try (GradMode off = GradMode.disabled();
        NDManager scope = model.newBatchManager()) {
      NDArray pixels =
          scope.create(
              batch.pixels(), new Shape(batch.size(), 3, batch.resolution(), batch.resolution()));
      long[][] rows = batch.captionIds();
      long[] flat = new long[rows.length * rows[0].length];
      for (int i = 0; i < rows.length; i++) {
        System.arraycopy(rows[i], 0, flat, i * rows[0].length, rows[0].length);
      }
      NDArray ids = scope.create(flat, new Shape(rows.length, rows[0].length));
      NDArray images = normalise(model.encodeImage(pixels));
      NDArray captions = normalise(model.encodeText(ids));
      NDArray scale = scope.create(new float[] {model.logitScale()});
      NDArray texts = captions.get(scope.create(batch.captionOf()));
      double loss = ContrastiveLoss.of(images, texts, scale, batch.captionOf()).getFloat();
      long[] closest = images.matMul(captions.transpose()).argMax(1).toLongArray();
      int right = 0;
      for (int i = 0; i < closest.length; i++) {
        if (closest[i] == batch.captionOf()[i]) {
          right++;
        }
      }
      return new HoldoutEvaluation(loss, (double) right / closest.length, batch.size());
    }
  }

  private static NDArray normalise(NDArray rows) {
    return rows.div(rows.norm(new int[] {1}, true));
  }
}
