package dev.clipstream.model.text;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import dev.clipstream.model.nn.Activation;
import dev.clipstream.model.nn.LayerNormBlock;
import dev.clipstream.model.nn.NamedBlock;
import dev.clipstream.model.nn.Transformer;

/**
 * OpenAI's text encoder: token embeddings plus learned positions → a causally masked transformer →
 * {@code ln_final} of the feature at each row's end-of-text token → {@code text_projection}.
 *
 * <p>Input {@code [batch, tokens]} int64 ids with {@code tokens <= contextLength}; output {@code
 * [batch, embedDim]}, not normalised (as OpenAI's {@code encode_text}). The end-of-text token is
 * found as the row's largest id, as OpenAI does: it is the last entry of CLIP's vocabulary. Under
 * the causal mask no position sees a later one, so padding after the last end-of-text token never
 * changes the result: rows may be shorter than the context, and the padding of full-length rows is
 * dropped before any work is done on it.
 */
public final class TextTransformer extends NamedBlock {

  private final int contextLength;
  private final long width;
  private final long embedDim;
  private final Parameter tokenEmbedding;
  private final Parameter positionalEmbedding;
  private final Transformer transformer;
  private final LayerNormBlock lnFinal;
  private final Parameter textProjection;

  /** The encoder with OpenAI's constructor arguments, its MLP activation and layer-norm epsilon. */
  public TextTransformer(
      int contextLength,
      long vocabSize,
      long width,
      long heads,
      int layers,
      long embedDim,
      Activation activation,
      float epsilon) {
    this.contextLength = contextLength;
    this.width = width;
    this.embedDim = embedDim;
    this.tokenEmbedding = declareParameter("token_embedding.weight", new Shape(vocabSize, width));
    this.positionalEmbedding =
        declareParameter("positional_embedding", new Shape(contextLength, width));
    this.transformer =
        declareChild("transformer", new Transformer(width, layers, heads, activation, epsilon));
    this.lnFinal = declareChild("ln_final", new LayerNormBlock(width, epsilon));
    this.textProjection = declareParameter("text_projection", new Shape(width, embedDim));
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
    NDArray ids = inputs.head();
    requireShape(ids.getShape());
    long batch = ids.getShape().get(0);
    NDArray endOfTextAt = ids.argMax(1);
    // Padding after the batch's last end-of-text token changes nothing under the causal mask,
    // and short captions are mostly padding: drop it before doing any work on it.
    int tokens = (int) endOfTextAt.max().toLongArray()[0] + 1;
    if (tokens < ids.getShape().get(1)) {
      ids = ids.get(new NDIndex(":, :{}", tokens));
    }
    NDArray x =
        ids.getNDArrayInternal()
            .embedding(ids, value(store, tokenEmbedding, ids, training), SparseFormat.DENSE)
            .head(); // [batch, tokens, width]
    NDArray positions = value(store, positionalEmbedding, ids, training);
    if (tokens < contextLength) {
      try (NDArray firstPositions = positions.get(new NDIndex(":{}", tokens))) {
        x = x.add(firstPositions);
      }
    } else {
      x = x.add(positions);
    }
    x = transformer.forward(store, new NDList(x, causalMask(x, tokens)), training).head();
    NDArray pooled = x.gather(endOfTextAt.reshape(batch, 1, 1).broadcast(batch, 1, width), 1);
    pooled = pooled.reshape(batch, width);
    pooled = lnFinal.forward(store, new NDList(pooled), training).head();
    return new NDList(pooled.matMul(value(store, textProjection, ids, training)));
  }

  /** {@code -inf} above the diagonal and 0 elsewhere, as OpenAI's {@code build_attention_mask}. */
  private static NDArray causalMask(NDArray like, int tokens) {
    float[] mask = new float[tokens * tokens];
    for (int row = 0; row < tokens; row++) {
      for (int column = row + 1; column < tokens; column++) {
        mask[row * tokens + column] = Float.NEGATIVE_INFINITY;
      }
    }
    return like.getManager()
        .create(mask, new Shape(tokens, tokens))
        .toDevice(like.getDevice(), false)
        .toType(like.getDataType(), false);
  }

  private void requireShape(Shape shape) {
    if (shape.dimension() != 2 || shape.get(1) < 1 || shape.get(1) > contextLength) {
      throw new IllegalArgumentException(
          "token ids must be [batch, tokens] with 1 <= tokens <= "
              + contextLength
              + ", not "
              + shape);
    }
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    requireShape(inputShapes[0]);
    return new Shape[] {new Shape(inputShapes[0].get(0), embedDim)};
  }
}
