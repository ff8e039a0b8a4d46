package dev.clipstream.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Activation;

/** OpenAI's QuickGELU, {@code x * sigmoid(1.702 x)}, the activation CLIP was trained with. */
public final class QuickGelu {

  /** The slope OpenAI's {@code QuickGELU} uses to approximate GELU with a sigmoid. */
  public static final float SLOPE = 1.702f;

  private QuickGelu() {}

  /** Applies the activation elementwise; the result lives in {@code x}'s manager. */
  public static NDArray apply(NDArray x) {
    return x.mul(Activation.sigmoid(x.mul(Scalars.like(x, SLOPE))));
  }
}
