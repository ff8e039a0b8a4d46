package dev.clipstream.model.nn;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/** A transformer block's feed-forward part: {@code c_fc} → the activation → {@code c_proj}. */
public final class Mlp extends NamedBlock {

  /** OpenAI's blocks widen the hidden layer to four times the model width. */
  public static final int WIDTH_RATIO = 4;

  private final LinearBlock fc;
  private final LinearBlock proj;
  private final Activation activation;

  /** The feed-forward part of a {@code width}-wide block. */
  public Mlp(long width, Activation activation) {
    this.activation = activation;
    this.fc = declareChild("c_fc", new LinearBlock(width, WIDTH_RATIO * width));
    this.proj = declareChild("c_proj", new LinearBlock(WIDTH_RATIO * width, width));
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
    var hidden = fc.forward(store, inputs, training).head();
    return proj.forward(store, new NDList(activation.apply(hidden)), training);
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return new Shape[] {inputShapes[0]};
  }
}
