package dev.clipstream.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * {@code nn.BatchNorm2d(channels)} in inference mode: normalised with the checkpoint's {@code
 * running_mean} and {@code running_var}, never with batch statistics, so an image's features do not
 * depend on the other images of its batch. Training passes use the same running statistics (frozen
 * BatchNorm, as fine-tuning usually does) and never update them.
 */
public final class BatchNormBlock extends NamedBlock {

  /** {@code nn.BatchNorm2d}'s default epsilon, which OpenAI's ModifiedResNet keeps. */
  public static final float EPSILON = 1e-5f;

  private final Parameter weight;
  private final Parameter bias;
  private final Parameter runningMean;
  private final Parameter runningVar;

  /** Normalisation of {@code channels} channels (axis 1). */
  public BatchNormBlock(long channels) {
    Shape shape = new Shape(channels);
    // In PyTorch's state_dict order: weight, bias, then the buffers.
    this.weight = declareParameter("weight", shape);
    this.bias = declareParameter("bias", shape);
    this.runningMean = declareBuffer("running_mean", shape);
    this.runningVar = declareBuffer("running_var", shape);
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
    NDArray x = inputs.head();
    return BatchNorm.batchNorm(
        x,
        value(store, runningMean, x, false),
        value(store, runningVar, x, false),
        value(store, weight, x, training),
        value(store, bias, x, training),
        1,
        0f,
        EPSILON,
        false);
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return new Shape[] {inputShapes[0]};
  }
}
