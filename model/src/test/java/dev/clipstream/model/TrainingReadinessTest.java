package dev.clipstream.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.clipstream.model.engine.DjlRuntime;
import dev.clipstream.model.nn.GarbageChurn;
import dev.clipstream.model.nn.Scalars;
import dev.clipstream.model.weights.SafeTensorsFile;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A freshly initialised CLIP is deterministic, finite, and trainable in every parameter. */
class TrainingReadinessTest {

  private static final int PAIRS = 6;

  /** Same model, same data: only float summation order may differ between two runs. */
  private static final double GRADIENT_AGREEMENT = 1e-5;

  private static ClipConfig config;
  private static SafeTensorsFile io;

  @BeforeAll
  static void readFixtures() throws IOException {
    config = ClipConfig.inferFrom(ClipConfigTest.referenceShapes());
    io = SafeTensorsFile.read(ReferenceFixtures.io());
  }

  @Test
  void initialisesTheSameValuesForTheSameSeedAndOthersForAnother() {
    try (ClipModel a = ClipModel.initialise(config, 3);
        ClipModel b = ClipModel.initialise(config, 3);
        ClipModel c = ClipModel.initialise(config, 4)) {
      a.parameters()
          .forEach(
              (name, p) ->
                  assertArrayEquals(
                      p.getArray().toFloatArray(),
                      b.parameters().get(name).getArray().toFloatArray(),
                      name));
      assertFalse(
          java.util.Arrays.equals(
              a.parameters().get("visual.proj").getArray().toFloatArray(),
              c.parameters().get("visual.proj").getArray().toFloatArray()));
      assertEquals((float) (1 / 0.07), a.logitScale(), 1e-4f, "CLIP starts at temperature 0.07");
    }
  }

  @Test
  void givesFiniteFeaturesFromTheStart() {
    try (ClipModel model = ClipModel.initialise(config, 5);
        NDManager batch = model.newBatchManager()) {
      NDArray images = model.encodeImage(pixels(batch));
      NDArray texts = model.encodeText(ids(batch));

      assertEquals(new Shape(PAIRS, config.embedDim()), images.getShape());
      assertEquals(new Shape(PAIRS, config.embedDim()), texts.getShape());
      assertTrue(isFinite(images) && isFinite(texts));
    }
  }

  @Test
  void backpropagatesAContrastiveLossIntoEveryParameter() throws InterruptedException {
    Map<String, float[]> gradients = gradients(false);

    List<String> dead = new ArrayList<>();
    gradients.forEach(
        (name, gradient) -> {
          if (!allFinite(gradient) || maxAbs(gradient) == 0f) {
            dead.add(name);
          }
        });
    assertTrue(dead.isEmpty(), "parameters without a finite non-zero gradient: " + dead);
    assertEquals(config.expectedShapes().keySet(), gradients.keySet());
  }

  @Test
  void computesTheSameGradientsWhenTheJvmCollectsGarbageBeforeBackward()
      throws InterruptedException {
    Map<String, float[]> calm = gradients(false);
    Map<String, float[]> churned = gradients(true);

    List<String> differing = new ArrayList<>();
    calm.forEach(
        (name, gradient) -> {
          if (ReferenceCheck.relativeError(churned.get(name), gradient) > GRADIENT_AGREEMENT) {
            differing.add(name);
          }
        });
    assertTrue(differing.isEmpty(), "gradients read freed memory: " + differing);
  }

  /** Each parameter's gradient of the loss on the first pairs, from a fresh seeded model. */
  private static Map<String, float[]> gradients(boolean churnBeforeBackward)
      throws InterruptedException {
    Map<String, float[]> out = new LinkedHashMap<>();
    try (ClipModel model = ClipModel.initialise(config, 9);
        NDManager batch = model.newBatchManager()) {
      try (GradientCollector collector = DjlRuntime.engine().newGradientCollector()) {
        NDArray loss = contrastiveLoss(model.forward(pixels(batch), ids(batch), true), batch);
        if (churnBeforeBackward) {
          GarbageChurn.run(); // temporaries the graph still needs must survive this
        }
        collector.backward(loss);
      }
      model
          .parameters()
          .forEach(
              (name, parameter) -> {
                try (NDArray gradient = parameter.getArray().getGradient()) {
                  out.put(name, gradient.toFloatArray());
                }
              });
    }
    return out;
  }

  /** CLIP's symmetric cross-entropy: pair i's image and text are each other's class. */
  static NDArray contrastiveLoss(NDList logits, NDManager manager) {
    NDArray matches = manager.eye(PAIRS);
    NDArray perImage = logits.get(0).logSoftmax(1).mul(matches).sum().neg();
    NDArray perText = logits.get(1).logSoftmax(1).mul(matches).sum().neg();
    return perImage.add(perText).div(Scalars.like(perImage, 2 * PAIRS));
  }

  static NDArray pixels(NDManager manager) {
    return manager.create(io.floats("pixel_values"), new Shape(PAIRS, 3, 32, 32));
  }

  static NDArray ids(NDManager manager) {
    long[] all = io.longs("input_ids");
    return manager.create(java.util.Arrays.copyOf(all, PAIRS * 77), new Shape(PAIRS, 77));
  }

  private static boolean isFinite(NDArray array) {
    return allFinite(array.toFloatArray());
  }

  private static boolean allFinite(float[] values) {
    for (float v : values) {
      if (!Float.isFinite(v)) {
        return false;
      }
    }
    return true;
  }

  private static float maxAbs(float[] values) {
    float max = 0;
    for (float v : values) {
      max = Math.max(max, Math.abs(v));
    }
    return max;
  }
}
