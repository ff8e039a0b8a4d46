package dev.clipstream.model.fewshot;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clipstream.model.features.Vectors;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How examples and text combine into a label's weights. */
class AdaptedLabelsTest {

  private static final float[] X = {1, 0, 0};
  private static final float[] Y = {0, 1, 0};
  private static final float[] Z = {0, 0, 1};

  @Test
  void aLabelWithoutExamplesKeepsItsTextWeights() {
    ClassPrototypes none = new ClassPrototypes(3);
    AdaptedLabels labels = AdaptedLabels.blend(List.of("a", "b"), new float[][] {X, Y}, none, 4);
    assertArrayEquals(X, labels.weights()[0]);
    assertArrayEquals(Y, labels.weights()[1]);
    assertEquals(List.of(LabelSource.TEXT, LabelSource.TEXT), labels.sources());
  }

  @Test
  void examplesMoveALabelByTheirShareOfThePrior() {
    ClassPrototypes examples = new ClassPrototypes(3);
    for (int i = 0; i < 4; i++) {
      examples.add("a", Z);
    }
    // Four examples against a prior worth four: half text, half prototype.
    AdaptedLabels labels = AdaptedLabels.blend(List.of("a"), new float[][] {X}, examples, 4);
    float h = (float) Math.sqrt(0.5);
    assertArrayEquals(new float[] {h, 0, h}, labels.weights()[0], 1e-6f);
    assertEquals(LabelSource.BOTH, labels.sources().get(0));
    // Every label has examples: none is on the text scale, so none is shifted.
    assertArrayEquals(new float[] {0}, labels.offsets());
  }

  @Test
  void aLabelTaughtByExamplesAloneIsAddedAfterTheTextLabels() {
    ClassPrototypes examples = new ClassPrototypes(3);
    examples.add("new", Z);
    examples.add("new", Vectors.normalised(new float[] {0, 0.1f, 1}));
    AdaptedLabels labels =
        AdaptedLabels.blend(List.of("a", "b"), new float[][] {X, Y}, examples, 4);
    assertEquals(List.of("a", "b", "new"), labels.names());
    assertEquals(LabelSource.EXAMPLES, labels.sources().get(2));
    assertEquals("new", labels.top(Z, 100f, 1).get(0).label());
    // Held back onto the text labels' scale, an example still wins by its margin over them.
    assertTrue(labels.probabilities(Z, 100f)[2] > 0.9f);
  }

  @Test
  void aTaughtLabelIsHeldBackByHowMuchCloserItsExamplesAreThanTheNearestTextLabel() {
    float[] v = {0.6f, 0, 0.8f};
    ClassPrototypes examples = new ClassPrototypes(3);
    examples.add("new", v);
    AdaptedLabels labels =
        AdaptedLabels.blend(List.of("a", "b"), new float[][] {X, Y}, examples, 4);
    // Its example lies at cosine 1 from its prototype and 0.6 from the nearest text label, a.
    assertArrayEquals(new float[] {0, 0, 0.4f}, labels.offsets(), 1e-6f);
    float[] p = labels.probabilities(v, 100f);
    assertEquals(p[0], p[2], 1e-5f);
    assertEquals("new", labels.top(Z, 100f, 1).get(0).label());
  }

  @Test
  void refusesANegativePrior() {
    assertThrows(
        IllegalArgumentException.class,
        () -> AdaptedLabels.blend(List.of("a"), new float[][] {X}, new ClassPrototypes(3), -1));
  }

  @Test
  void prototypesAreTheNormalisedMeanAndCountTheirVersion() {
    ClassPrototypes p = new ClassPrototypes(3);
    p.add("a", X);
    p.add("a", Y);
    float h = (float) Math.sqrt(0.5);
    assertArrayEquals(new float[] {h, h, 0}, p.prototype("a"), 1e-6f);
    assertEquals(2, p.count("a"));
    assertEquals(2, p.version());
    assertEquals(null, p.prototype("b"));
    assertThrows(IllegalArgumentException.class, () -> p.add("a", new float[2]));
  }
}
