package dev.clipstream.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import dev.clipstream.model.nn.GradMode;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Serving neither leaks native memory, nor records autograd graphs, nor races between threads. */
class ServingSafetyTest {

  private static final int BATCHES = 50;
  private static final int THREADS = 4;
  private static ClipModel model;

  @BeforeAll
  static void initialise() throws Exception {
    // A trainable model is the hard case: its parameters require gradients.
    model = ClipModel.initialise(ClipConfig.inferFrom(ClipConfigTest.referenceShapes()), 1);
    TrainingReadinessTest.readFixtures();
  }

  @AfterAll
  static void close() {
    model.close();
  }

  @Test
  void freesEveryTemporaryOfEveryBatch() {
    NDManager modelManager =
        (NDManager) model.parameters().get("visual.proj").getArray().getManager();
    int parameterArrays = modelManager.getManagedArrays().size();

    for (int i = 0; i < BATCHES; i++) {
      try (NDManager batch = model.newBatchManager()) {
        model.encodeImage(TrainingReadinessTest.pixels(batch));
        model.encodeText(TrainingReadinessTest.ids(batch));
        assertEquals(
            4, batch.getManagedArrays().size(), "two inputs and two results, nothing else");
      }
      assertEquals(parameterArrays, modelManager.getManagedArrays().size(), "batch " + i);
    }
    assertEquals(model.parameters().size(), parameterArrays);
  }

  @Test
  void recordsNoGraphOnAThreadWhosePyTorchGradModeIsOn() throws Exception {
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try {
      Future<boolean[]> seen =
          pool.submit(
              () -> {
                boolean before = GradMode.isEnabled(); // PyTorch's default on a new thread
                try (NDManager batch = model.newBatchManager()) {
                  NDArray features = model.encodeImage(TrainingReadinessTest.pixels(batch));
                  return new boolean[] {
                    before, JniUtils.requiresGrad((PtNDArray) features), GradMode.isEnabled()
                  };
                }
              });
      boolean[] result = seen.get();
      assertTrue(result[0], "a fresh thread starts with grad mode on: the hazard this guards");
      assertFalse(result[1], "inference must not build an autograd graph");
      assertTrue(result[2], "the thread's grad mode is restored after the call");
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void givesTheSameFeaturesFromSeveralThreadsAtOnce() throws Exception {
    float[] expectedImages;
    float[] expectedTexts;
    try (NDManager batch = model.newBatchManager()) {
      expectedImages = model.encodeImage(TrainingReadinessTest.pixels(batch)).toFloatArray();
      expectedTexts = model.encodeText(TrainingReadinessTest.ids(batch)).toFloatArray();
    }
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    try {
      List<Callable<float[][]>> tasks = new ArrayList<>();
      for (int t = 0; t < THREADS * 3; t++) {
        tasks.add(
            () -> {
              try (NDManager batch = model.newBatchManager()) {
                return new float[][] {
                  model.encodeImage(TrainingReadinessTest.pixels(batch)).toFloatArray(),
                  model.encodeText(TrainingReadinessTest.ids(batch)).toFloatArray()
                };
              }
            });
      }
      for (Future<float[][]> result : pool.invokeAll(tasks)) {
        assertArrayEquals(expectedImages, result.get()[0]);
        assertArrayEquals(expectedTexts, result.get()[1]);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void keepsParametersOutOfJvmDirectMemoryAsFlinkTaskManagersCapIt() throws Exception {
    long before = directMemoryAfterGc();
    try (ClipModel loaded = ClipModel.load(ReferenceFixtures.weights(), LoadOptions.defaults())) {
      long parameterBytes = 0;
      for (var parameter : loaded.parameters().values()) {
        parameterBytes += parameter.getArray().size() * Float.BYTES;
      }

      long held = directMemoryAfterGc() - before;
      assertTrue(held < parameterBytes / 100, held + " direct bytes held for " + parameterBytes);
    }
  }

  private static long directMemoryAfterGc() throws InterruptedException {
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(20); // the Cleaner thread frees collected buffers' memory
    }
    for (BufferPoolMXBean pool : ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class)) {
      if (pool.getName().equals("direct")) {
        return pool.getMemoryUsed();
      }
    }
    throw new IllegalStateException("the JVM reports no direct buffer pool");
  }
}
