package dev.clipstream.model.vision;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import dev.clipstream.model.nn.LinearBlock;
import dev.clipstream.model.nn.NamedBlock;
import dev.clipstream.model.nn.Scalars;

/**
 * OpenAI's {@code AttentionPool2d}: the feature map flattened to {@code grid²} tokens, their mean
 * prepended as a query token, learned positions added, then one multi-head attention step (separate
 * {@code q_proj}, {@code k_proj}, {@code v_proj}, output {@code c_proj}) whose first token is the
 * image's feature.
 *
 * <p>Input {@code [batch, width, grid, grid]}, output {@code [batch, outputDim]}. Only the query of
 * the mean token is computed: the other tokens' outputs are never used.
 */
final class AttentionPool2d extends NamedBlock {

  private final long width;
  private final long heads;
  private final Parameter positionalEmbedding;
  private final LinearBlock kProj;
  private final LinearBlock qProj;
  private final LinearBlock vProj;
  private final LinearBlock cProj;

  AttentionPool2d(long grid, long width, long heads, long outputDim) {
    if (heads < 1 || width % heads != 0) {
      throw new IllegalArgumentException(width + " is not divisible into " + heads + " heads");
    }
    this.width = width;
    this.heads = heads;
    this.positionalEmbedding =
        declareParameter("positional_embedding", new Shape(grid * grid + 1, width));
    this.kProj = declareChild("k_proj", new LinearBlock(width, width));
    this.qProj = declareChild("q_proj", new LinearBlock(width, width));
    this.vProj = declareChild("v_proj", new LinearBlock(width, width));
    this.cProj = declareChild("c_proj", new LinearBlock(width, outputDim));
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
    NDArray map = inputs.head();
    long batch = map.getShape().get(0);
    NDArray tokens = map.reshape(batch, width, -1).transpose(0, 2, 1); // [batch, grid², width]
    NDArray x = tokens.mean(new int[] {1}, true).concat(tokens, 1);
    x = x.add(value(store, positionalEmbedding, x, training));
    long count = x.getShape().get(1);
    long headWidth = width / heads;
    NDArray q = qProj.forward(store, new NDList(x.get(":, :1, :")), training).head();
    q = q.reshape(batch, 1, heads, headWidth).transpose(0, 2, 1, 3);
    q = q.div(Scalars.like(q, (float) Math.sqrt(headWidth)));
    NDArray k = split(kProj.forward(store, new NDList(x), training).head(), batch, count);
    NDArray v = split(vProj.forward(store, new NDList(x), training).head(), batch, count);
    NDArray mixed =
        q.matMul(k.transpose(0, 1, 3, 2)) // [batch, heads, 1, count]
            .softmax(-1)
            .matMul(v)
            .transpose(0, 2, 1, 3)
            .reshape(batch, width);
    return cProj.forward(store, new NDList(mixed), training);
  }

  private NDArray split(NDArray projected, long batch, long count) {
    return projected.reshape(batch, count, heads, width / heads).transpose(0, 2, 1, 3);
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return cProj.getOutputShapes(new Shape[] {new Shape(inputShapes[0].get(0), width)});
  }
}
