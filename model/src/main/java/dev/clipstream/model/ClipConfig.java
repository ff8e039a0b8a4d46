package dev.clipstream.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.io.Serializable;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The shape of a ViT CLIP: OpenAI's {@code CLIP(...)} constructor arguments, in its order, and in
 * JSON under its snake_case names.
 *
 * <p>Immutable and serialisable, so Flink operators can carry it. {@link #inferFrom} reads it off a
 * weights file the way OpenAI's {@code build_model} does, so any released ViT CLIP loads without
 * configuration.
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
    int transformerLayers)
    implements Serializable {

  /** OpenAI's {@code build_model} gives every tower one attention head per 64 channels. */
  public static final int HEAD_WIDTH = 64;

  /** Validates the numbers against each other. */
  public ClipConfig {
    requirePositive("embed_dim", embedDim);
    requirePositive("vision_layers", visionLayers);
    requirePositive("vision_width", visionWidth);
    requirePositive("vision_patch_size", visionPatchSize);
    requirePositive("context_length", contextLength);
    requirePositive("vocab_size", vocabSize);
    requirePositive("transformer_width", transformerWidth);
    requirePositive("transformer_heads", transformerHeads);
    requirePositive("transformer_layers", transformerLayers);
    if (imageResolution < visionPatchSize || imageResolution % visionPatchSize != 0) {
      throw new IllegalArgumentException(
          "image_resolution "
              + imageResolution
              + " is not a multiple of the patch size "
              + visionPatchSize);
    }
    if (transformerWidth % transformerHeads != 0) {
      throw new IllegalArgumentException(
          "transformer_width "
              + transformerWidth
              + " does not split into "
              + transformerHeads
              + " heads");
    }
    if (visionWidth % headsFor(visionWidth) != 0) {
      throw new IllegalArgumentException(
          "vision_width " + visionWidth + " does not split into heads of " + HEAD_WIDTH);
    }
  }

  /** The image tower's head count, which OpenAI derives from its width. */
  public int visionHeads() {
    return headsFor(visionWidth);
  }

  /** Patches along each side of the image. */
  public int gridSize() {
    return imageResolution / visionPatchSize;
  }

  /** Reads the configuration off a weights file's tensor shapes, as OpenAI's build_model does. */
  public static ClipConfig inferFrom(Map<String, long[]> shapes) {
    return ConfigInference.infer(shapes);
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
