package dev.clipstream.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * Self-attention as {@code nn.MultiheadAttention(width, heads)} computes it: one fused input
 * projection ({@code in_proj_weight} rows are q, k, v), queries divided by sqrt(head width), an
 * optional additive mask, softmax over keys, then {@code out_proj}.
 *
 * <p>Input {@code [batch, tokens, width]} (batch first, unlike OpenAI's sequence-first layout,
 * which changes no numbers) and optionally a {@code [tokens, tokens]} mask; output as the input.
 */
public final class MultiHeadSelfAttention extends NamedBlock {

  private final long width;
  private final long heads;
  private final Parameter inProjWeight;
  private final Parameter inProjBias;
  private final LinearBlock outProj;

  /** Attention over {@code width}-wide tokens split into {@code heads} heads. */
  public MultiHeadSelfAttention(long width, long heads) {
    if (heads < 1 || width % heads != 0) {
      throw new IllegalArgumentException(width + " is not divisible into " + heads + " heads");
    }
    this.width = width;
    this.heads = heads;
    this.inProjWeight = declareParameter("in_proj_weight", new Shape(3 * width, width));
    this.inProjBias = declareParameter("in_proj_bias", new Shape(3 * width));
    this.outProj = declareChild("out_proj", new LinearBlock(width, width));
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
    NDArray x = inputs.head();
    long batch = x.getShape().get(0);
    long tokens = x.getShape().get(1);
    long headWidth = width / heads;
    NDArray qkv =
        Linear.linear(
                x, value(store, inProjWeight, x, training), value(store, inProjBias, x, training))
            .head()
            .reshape(batch, tokens, 3, heads, headWidth)
            .transpose(2, 0, 3, 1, 4); // [q|k|v, batch, heads, tokens, headWidth]
    NDArray q = qkv.get(0);
    q = q.div(Scalars.like(q, (float) Math.sqrt(headWidth)));
    NDArray scores = q.matMul(qkv.get(1).transpose(0, 1, 3, 2));
    if (inputs.size() > 1) {
      scores = scores.add(inputs.get(1));
    }
    NDArray mixed =
        scores.softmax(-1).matMul(qkv.get(2)).transpose(0, 2, 1, 3).reshape(batch, tokens, width);
    return outProj.forward(store, new NDList(mixed), training);
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return new Shape[] {inputShapes[0]};
  }
}
