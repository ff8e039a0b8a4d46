package dev.clipstream.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.nio.FloatBuffer;

/**
 * Creates long-lived arrays in memory PyTorch allocates, staging at most {@link #STAGING_FLOATS}
 * values in JVM direct memory at a time.
 *
 * <p>On the CPU, DJL's {@code NDManager.create(float[])} leaves the tensor pointing into a Java
 * direct buffer for as long as the array lives. Model parameters held that way count against {@code
 * -XX:MaxDirectMemorySize}, which Flink task managers set to their off-heap and network budget (a
 * few hundred MB by default), so a ViT-B/32 (600 MB in float32) could not load there. Copying into
 * PyTorch's allocator leaves the JVM's direct memory free.
 */
public final class OwnedArrays {

  /** 4 Mi floats = 16 MiB of direct memory per staging step. */
  static final int STAGING_FLOATS = 1 << 22;

  private OwnedArrays() {}

  /** {@code values} of {@code shape} as a float32 array whose memory PyTorch owns. */
  public static NDArray copyOf(NDManager manager, float[] values, Shape shape) {
    if (values.length <= STAGING_FLOATS || shape.dimension() == 0) {
      try (NDArray staged = manager.create(values, shape)) {
        return staged.duplicate();
      }
    }
    long rows = shape.get(0);
    int rowSize = Math.toIntExact(values.length / rows);
    int rowsPerStep = Math.max(1, STAGING_FLOATS / rowSize);
    try (NDList steps = new NDList()) {
      for (int row = 0; row < rows; row += rowsPerStep) {
        int count = (int) Math.min(rowsPerStep, rows - row);
        FloatBuffer slice = FloatBuffer.wrap(values, row * rowSize, count * rowSize).slice();
        steps.add(manager.create(slice, new Shape(count).addAll(shape.slice(1))));
      }
      return NDArrays.concat(steps, 0);
    }
  }
}
