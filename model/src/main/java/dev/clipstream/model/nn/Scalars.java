package dev.clipstream.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * Scalar constants as tensors whose memory PyTorch owns, for use in differentiable arithmetic.
 *
 * <p>On the CPU, DJL's {@code mul(Number)} and {@code div(Number)} wrap the number in a tensor over
 * a Java direct buffer ({@code from_blob}) and close it at once. Autograd saves that tensor for the
 * backward pass, and once the JVM collects the buffer, backward reads freed memory: gradients come
 * out as garbage (checked here: 3·x gave a gradient of -9.4e32 after a GC). A tensor made by {@code
 * full} is allocated by PyTorch, so autograd's reference keeps it alive.
 */
public final class Scalars {
  private Scalars() {}

  /** {@code value} as a 0-d tensor of {@code like}'s type, on its device. */
  public static NDArray like(NDArray like, float value) {
    return like.getManager()
        .full(new Shape(), value, like.getDataType())
        .toDevice(like.getDevice(), false);
  }
}
