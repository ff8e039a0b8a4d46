package dev.clipstream.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.List;

/**
 * OpenAI's {@code Transformer}: {@code layers} residual attention blocks named {@code resblocks.0},
 * {@code resblocks.1}, ...
 *
 * <p>Input {@code [batch, tokens, width]} and optionally an additive {@code [tokens, tokens]} mask
 * shared by every block. Each block runs in its own {@link Scopes#keep scope}, so a forward pass
 * holds one block's temporaries at a time rather than every layer's.
 */
public final class Transformer extends NamedBlock {

  private final List<ResidualAttentionBlock> blocks = new ArrayList<>();

  /** {@code layers} blocks of the given width, head count, activation and layer-norm epsilon. */
  public Transformer(long width, int layers, long heads, Activation activation, float epsilon) {
    if (layers < 1) {
      throw new IllegalArgumentException("a transformer needs at least one layer, not " + layers);
    }
    for (int i = 0; i < layers; i++) {
      blocks.add(
          declareChild(
              "resblocks." + i, new ResidualAttentionBlock(width, heads, activation, epsilon)));
    }
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
    NDArray x = inputs.head();
    for (ResidualAttentionBlock block : blocks) {
      NDList blockInputs = new NDList(x);
      if (inputs.size() > 1) {
        blockInputs.add(inputs.get(1));
      }
      x = Scopes.keep(() -> block.forward(store, blockInputs, training)).head();
    }
    return new NDList(x);
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return new Shape[] {inputShapes[0]};
  }
}
