package dev.clipstream.model.vision;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import dev.clipstream.model.nn.Activation;
import dev.clipstream.model.nn.LayerNormBlock;
import dev.clipstream.model.nn.NamedBlock;
import dev.clipstream.model.nn.Transformer;

/**
 * OpenAI's ViT image encoder: non-overlapping patches ({@code conv1}, no bias) → a class token
 * prepended → learned positions → {@code ln_pre} → transformer → {@code ln_post} of the class token
 * → {@code proj}.
 *
 * <p>Input {@code [batch, 3, resolution, resolution]} float32, output {@code [batch, outputDim]},
 * not normalised (as OpenAI's {@code encode_image}).
 */
public final class VisionTransformer extends NamedBlock {

  /** RGB. */
  public static final int CHANNELS = 3;

  private final int resolution;
  private final int patch;
  private final long width;
  private final long outputDim;
  private final Parameter conv1;
  private final Parameter classEmbedding;
  private final Parameter positionalEmbedding;
  private final LayerNormBlock lnPre;
  private final Transformer transformer;
  private final LayerNormBlock lnPost;
  private final Parameter proj;

  /** The encoder with OpenAI's constructor arguments, its MLP activation and layer-norm epsilon. */
  public VisionTransformer(
      int resolution,
      int patch,
      long width,
      int layers,
      long heads,
      long outputDim,
      Activation activation,
      float epsilon) {
    if (patch < 1 || resolution % patch != 0) {
      throw new IllegalArgumentException(
          "image resolution " + resolution + " is not a whole number of " + patch + "-px patches");
    }
    this.resolution = resolution;
    this.patch = patch;
    this.width = width;
    this.outputDim = outputDim;
    long grid = resolution / patch;
    this.conv1 = declareParameter("conv1.weight", new Shape(width, CHANNELS, patch, patch));
    this.classEmbedding = declareParameter("class_embedding", new Shape(width));
    this.positionalEmbedding =
        declareParameter("positional_embedding", new Shape(grid * grid + 1, width));
    this.lnPre = declareChild("ln_pre", new LayerNormBlock(width, epsilon));
    this.transformer =
        declareChild("transformer", new Transformer(width, layers, heads, activation, epsilon));
    this.lnPost = declareChild("ln_post", new LayerNormBlock(width, epsilon));
    this.proj = declareParameter("proj", new Shape(width, outputDim));
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
    NDArray pixels = inputs.head();
    requireShape(pixels.getShape());
    long batch = pixels.getShape().get(0);
    NDArray patches =
        pixels
            .getNDArrayInternal()
            .convolution(
                pixels,
                value(store, conv1, pixels, training),
                null,
                new Shape(patch, patch),
                new Shape(0, 0),
                new Shape(1, 1),
                1)
            .head() // [batch, width, grid, grid]
            .reshape(batch, width, -1)
            .transpose(0, 2, 1); // [batch, grid², width]
    // Like OpenAI: the class embedding plus zeros of the batch's shape, so it follows the input.
    NDArray classToken =
        patches.get(":, :1, :").zerosLike().add(value(store, classEmbedding, pixels, training));
    NDArray x =
        classToken.concat(patches, 1).add(value(store, positionalEmbedding, pixels, training));
    x = lnPre.forward(store, new NDList(x), training).head();
    x = transformer.forward(store, new NDList(x), training).head();
    NDArray pooled = lnPost.forward(store, new NDList(x.get(":, 0, :")), training).head();
    return new NDList(pooled.matMul(value(store, proj, pixels, training)));
  }

  private void requireShape(Shape shape) {
    if (shape.dimension() != 4
        || shape.get(1) != CHANNELS
        || shape.get(2) != resolution
        || shape.get(3) != resolution) {
      throw new IllegalArgumentException(
          "images must be [batch, "
              + CHANNELS
              + ", "
              + resolution
              + ", "
              + resolution
              + "], not "
              + shape);
    }
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    requireShape(inputShapes[0]);
    return new Shape[] {new Shape(inputShapes[0].get(0), outputDim)};
  }
}
