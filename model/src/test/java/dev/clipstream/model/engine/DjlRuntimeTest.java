package dev.clipstream.model.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.util.Utils;
import org.junit.jupiter.api.Test;

class DjlRuntimeTest {

  @Test
  void runsAMatrixProductOnPyTorchWithTheOfflineFlagOn() {
    var engine = DjlRuntime.engine();

    assertTrue(Utils.isOfflineMode(), "clipstream must run DJL offline");
    assertEquals("PyTorch", engine.getEngineName());
    try (NDManager manager = engine.newBaseManager()) {
      NDArray a = manager.create(new float[] {1, 2, 3, 4}, new ai.djl.ndarray.types.Shape(2, 2));
      NDArray b = manager.create(new float[] {5, 6, 7, 8}, new ai.djl.ndarray.types.Shape(2, 2));
      assertArrayEquals(new float[] {19, 22, 43, 50}, a.matMul(b).toFloatArray());
    }
  }

  @Test
  void describesTheEngineVersionTheBuildPins() {
    DjlRuntime.RuntimeInfo info = DjlRuntime.describe();

    assertEquals("2.7.1", info.engineVersion());
    assertTrue(info.offline());
    assertTrue(info.intraOpThreads() >= 1);
    assertTrue(info.oneLine().contains("PyTorch 2.7.1"), info.oneLine());
  }
}
