package dev.clipstream.model.features;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.clipstream.model.zeroshot.LabelSet;
import dev.clipstream.model.zeroshot.TextEmbedder;
import dev.clipstream.model.zeroshot.ZeroShotClassifier;

/** A label set's zero-shot text weights (prompt-ensembled, normalised), one row per label. */
public final class TextWeights {

  private TextWeights() {}

  /**
   * Row {@code i} is label {@code i}'s normalised text embedding, as the zero-shot classifier has
   * it.
   */
  public static float[][] of(TextEmbedder embedder, NDManager parent, LabelSet set) {
    try (ZeroShotClassifier classifier = new ZeroShotClassifier(embedder, parent)) {
      NDArray matrix = classifier.labelMatrix(set, "text-weights"); // [d, labels]
      float[] flat = matrix.toFloatArray();
      int labels = set.labels().size();
      int d = flat.length / labels;
      float[][] rows = new float[labels][d];
      for (int j = 0; j < d; j++) {
        for (int i = 0; i < labels; i++) {
          rows[i][j] = flat[j * labels + i];
        }
      }
      return rows;
    }
  }
}
