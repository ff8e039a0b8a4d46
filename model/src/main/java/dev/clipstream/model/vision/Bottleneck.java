package dev.clipstream.model.vision;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import dev.clipstream.model.nn.BatchNormBlock;
import dev.clipstream.model.nn.Conv2dBlock;
import dev.clipstream.model.nn.NamedBlock;

/**
 * OpenAI's anti-aliased ResNet bottleneck: 1×1, 3×3 and 1×1 convolutions with BatchNorm and ReLU,
 * where a strided block average-pools before its last convolution instead of striding a
 * convolution, and its shortcut ({@code downsample}) average-pools before a 1×1 convolution.
 */
final class Bottleneck extends NamedBlock {

  /** Each bottleneck widens its output to four times its inner width. */
  static final int EXPANSION = 4;

  private final int stride;
  private final Conv2dBlock conv1;
  private final BatchNormBlock bn1;
  private final Conv2dBlock conv2;
  private final BatchNormBlock bn2;
  private final Conv2dBlock conv3;
  private final BatchNormBlock bn3;
  private final Conv2dBlock downsampleConv;
  private final BatchNormBlock downsampleBn;

  Bottleneck(long inPlanes, long planes, int stride) {
    this.stride = stride;
    long out = planes * EXPANSION;
    this.conv1 = declareChild("conv1", new Conv2dBlock(inPlanes, planes, 1, 1, 0));
    this.bn1 = declareChild("bn1", new BatchNormBlock(planes));
    this.conv2 = declareChild("conv2", new Conv2dBlock(planes, planes, 3, 1, 1));
    this.bn2 = declareChild("bn2", new BatchNormBlock(planes));
    this.conv3 = declareChild("conv3", new Conv2dBlock(planes, out, 1, 1, 0));
    this.bn3 = declareChild("bn3", new BatchNormBlock(out));
    if (stride > 1 || inPlanes != out) {
      // OpenAI's Sequential names them "-1" (the pool, no parameters), "0" and "1".
      this.downsampleConv = declareChild("downsample.0", new Conv2dBlock(inPlanes, out, 1, 1, 0));
      this.downsampleBn = declareChild("downsample.1", new BatchNormBlock(out));
    } else {
      this.downsampleConv = null;
      this.downsampleBn = null;
    }
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
    NDArray x = inputs.head();
    NDArray out = relu(bn1, conv1.forward(store, inputs, training), store, training);
    out = relu(bn2, conv2.forward(store, new NDList(out), training), store, training);
    out = pool(out, stride);
    out = conv3.forward(store, new NDList(out), training).head();
    out = bn3.forward(store, new NDList(out), training).head();
    NDArray identity = x;
    if (downsampleConv != null) {
      NDList pooled = new NDList(pool(x, stride));
      identity = downsampleConv.forward(store, pooled, training).head();
      identity = downsampleBn.forward(store, new NDList(identity), training).head();
    }
    return new NDList(ai.djl.nn.Activation.relu(out.add(identity)));
  }

  private static NDArray relu(
      BatchNormBlock bn, NDList convolved, ParameterStore store, boolean training) {
    return ai.djl.nn.Activation.relu(bn.forward(store, convolved, training).head());
  }

  /** {@code nn.AvgPool2d(stride)}, or nothing for stride 1 (OpenAI's {@code nn.Identity}). */
  static NDArray pool(NDArray x, int stride) {
    if (stride <= 1) {
      return x;
    }
    Shape window = new Shape(stride, stride);
    return Pool.avgPool2d(x, window, window, new Shape(0, 0), false, true);
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    Shape in = inputShapes[0];
    return new Shape[] {
      new Shape(
          in.get(0),
          conv3.getOutputShapes(inputShapes)[0].get(1),
          in.get(2) / stride,
          in.get(3) / stride)
    };
  }
}
