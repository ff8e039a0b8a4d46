package dev.clipstream.model.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.clipstream.model.engine.DjlRuntime;
import org.junit.jupiter.api.Test;

class ContrastiveLossTest {

  @Test
  void matchesCrossEntropyComputedByHandForTwoPairs() {
    try (NDManager m = DjlRuntime.engine().newBaseManager()) {
      NDArray images = m.create(new float[] {1, 0, 0, 1}, new Shape(2, 2));
      NDArray texts = m.create(new float[] {0.6f, 0.8f, 0, 1}, new Shape(2, 2));
      NDArray scale = m.create(10f);

      float loss = ContrastiveLoss.of(images, texts, scale, new int[] {0, 1}).getFloat();

      // logits = 10 * [[0.6, 0], [0.8, 1]]; image rows: CE of [6,0]->0 and [8,10]->1;
      // text rows (columns): CE of [6,8]->0 and [0,10]->1.
      double rows = (lse(6, 0) - 6 + lse(8, 10) - 10) / 2;
      double cols = (lse(6, 8) - 6 + lse(0, 10) - 10) / 2;
      assertEquals((rows + cols) / 2, loss, 1e-5);
    }
  }

  @Test
  void identicalCaptionsArePositivesOfEachOtherNotNegatives() {
    try (NDManager m = DjlRuntime.engine().newBaseManager()) {
      // Pairs 0 and 1 are two images of the same thing with the same caption.
      NDArray images = m.create(new float[] {1, 0, 1, 0, 0, 1}, new Shape(3, 2));
      NDArray texts = m.create(new float[] {1, 0, 1, 0, 0, 1}, new Shape(3, 2));
      NDArray scale = m.create(100f);

      float grouped = ContrastiveLoss.of(images, texts, scale, new int[] {7, 7, 3}).getFloat();
      float asNegatives = ContrastiveLoss.of(images, texts, scale, new int[] {0, 1, 2}).getFloat();

      assertTrue(
          grouped < 1e-3, "a perfect model has no loss when duplicates are positives: " + grouped);
      assertTrue(
          asNegatives > 0.4, "as negatives the duplicates cost about ln 2 each: " + asNegatives);
    }
  }

  @Test
  void spreadsEachRowsTargetEvenlyOverItsGroup() {
    try (NDManager m = DjlRuntime.engine().newBaseManager()) {
      float[] t = ContrastiveLoss.targets(m, new int[] {1, 2, 1, 1}).toFloatArray();
      assertEquals(1f / 3, t[0], 1e-6);
      assertEquals(0f, t[1]);
      assertEquals(1f / 3, t[2], 1e-6);
      assertEquals(1f, t[5], 1e-6);
    }
  }

  private static double lse(double a, double b) {
    double max = Math.max(a, b);
    return max + Math.log(Math.exp(a - max) + Math.exp(b - max));
  }
}
