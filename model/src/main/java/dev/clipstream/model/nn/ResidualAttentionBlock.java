package dev.clipstream.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * One pre-norm transformer block: {@code x + attn(ln_1(x))}, then {@code x + mlp(ln_2(x))}.
 *
 * <p>Input {@code [batch, tokens, width]} and optionally an additive attention mask.
 */
public final class ResidualAttentionBlock extends NamedBlock {

  private final MultiHeadSelfAttention attn;
  private final LayerNormBlock ln1;
  private final Mlp mlp;
  private final LayerNormBlock ln2;

  /** A block of the given width and head count, MLP activation and layer-norm epsilon. */
  public ResidualAttentionBlock(long width, long heads, Activation activation, float epsilon) {
    // Declared in OpenAI's attribute order, so saved files list tensors as its state_dict does.
    this.attn = declareChild("attn", new MultiHeadSelfAttention(width, heads));
    this.ln1 = declareChild("ln_1", new LayerNormBlock(width, epsilon));
    this.mlp = declareChild("mlp", new Mlp(width, activation));
    this.ln2 = declareChild("ln_2", new LayerNormBlock(width, epsilon));
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
    NDArray x = inputs.head();
    NDList attnInputs = new NDList(ln1.forward(store, new NDList(x), training).head());
    if (inputs.size() > 1) {
      attnInputs.add(inputs.get(1));
    }
    x = x.add(attn.forward(store, attnInputs, training).head());
    NDList normed = ln2.forward(store, new NDList(x), training);
    return new NDList(x.add(mlp.forward(store, normed, training).head()));
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return new Shape[] {inputShapes[0]};
  }
}
