package dev.clipstream.jobs.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.clipstream.model.ClipModel;
import dev.clipstream.model.data.LabelledImages;
import dev.clipstream.model.preprocess.ImagePreprocessor;
import dev.clipstream.model.preprocess.PreprocessOptions;
import dev.clipstream.model.tokenizer.ClipTokenizer;
import dev.clipstream.model.zeroshot.ClipTextEmbedder;
import dev.clipstream.model.zeroshot.LabelSet;
import dev.clipstream.model.zeroshot.ZeroShotClassifier;
import dev.clipstream.schemas.TagResult;
import java.util.List;

/**
 * The oracle of the tagging ITCases: each result's top label is the one the model's own zero-shot
 * classifier gives the event's image directly, outside Flink and the job's classes.
 */
public final class ModelLabels {
  private ModelLabels() {}

  /**
   * Asserts the top label of each of {@code results} (events {@code demo-<n>} of {@code images}, 28
   * px) is {@code model}'s zero-shot answer over {@code labels}.
   */
  public static void assertTopLabelsAreTheModels(
      List<TagResult> results, LabelledImages images, ClipModel model, LabelSet labels) {
    ImagePreprocessor pre = new ImagePreprocessor(PreprocessOptions.defaults(28));
    try (NDManager m = model.newBatchManager();
        ZeroShotClassifier classifier =
            new ZeroShotClassifier(new ClipTextEmbedder(model, ClipTokenizer.load()), m)) {
      for (TagResult t : results) {
        long n = Long.parseLong(t.getEventId().toString().substring("demo-".length()));
        int i = (int) (n % images.count());
        NDArray f =
            model.encodeImage(m.create(pre.preprocess(images.pixels(i)), new Shape(1, 3, 28, 28)));
        String expected =
            classifier
                .classify(f.div(f.norm()).reshape(1, -1), labels, "direct", model.logitScale(), 1)
                .get(0)
                .get(0)
                .label();
        assertEquals(
            expected, t.getLabels().get(0).getLabel().toString(), t.getEventId().toString());
      }
    }
  }
}
