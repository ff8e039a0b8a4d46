package dev.clipstream.model.nn;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/** {@code nn.Linear}: {@code y = x W^T + b} over the last axis, with PyTorch's names and layout. */
public final class LinearBlock extends NamedBlock {

  private final long outFeatures;
  private final Parameter weight;
  private final Parameter bias;

  /** A layer from {@code inFeatures} to {@code outFeatures} with a bias. */
  public LinearBlock(long inFeatures, long outFeatures) {
    this.outFeatures = outFeatures;
    this.weight = declareParameter("weight", new Shape(outFeatures, inFeatures));
    this.bias = declareParameter("bias", new Shape(outFeatures));
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
    var x = inputs.head();
    return Linear.linear(x, value(store, weight, x, training), value(store, bias, x, training));
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    Shape in = inputShapes[0];
    return new Shape[] {in.slice(0, in.dimension() - 1).add(outFeatures)};
  }
}
