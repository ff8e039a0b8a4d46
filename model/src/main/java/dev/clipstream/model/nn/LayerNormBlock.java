package dev.clipstream.model.nn;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * {@code nn.LayerNorm(width)} over the last axis, computed in float32 as OpenAI's subclass does.
 */
public final class LayerNormBlock extends NamedBlock {

  /** {@code nn.LayerNorm}'s default epsilon, which OpenAI's CLIP keeps. */
  public static final float EPSILON = 1e-5f;

  private final float epsilon;

  private final Shape normalizedShape;
  private final Parameter weight;
  private final Parameter bias;

  /** A layer normalising vectors of {@code width} values with PyTorch's default epsilon. */
  public LayerNormBlock(long width) {
    this(width, EPSILON);
  }

  /**
   * A layer normalising vectors of {@code width} values, adding {@code epsilon} to the variance.
   */
  public LayerNormBlock(long width, float epsilon) {
    this.epsilon = epsilon;
    this.normalizedShape = new Shape(width);
    this.weight = declareParameter("weight", normalizedShape);
    this.bias = declareParameter("bias", normalizedShape);
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
    var x = inputs.head();
    return LayerNorm.layerNorm(
        x,
        normalizedShape,
        value(store, weight, x, training),
        value(store, bias, x, training),
        epsilon);
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return new Shape[] {inputShapes[0]};
  }
}
