package dev.clipstream.model.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import dev.clipstream.model.engine.DjlRuntime;
import org.junit.jupiter.api.Test;

/** Scalar constants stay valid for backward however soon Java lets go of them. */
class ScalarsTest {

  @Test
  void keepsAClosedScalarValidForBackwardAfterTheJvmCollectsGarbage() throws Exception {
    Engine engine = DjlRuntime.engine();
    try (NDManager manager = engine.newBaseManager()) {
      NDArray x = manager.create(new float[] {1, 2, 3});
      x.setRequiresGradient(true);
      try (GradientCollector collector = engine.newGradientCollector()) {
        NDArray y;
        try (NDArray three = Scalars.like(x, 3f)) {
          y = x.mul(three);
        }
        GarbageChurn.run();
        collector.backward(y.sum());
      }

      assertArrayEquals(new float[] {3, 3, 3}, x.getGradient().toFloatArray());
    }
  }
}
