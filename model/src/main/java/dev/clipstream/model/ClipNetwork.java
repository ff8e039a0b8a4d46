package dev.clipstream.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import dev.clipstream.model.nn.NamedBlock;
import dev.clipstream.model.text.TextTransformer;
import dev.clipstream.model.vision.ModifiedResNet;
import dev.clipstream.model.vision.VisionTransformer;

/**
 * OpenAI's {@code CLIP} module as one DJL block: the image tower (a ViT or a ModifiedResNet) under
 * {@code visual.}, the text tower at the root, and {@code logit_scale}.
 *
 * <p>Its forward pass is OpenAI's: images {@code [B, 3, R, R]} and ids {@code [T, tokens]} in,
 * {@code logits_per_image [B, T]} and {@code logits_per_text [T, B]} out, computed from
 * L2-normalised features times {@code exp(logit_scale)}.
 */
public final class ClipNetwork extends NamedBlock {

  private final NamedBlock visual;
  private final TextTransformer text;
  private final Parameter logitScale;

  /** The network a configuration describes, with no arrays yet. */
  public ClipNetwork(ClipConfig config) {
    float epsilon = (float) config.layerNormEps();
    this.visual =
        declareChild(
            "visual",
            config.isResNet()
                ? new ModifiedResNet(
                    config.visionStageLayers(),
                    config.visionHeads(),
                    config.embedDim(),
                    config.imageResolution(),
                    config.visionWidth())
                : new VisionTransformer(
                    config.imageResolution(),
                    config.visionPatchSize(),
                    config.visionWidth(),
                    config.visionLayers(),
                    config.visionHeads(),
                    config.embedDim(),
                    config.activation(),
                    epsilon));
    this.text =
        declareChild(
            "",
            new TextTransformer(
                config.contextLength(),
                config.vocabSize(),
                config.transformerWidth(),
                config.transformerHeads(),
                config.transformerLayers(),
                config.embedDim(),
                config.activation(),
                epsilon));
    this.logitScale = declareParameter("logit_scale", new Shape());
  }

  /** The image tower: a {@link VisionTransformer} or a {@link ModifiedResNet}. */
  public NamedBlock visual() {
    return visual;
  }

  /** The text tower. */
  public TextTransformer text() {
    return text;
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
    NDArray image = visual.forward(store, new NDList(inputs.get(0)), training).head();
    NDArray text = this.text.forward(store, new NDList(inputs.get(1)), training).head();
    // Closed at once: exp of a bare parameter would otherwise live in the model's manager.
    try (NDArray scale = value(store, logitScale, image, training).exp()) {
      NDArray logitsPerImage = logits(image, text, scale);
      return new NDList(logitsPerImage, logitsPerImage.transpose());
    }
  }

  /** {@code (scale · normalise(image)) · normalise(text)ᵀ}, in OpenAI's order of operations. */
  static NDArray logits(NDArray imageEmbeds, NDArray textEmbeds, NDArray scale) {
    return normalise(imageEmbeds).mul(scale).matMul(normalise(textEmbeds).transpose());
  }

  /** Divides each row by its L2 norm, as {@code x / x.norm(dim=1, keepdim=True)}. */
  static NDArray normalise(NDArray rows) {
    return rows.div(rows.norm(new int[] {1}, true));
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    long images = inputShapes[0].get(0);
    long texts = inputShapes[1].get(0);
    return new Shape[] {new Shape(images, texts), new Shape(texts, images)};
  }
}
