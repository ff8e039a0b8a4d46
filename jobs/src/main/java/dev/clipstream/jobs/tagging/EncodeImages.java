package dev.clipstream.jobs.tagging;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.clipstream.jobs.io.PreparedImage;
import dev.clipstream.model.zeroshot.ClipTextEmbedder;
import java.util.ArrayList;
import java.util.List;

/**
 * One forward pass per batch: the images through the image encoder, the captions (when events have
 * them) through the text encoder, both L2-normalised. Every array of the batch is freed before it
 * returns.
 */
final class EncodeImages implements BatchFunction<PreparedImage, EncodedImage> {

  private final String weights;
  private final ServingModel serving;

  private EncodeImages(String weights) throws Exception {
    this.weights = weights;
    this.serving = ServingModel.acquire(weights);
  }

  /** A factory for {@link BatchEncode}: the model loads on the task manager, once per process. */
  static BatchFunction.Factory<PreparedImage, EncodedImage> factory(String weights) {
    return context -> new EncodeImages(weights);
  }

  @Override
  public List<EncodedImage> apply(List<PreparedImage> batch) {
    int side = batch.get(0).size;
    int n = batch.size();
    float[] pixels = new float[n * 3 * side * side];
    List<String> captions = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      System.arraycopy(batch.get(i).pixels, 0, pixels, i * 3 * side * side, 3 * side * side);
      if (batch.get(i).caption != null) {
        captions.add(batch.get(i).caption);
      }
    }
    try (NDManager scope = serving.model().newBatchManager()) {
      NDArray features =
          serving.model().encodeImage(scope.create(pixels, new Shape(n, 3, side, side)));
      float[] images = features.div(features.norm(new int[] {1}, true)).toFloatArray();
      float[] texts =
          captions.isEmpty()
              ? new float[0]
              : new ClipTextEmbedder(serving.model(), serving.tokenizer())
                  .embed(scope, captions)
                  .toFloatArray();
      int d = images.length / n;
      List<EncodedImage> out = new ArrayList<>(n);
      int caption = 0;
      for (int i = 0; i < n; i++) {
        PreparedImage in = batch.get(i);
        float[] captionEmbedding = null;
        if (in.caption != null) {
          captionEmbedding = java.util.Arrays.copyOfRange(texts, caption * d, (caption + 1) * d);
          caption++;
        }
        out.add(
            new EncodedImage(
                in.eventId,
                in.eventTime,
                serving.version(),
                java.util.Arrays.copyOfRange(images, i * d, (i + 1) * d),
                captionEmbedding,
                in.source));
      }
      return out;
    }
  }

  @Override
  public void close() throws Exception {
    ServingModel.release(weights);
  }
}
