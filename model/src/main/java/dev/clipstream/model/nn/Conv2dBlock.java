package dev.clipstream.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * {@code nn.Conv2d(in, out, kernel, stride, padding, bias=False)} on {@code [batch, channels, h,
 * w]}, as every convolution of OpenAI's ModifiedResNet is.
 */
public final class Conv2dBlock extends NamedBlock {

  private final long outChannels;
  private final int stride;
  private final int padding;
  private final int kernel;
  private final Parameter weight;

  /** A square {@code kernel} convolution from {@code in} to {@code out} channels, no bias. */
  public Conv2dBlock(long in, long out, int kernel, int stride, int padding) {
    this.outChannels = out;
    this.kernel = kernel;
    this.stride = stride;
    this.padding = padding;
    this.weight = declareParameter("weight", new Shape(out, in, kernel, kernel));
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
    NDArray x = inputs.head();
    return x.getNDArrayInternal()
        .convolution(
            x,
            value(store, weight, x, training),
            null,
            new Shape(stride, stride),
            new Shape(padding, padding),
            new Shape(1, 1),
            1);
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    Shape in = inputShapes[0];
    long h = (in.get(2) + 2L * padding - kernel) / stride + 1;
    long w = (in.get(3) + 2L * padding - kernel) / stride + 1;
    return new Shape[] {new Shape(in.get(0), outChannels, h, w)};
  }
}
