package dev.clipstream.jobs.cli;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.clipstream.model.ClipModel;
import dev.clipstream.model.preprocess.ImagePreprocessor;
import dev.clipstream.model.preprocess.PreprocessOptions;
import dev.clipstream.model.tokenizer.ClipTokenizer;
import dev.clipstream.model.zeroshot.ClipTextEmbedder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A search query as an L2-normalised CLIP embedding, made by the same encoders (and the same
 * preprocessing) that made the indexed vectors. Shared by {@code clipstream search} and the web
 * page's searches; bad queries are {@link UserError}s with one line.
 */
public final class QueryEmbedder {
  private QueryEmbedder() {}

  public static float[] text(ClipModel model, String text) {
    if (text.isBlank()) {
      throw new UserError("the search text is empty: give the words to search for");
    }
    try (NDManager batch = model.newBatchManager()) {
      return new ClipTextEmbedder(model, ClipTokenizer.load())
          .embed(batch, List.of(text))
          .toFloatArray();
    }
  }

  public static float[] image(ClipModel model, Path file) throws IOException {
    return image(model, Files.readAllBytes(CliFiles.readable(file)), file.toString());
  }

  /** The embedding of an encoded image; {@code source} names it in the error if it is refused. */
  public static float[] image(ClipModel model, byte[] encoded, String source) {
    int side = model.config().imageResolution();
    ImagePreprocessor.Outcome outcome =
        new ImagePreprocessor(PreprocessOptions.defaults(side)).preprocess(encoded);
    if (outcome instanceof ImagePreprocessor.Refused refused) {
      throw new UserError(source + ": " + refused.rejection().message());
    }
    try (NDManager batch = model.newBatchManager()) {
      NDArray features =
          model.encodeImage(
              batch.create(
                  ((ImagePreprocessor.Pixels) outcome).chw(), new Shape(1, 3, side, side)));
      return features.div(features.norm()).toFloatArray();
    }
  }
}
