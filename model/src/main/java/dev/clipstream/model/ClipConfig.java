package dev.clipstream.model;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.clipstream.model.nn.Activation;
import dev.clipstream.model.vision.ModifiedResNet;
import java.io.Serializable;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The shape of a CLIP: OpenAI's {@code CLIP(...)} constructor arguments, in its order, then what
 * OpenAI's code fixes but other checkpoints describe (the image tower's head count, the MLP
 * activation, the layer-norm epsilon); in JSON under snake_case names.
 *
 * <p>A ViT image tower has {@code visionStageLayers} empty; a ModifiedResNet has its four
 * bottleneck counts there, {@code visionLayers} their sum and {@code visionPatchSize} 0 (OpenAI's
 * {@code null}). Immutable and serialisable, so Flink operators can carry it.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonIgnoreProperties(ignoreUnknown = true)
public record ClipConfig(
    int embedDim,
    int imageResolution,
    int visionLayers,
    int visionWidth,
    int visionPatchSize,
    int contextLength,
    int vocabSize,
    int transformerWidth,
    int transformerHeads,
    int transformerLayers,
    List<Integer> visionStageLayers,
    int visionHeads,
    Activation activation,
    double layerNormEps)
    implements Serializable {

  /** OpenAI's {@code build_model} gives every tower one attention head per 64 channels. */
  public static final int HEAD_WIDTH = 64;

  /** {@code nn.LayerNorm}'s default epsilon, which OpenAI's CLIP keeps. */
  public static final double DEFAULT_LAYER_NORM_EPS = 1e-5;

  /**
   * Validates the numbers against each other. In JSON written before these fields existed, a
   * missing {@code vision_heads} or {@code layer_norm_eps} (0) means OpenAI's rule, which was the
   * only one then; a missing activation is refused.
   */
  public ClipConfig {
    visionStageLayers = visionStageLayers == null ? List.of() : List.copyOf(visionStageLayers);
    boolean resnet = !visionStageLayers.isEmpty();
    if (visionHeads == 0) {
      visionHeads =
          resnet ? visionWidth * ModifiedResNet.FEATURE_RATIO / HEAD_WIDTH : headsFor(visionWidth);
    }
    if (layerNormEps == 0) {
      layerNormEps = DEFAULT_LAYER_NORM_EPS;
    }
    if (activation == null) {
      throw new IllegalArgumentException(
          "activation is not given (quick_gelu or gelu): the weights alone cannot tell");
    }
    requirePositive("embed_dim", embedDim);
    requirePositive("vision_layers", visionLayers);
    requirePositive("vision_width", visionWidth);
    requirePositive("context_length", contextLength);
    requirePositive("vocab_size", vocabSize);
    requirePositive("transformer_width", transformerWidth);
    requirePositive("transformer_heads", transformerHeads);
    requirePositive("transformer_layers", transformerLayers);
    requirePositive("vision_heads", visionHeads);
    if (!(layerNormEps > 0 && layerNormEps < 1)) {
      throw new IllegalArgumentException("layer_norm_eps " + layerNormEps + " is not in (0, 1)");
    }
    if (resnet) {
      if (visionStageLayers.size() != 4 || visionStageLayers.stream().anyMatch(n -> n < 1)) {
        throw new IllegalArgumentException(
            "vision_stage_layers must be four positive counts, not " + visionStageLayers);
      }
      if (imageResolution < 1 || imageResolution % ModifiedResNet.DOWNSAMPLING != 0) {
        throw new IllegalArgumentException(
            "image_resolution "
                + imageResolution
                + " is not a multiple of "
                + ModifiedResNet.DOWNSAMPLING);
      }
      if (visionWidth * ModifiedResNet.FEATURE_RATIO % visionHeads != 0) {
        throw new IllegalArgumentException(
            "the ResNet's attention pool width "
                + visionWidth * ModifiedResNet.FEATURE_RATIO
                + " does not split into "
                + visionHeads
                + " heads");
      }
    } else {
      requirePositive("vision_patch_size", visionPatchSize);
      if (imageResolution < visionPatchSize || imageResolution % visionPatchSize != 0) {
        throw new IllegalArgumentException(
            "image_resolution "
                + imageResolution
                + " is not a multiple of the patch size "
                + visionPatchSize);
      }
      if (visionWidth % visionHeads != 0) {
        throw new IllegalArgumentException(
            "vision_width " + visionWidth + " does not split into " + visionHeads + " heads");
      }
    }
    if (transformerWidth % transformerHeads != 0) {
      throw new IllegalArgumentException(
          "transformer_width "
              + transformerWidth
              + " does not split into "
              + transformerHeads
              + " heads");
    }
  }

  /**
   * A new ViT CLIP as OpenAI's code builds one: heads from the width, QuickGELU, PyTorch's epsilon.
   * For models made here (training from scratch); loading reads these from the checkpoint.
   */
  public ClipConfig(
      int embedDim,
      int imageResolution,
      int visionLayers,
      int visionWidth,
      int visionPatchSize,
      int contextLength,
      int vocabSize,
      int transformerWidth,
      int transformerHeads,
      int transformerLayers) {
    this(
        embedDim,
        imageResolution,
        visionLayers,
        visionWidth,
        visionPatchSize,
        contextLength,
        vocabSize,
        transformerWidth,
        transformerHeads,
        transformerLayers,
        List.of(),
        0,
        Activation.QUICK_GELU,
        0);
  }

  /** Whether the image tower is OpenAI's ModifiedResNet rather than a ViT. */
  @JsonIgnore
  public boolean isResNet() {
    return !visionStageLayers.isEmpty();
  }

  /** Patches (ViT) or attention-pool cells (ResNet) along each side of the image. */
  public int gridSize() {
    return imageResolution / (isResNet() ? ModifiedResNet.DOWNSAMPLING : visionPatchSize);
  }

  /** This configuration with another MLP activation. */
  public ClipConfig withActivation(Activation other) {
    return new ClipConfig(
        embedDim,
        imageResolution,
        visionLayers,
        visionWidth,
        visionPatchSize,
        contextLength,
        vocabSize,
        transformerWidth,
        transformerHeads,
        transformerLayers,
        visionStageLayers,
        visionHeads,
        other,
        layerNormEps);
  }

  /**
   * Reads the configuration off the tensor shapes of one of OpenAI's own models, as its {@code
   * build_model} does (QuickGELU, heads from widths). Checkpoints from elsewhere need {@link
   * #inferFrom(Map, ModelDescription)}.
   */
  public static ClipConfig inferFrom(Map<String, long[]> shapes) {
    return ConfigInference.infer(shapes, ModelDescription.openAi("OpenAI's build_model"));
  }

  /**
   * Reads the configuration off tensor shapes, taking what shapes cannot tell from a description.
   */
  public static ClipConfig inferFrom(Map<String, long[]> shapes, ModelDescription description) {
    return ConfigInference.infer(shapes, description);
  }

  /** Every parameter OpenAI's CLIP has with this configuration, by name, in a stable order. */
  public Map<String, long[]> expectedShapes() {
    Map<String, long[]> out = new LinkedHashMap<>();
    new ClipNetwork(this)
        .parameterShapes()
        .forEach((name, shape) -> out.put(name, shape.getShape()));
    return Collections.unmodifiableMap(out);
  }

  static int headsFor(int width) {
    return Math.max(1, width / HEAD_WIDTH);
  }

  private static void requirePositive(String name, int value) {
    if (value < 1) {
      throw new IllegalArgumentException(name + " must be positive, not " + value);
    }
  }
}
