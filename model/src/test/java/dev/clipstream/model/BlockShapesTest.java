package dev.clipstream.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Every block predicts the shapes its forward pass produces, as DJL's Block contract asks. */
class BlockShapesTest {

  private static ClipModel model;
  private static ClipNetwork network;

  @BeforeAll
  static void initialise() throws Exception {
    model = ClipModel.initialise(ClipConfig.inferFrom(ClipConfigTest.referenceShapes()), 2);
    network = model.network();
    TrainingReadinessTest.readFixtures();
  }

  @AfterAll
  static void close() {
    model.close();
  }

  @Test
  void predictsTheShapesOfEveryTowerAndOfTheWholeNetwork() {
    try (NDManager batch = model.newBatchManager()) {
      NDList inputs =
          new NDList(TrainingReadinessTest.pixels(batch), TrainingReadinessTest.ids(batch));
      assertPredicted(network.visual(), new NDList(inputs.get(0)), batch);
      assertPredicted(network.text(), new NDList(inputs.get(1)), batch);
      assertPredicted(network, inputs, batch);
    }
  }

  @Test
  void refusesImagesOfAnotherResolutionWithTheExpectedShape() {
    Exception e =
        assertThrows(
            IllegalArgumentException.class,
            () -> network.visual().getOutputShapes(new Shape[] {new Shape(1, 3, 224, 224)}));
    assertTrue(e.getMessage().contains("[batch, 3, 32, 32]"));
  }

  private static void assertPredicted(Block block, NDList inputs, NDManager manager) {
    Shape[] predicted = block.getOutputShapes(inputs.getShapes());
    NDList outputs = block.forward(new ParameterStore(manager, false), inputs, false);
    assertArrayEquals(outputs.getShapes(), predicted, block.getClass().getSimpleName());
  }
}
