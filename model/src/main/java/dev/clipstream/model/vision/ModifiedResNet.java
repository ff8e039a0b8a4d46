package dev.clipstream.model.vision;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import dev.clipstream.model.nn.BatchNormBlock;
import dev.clipstream.model.nn.Conv2dBlock;
import dev.clipstream.model.nn.NamedBlock;
import dev.clipstream.model.nn.Scopes;
import java.util.ArrayList;
import java.util.List;

/**
 * OpenAI's {@code ModifiedResNet} image encoder (RN50, RN101, RN50x4, ...): a stem of three 3×3
 * convolutions with an average pool, four stages of anti-aliased {@link Bottleneck}s, and an {@link
 * AttentionPool2d} instead of global average pooling.
 *
 * <p>Input {@code [batch, 3, resolution, resolution]} float32, output {@code [batch, outputDim]},
 * not normalised (as OpenAI's {@code encode_image}).
 */
public final class ModifiedResNet extends NamedBlock {

  /** The stem and the three strided stages each halve the side: 2 · 2 · 2 · 2 · 2. */
  public static final int DOWNSAMPLING = 32;

  /** The channels of the last stage relative to the stem's width (8 × the expansion 4). */
  public static final int FEATURE_RATIO = 32;

  private static final int STAGES = 4;

  private final int resolution;
  private final List<StemLayer> stem = new ArrayList<>();
  private final List<Bottleneck> blocks = new ArrayList<>();
  private final AttentionPool2d attnpool;

  private record StemLayer(Conv2dBlock conv, BatchNormBlock bn) {}

  /**
   * The encoder with OpenAI's constructor arguments: bottlenecks per stage, attention heads, the
   * output width, the input resolution and the stem width.
   */
  public ModifiedResNet(
      List<Integer> layers, long heads, long outputDim, int resolution, long width) {
    if (layers.size() != STAGES) {
      throw new IllegalArgumentException("a ModifiedResNet has 4 stages, not " + layers);
    }
    if (resolution % DOWNSAMPLING != 0) {
      throw new IllegalArgumentException(
          "image resolution " + resolution + " is not a multiple of " + DOWNSAMPLING);
    }
    this.resolution = resolution;
    long half = width / 2;
    long[][] stemChannels = {
      {VisionTransformer.CHANNELS, half, 2}, {half, half, 1}, {half, width, 1}
    };
    for (int i = 0; i < stemChannels.length; i++) {
      long[] c = stemChannels[i];
      stem.add(
          new StemLayer(
              declareChild("conv" + (i + 1), new Conv2dBlock(c[0], c[1], 3, (int) c[2], 1)),
              declareChild("bn" + (i + 1), new BatchNormBlock(c[1]))));
    }
    long inPlanes = width;
    for (int stage = 0; stage < STAGES; stage++) {
      long planes = width << stage;
      for (int i = 0; i < layers.get(stage); i++) {
        int stride = stage > 0 && i == 0 ? 2 : 1;
        String name = "layer" + (stage + 1) + "." + i;
        blocks.add(declareChild(name, new Bottleneck(inPlanes, planes, stride)));
        inPlanes = planes * Bottleneck.EXPANSION;
      }
    }
    this.attnpool =
        declareChild(
            "attnpool",
            new AttentionPool2d(
                resolution / DOWNSAMPLING, width * FEATURE_RATIO, heads, outputDim));
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
    NDArray x = inputs.head();
    requireShape(x.getShape());
    for (StemLayer layer : stem) {
      NDList convolved = layer.conv().forward(store, new NDList(x), training);
      x = ai.djl.nn.Activation.relu(layer.bn().forward(store, convolved, training).head());
    }
    x = Bottleneck.pool(x, 2);
    for (Bottleneck block : blocks) {
      NDList in = new NDList(x);
      x = Scopes.keep(() -> block.forward(store, in, training)).head();
    }
    return attnpool.forward(store, new NDList(x), training);
  }

  private void requireShape(Shape shape) {
    if (shape.dimension() != 4
        || shape.get(1) != VisionTransformer.CHANNELS
        || shape.get(2) != resolution
        || shape.get(3) != resolution) {
      throw new IllegalArgumentException(
          "images must be [batch, 3, " + resolution + ", " + resolution + "], not " + shape);
    }
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    requireShape(inputShapes[0]);
    return attnpool.getOutputShapes(inputShapes);
  }
}
