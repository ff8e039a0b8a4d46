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
 * preprocessing) that made the indexed vectors.
 */
final class QueryEmbedder {
  private QueryEmbedder() {}

  static float[] text(ClipModel model, String text) {
    if (text.isBlank()) {
      throw new UserError("--text is empty: give the words to search for");
    }
    try (NDManager batch = model.newBatchManager()) {
      return new ClipTextEmbedder(model, ClipTokenizer.load())
          .embed(batch, List.of(text))
          .toFloatArray();
    }
  }

  static float[] image(ClipModel model, Path file) throws IOException {
    int side = model.config().imageResolution();
    ImagePreprocessor.Outcome outcome =
        new ImagePreprocessor(PreprocessOptions.defaults(side))
            .preprocess(Files.readAllBytes(CliFiles.readable(file)));
    if (outcome instanceof ImagePreprocessor.Refused refused) {
      throw new UserError(file + ": " + refused.rejection().message());
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
