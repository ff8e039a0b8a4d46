package dev.clipstream.model.features;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.clipstream.model.ClipModel;
import dev.clipstream.model.data.LabelledSource;
import dev.clipstream.model.nn.GradMode;
import dev.clipstream.model.preprocess.DecodedImage;
import dev.clipstream.model.preprocess.ImagePreprocessor;
import dev.clipstream.model.preprocess.PreprocessOptions;
import java.util.ArrayList;
import java.util.List;

/**
 * Encodes images as the tagging job does (OpenAI's preprocessing at the model's resolution, the
 * image tower, L2 normalisation), in batches, into plain float vectors.
 */
public final class ImageFeatures {

  /** Images per forward pass. */
  static final int BATCH = 256;

  private ImageFeatures() {}

  /** The normalised embedding of every image of {@code source}, with its label. */
  public static LabelledFeatures embed(ClipModel model, LabelledSource source) {
    List<DecodedImage> images = new ArrayList<>(source.count());
    List<String> labels = new ArrayList<>(source.count());
    for (int i = 0; i < source.count(); i++) {
      images.add(source.pixels(i));
      labels.add(source.label(i));
    }
    return new LabelledFeatures(embed(model, images), labels);
  }

  /** The normalised embeddings of {@code images}, one row each. */
  public static float[][] embed(ClipModel model, List<DecodedImage> images) {
    int side = model.config().imageResolution();
    int plane = 3 * side * side;
    ImagePreprocessor preprocessor = new ImagePreprocessor(PreprocessOptions.defaults(side));
    float[][] out = new float[images.size()][];
    try (GradMode noGrad = GradMode.disabled();
        NDManager manager = model.newBatchManager()) {
      for (int start = 0; start < images.size(); start += BATCH) {
        int n = Math.min(BATCH, images.size() - start);
        float[] pixels = new float[n * plane];
        for (int r = 0; r < n; r++) {
          System.arraycopy(
              preprocessor.preprocess(images.get(start + r)), 0, pixels, r * plane, plane);
        }
        try (NDManager batch = manager.newSubManager()) {
          NDArray features = model.encodeImage(batch.create(pixels, new Shape(n, 3, side, side)));
          NDArray normalised = features.div(features.norm(new int[] {1}, true));
          float[] flat = normalised.toFloatArray();
          int d = flat.length / n;
          for (int r = 0; r < n; r++) {
            out[start + r] = java.util.Arrays.copyOfRange(flat, r * d, (r + 1) * d);
          }
        }
      }
    }
    return out;
  }
}
