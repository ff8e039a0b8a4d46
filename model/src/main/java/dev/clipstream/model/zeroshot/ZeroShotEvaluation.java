package dev.clipstream.model.zeroshot;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.clipstream.model.ClipModel;
import dev.clipstream.model.data.LabelledSource;
import dev.clipstream.model.preprocess.ImagePreprocessor;
import dev.clipstream.model.preprocess.PreprocessOptions;
import dev.clipstream.model.tokenizer.ClipTokenizer;
import java.util.List;

/**
 * Measures zero-shot accuracy: each image goes through the same preprocessing as in the tagging
 * job, is encoded, and is labelled by a {@link ZeroShotClassifier} over the label set.
 */
public final class ZeroShotEvaluation {

  /** Images encoded per forward pass. */
  static final int BATCH = 256;

  private ZeroShotEvaluation() {}

  /**
   * Evaluates {@code model} on {@code images}; images whose true label is not in {@code set} are
   * skipped.
   */
  public static EvaluationReport run(
      ClipModel model, ClipTokenizer tokenizer, LabelledSource images, LabelSet set) {
    List<String> names = set.names();
    int[][] confusion = new int[names.size()][names.size()];
    ImagePreprocessor preprocessor =
        new ImagePreprocessor(PreprocessOptions.defaults(model.config().imageResolution()));
    int side = model.config().imageResolution();
    try (NDManager manager = model.newBatchManager();
        ZeroShotClassifier classifier =
            new ZeroShotClassifier(new ClipTextEmbedder(model, tokenizer), manager)) {
      for (int start = 0; start < images.count(); start += BATCH) {
        int end = Math.min(images.count(), start + BATCH);
        List<Integer> rows = new java.util.ArrayList<>();
        for (int i = start; i < end; i++) {
          if (names.contains(images.label(i))) {
            rows.add(i);
          }
        }
        if (rows.isEmpty()) {
          continue;
        }
        float[] pixels = new float[rows.size() * 3 * side * side];
        for (int r = 0; r < rows.size(); r++) {
          float[] chw = preprocessor.preprocess(images.pixels(rows.get(r)));
          System.arraycopy(chw, 0, pixels, r * 3 * side * side, 3 * side * side);
        }
        try (NDManager batch = manager.newSubManager()) {
          NDArray features =
              model.encodeImage(batch.create(pixels, new Shape(rows.size(), 3, side, side)));
          NDArray normalised = features.div(features.norm(new int[] {1}, true));
          List<List<ScoredLabel>> top =
              classifier.classify(normalised, set, "evaluated", model.logitScale(), 1);
          for (int r = 0; r < rows.size(); r++) {
            confusion[names.indexOf(images.label(rows.get(r)))][top.get(r).get(0).index()]++;
          }
        }
      }
    }
    return new EvaluationReport(names, confusion);
  }
}
