package dev.clipstream.model.zeroshot;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.clipstream.model.ClipModel;
import dev.clipstream.model.tokenizer.ClipTokenizer;
import java.util.List;

/**
 * A CLIP text encoder as a {@link TextEmbedder}: tokenise at the model's context length, encode,
 * normalise.
 */
public final class ClipTextEmbedder implements TextEmbedder {

  private final ClipModel model;
  private final ClipTokenizer tokenizer;

  public ClipTextEmbedder(ClipModel model, ClipTokenizer tokenizer) {
    this.model = model;
    this.tokenizer = tokenizer;
  }

  @Override
  public NDArray embed(NDManager manager, List<String> texts) {
    int context = model.config().contextLength();
    long[] ids = new long[texts.size() * context];
    for (int i = 0; i < texts.size(); i++) {
      int[] row = tokenizer.tokenize(texts.get(i), context);
      for (int j = 0; j < context; j++) {
        ids[i * context + j] = row[j];
      }
    }
    NDArray features = model.encodeText(manager.create(ids, new Shape(texts.size(), context)));
    return features.div(features.norm(new int[] {1}, true));
  }
}
