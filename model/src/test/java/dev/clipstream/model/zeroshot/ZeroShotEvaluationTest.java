package dev.clipstream.model.zeroshot;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.clipstream.model.ClipModel;
import dev.clipstream.model.LoadOptions;
import dev.clipstream.model.data.LabelledSource;
import dev.clipstream.model.preprocess.DecodedImage;
import dev.clipstream.model.preprocess.ImagePreprocessor;
import dev.clipstream.model.preprocess.PreprocessOptions;
import dev.clipstream.model.tokenizer.ClipTokenizer;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The evaluation's confusion matrix against predictions worked out independently, image by image.
 */
class ZeroShotEvaluationTest {

  @TempDir Path dir;

  /** Eight small colour images, each with a chosen true label. */
  record Tiny(List<String> truth) implements LabelledSource {
    @Override
    public int count() {
      return truth.size();
    }

    @Override
    public String label(int i) {
      return truth.get(i);
    }

    @Override
    public DecodedImage pixels(int i) {
      byte[] rgb = new byte[12 * 10 * 3];
      for (int p = 0; p < rgb.length; p++) {
        rgb[p] = (byte) ((p * (i + 3) * 37) % 256);
      }
      return new DecodedImage(12, 10, 3, rgb, false);
    }
  }

  @Test
  void countsEachImageUnderItsTrueLabelAndItsTopPrediction() throws Exception {
    Path weights = dir.resolve("w.safetensors");
    try (InputStream in =
        getClass().getResourceAsStream("/dev/clipstream/model/reference/weights.safetensors")) {
      Files.copy(in, weights);
    }
    LabelSet set =
        new LabelSet(
            "t",
            1,
            List.of(Label.named("cat"), Label.named("dog"), Label.named("car")),
            List.of("a photo of a {}."));
    Tiny images = new Tiny(List.of("cat", "dog", "car", "cat", "dog", "car", "cat", "cat"));
    ClipTokenizer tokenizer = ClipTokenizer.load();
    try (ClipModel model =
        ClipModel.load(
            weights,
            LoadOptions.builder()
                .optActivation(dev.clipstream.model.nn.Activation.QUICK_GELU)
                .build())) {
      int[][] expected = new int[3][3];
      try (NDManager m = model.newBatchManager()) {
        NDArray texts =
            new ClipTextEmbedder(model, tokenizer)
                .embed(m, set.labels().stream().map(l -> set.promptsOf(l).get(0)).toList());
        ImagePreprocessor pre =
            new ImagePreprocessor(PreprocessOptions.defaults(model.config().imageResolution()));
        int side = model.config().imageResolution();
        for (int i = 0; i < images.count(); i++) {
          NDArray f =
              model.encodeImage(
                  m.create(pre.preprocess(images.pixels(i)), new Shape(1, 3, side, side)));
          float[] sims = f.div(f.norm()).matMul(texts.transpose()).toFloatArray();
          int best = 0;
          for (int j = 1; j < sims.length; j++) {
            best = sims[j] > sims[best] ? j : best;
          }
          expected[set.names().indexOf(images.label(i))][best]++;
        }
      }

      EvaluationReport report = ZeroShotEvaluation.run(model, tokenizer, images, set);

      for (int i = 0; i < 3; i++) {
        assertArrayEquals(expected[i], report.confusion()[i], "row " + i);
      }
      assertEquals(8, report.total());
      assertEquals(
          (expected[0][0] + expected[1][1] + expected[2][2]) / 8.0, report.accuracy(), 1e-12);
    }
  }

  @Test
  void reportsAccuracyOverallPerClassAndOnASubset() {
    EvaluationReport r = new EvaluationReport(List.of("a", "b"), new int[][] {{3, 1}, {0, 4}});
    assertEquals(7 / 8.0, r.accuracy(), 1e-12);
    assertEquals(0.75, r.classAccuracy(0), 1e-12);
    assertEquals(1.0, r.accuracyOn(List.of("b")), 1e-12);
  }
}
