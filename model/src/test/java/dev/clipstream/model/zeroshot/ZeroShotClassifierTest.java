package dev.clipstream.model.zeroshot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.clipstream.model.engine.DjlRuntime;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The classifier's own logic (prompt ensembling, caching, top-k) with a transparent text embedder
 * whose embeddings are known; the real CLIP text encoder is exercised in the model's tests.
 */
class ZeroShotClassifierTest {

  /**
   * Embeds a text on axis 0 if it mentions a cat, axis 1 for a dog, axis 2 otherwise; counts
   * prompts.
   */
  static final class AxisEmbedder implements TextEmbedder {
    final List<String> seen = new ArrayList<>();

    @Override
    public NDArray embed(NDManager manager, List<String> texts) {
      seen.addAll(texts);
      float[] v = new float[texts.size() * 3];
      for (int i = 0; i < texts.size(); i++) {
        String t = texts.get(i);
        int axis = t.contains("cat") ? 0 : t.contains("dog") ? 1 : 2;
        v[i * 3 + axis] = 1;
        // every template also leans a little on axis 2, which the ensemble mean keeps
        v[i * 3 + 2] += t.startsWith("a photo") ? 0.1f : 0.3f;
      }
      NDArray e = manager.create(v, new Shape(texts.size(), 3));
      return e.div(e.norm(new int[] {1}, true));
    }
  }

  @Test
  void picksTheLabelWhoseEnsembledPromptsAreClosestToTheImage() {
    AxisEmbedder embedder = new AxisEmbedder();
    LabelSet pets =
        new LabelSet(
            "pets",
            1,
            List.of(Label.named("cat"), Label.named("dog")),
            List.of("a photo of a {}.", "art of the {}."));
    try (NDManager m = DjlRuntime.engine().newBaseManager();
        ZeroShotClassifier classifier = new ZeroShotClassifier(embedder, m)) {
      NDArray images = m.create(new float[] {0.1f, 0.995f, 0, 0.995f, 0.1f, 0}, new Shape(2, 3));

      List<List<ScoredLabel>> top = classifier.classify(images, pets, "v1", 100f, 2);

      assertEquals("dog", top.get(0).get(0).label());
      assertEquals("cat", top.get(1).get(0).label());
      assertEquals(1f, top.get(0).get(0).probability() + top.get(0).get(1).probability(), 1e-5);
      assertTrue(top.get(0).get(0).probability() > 0.99f);
      assertEquals(4, embedder.seen.size(), "two labels × two templates");
    }
  }

  @Test
  void averagesPromptEmbeddingsAndRenormalises() {
    LabelSet set =
        new LabelSet(
            "one", 1, List.of(Label.named("cat")), List.of("a photo of a {}.", "art of the {}."));
    try (NDManager m = DjlRuntime.engine().newBaseManager();
        ZeroShotClassifier classifier = new ZeroShotClassifier(new AxisEmbedder(), m)) {
      float[] column = classifier.labelMatrix(set, "v1").toFloatArray();
      double a = 1 / Math.sqrt(1 + 0.01);
      double b = 1 / Math.sqrt(1 + 0.09);
      double x = (a + b) / 2;
      double z = (0.1 * a + 0.3 * b) / 2;
      double n = Math.hypot(x, z);
      assertEquals(x / n, column[0], 1e-5);
      assertEquals(z / n, column[2], 1e-5);
    }
  }

  @Test
  void embedsPromptsOncePerLabelSetVersionAndModelVersion() {
    AxisEmbedder embedder = new AxisEmbedder();
    LabelSet v1 = LabelSet.of("pets", 1, List.of("cat", "dog"));
    LabelSet v2 = LabelSet.of("pets", 2, List.of("cat", "dog", "bird"));
    int perLabel = PromptTemplates.DEFAULT.size();
    try (NDManager m = DjlRuntime.engine().newBaseManager();
        ZeroShotClassifier classifier = new ZeroShotClassifier(embedder, m)) {
      NDArray image = m.create(new float[] {1, 0, 0}, new Shape(1, 3));

      classifier.classify(image, v1, "model-a", 100f, 1);
      classifier.classify(image, v1, "model-a", 100f, 1);
      assertEquals(2 * perLabel, embedder.seen.size(), "second batch uses the cached matrix");

      List<List<ScoredLabel>> top = classifier.classify(image, v2, "model-a", 100f, 3);
      assertEquals(
          2 * perLabel + 3 * perLabel, embedder.seen.size(), "a new label-set version re-embeds");
      assertEquals(3, top.get(0).size());
      assertFalse(classifier.isCached(v1, "model-a"));

      classifier.classify(image, v2, "model-b", 100f, 1);
      assertEquals(2 * perLabel + 6 * perLabel, embedder.seen.size(), "a new model re-embeds");
      assertTrue(classifier.isCached(v2, "model-b"));
    }
  }

  @Test
  void refusesALabelSetWithDuplicateNamesOrATemplateWithoutPlaceholder() {
    assertThrows(IllegalArgumentException.class, () -> LabelSet.of("x", 1, List.of("cat", "cat")));
    assertThrows(
        IllegalArgumentException.class,
        () -> new LabelSet("x", 1, List.of(Label.named("cat")), List.of("a photo")));
  }
}
