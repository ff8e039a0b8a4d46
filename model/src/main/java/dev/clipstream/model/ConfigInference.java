package dev.clipstream.model;

import dev.clipstream.model.vision.ModifiedResNet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * OpenAI's {@code build_model}: the configuration a CLIP's tensor shapes imply, with what shapes
 * cannot tell taken from the checkpoint's {@link ModelDescription}.
 */
final class ConfigInference {

  private static final Pattern VISION_BLOCK =
      Pattern.compile("^visual\\.transformer\\.resblocks\\.(\\d+)\\.");
  private static final Pattern TEXT_BLOCK = Pattern.compile("^transformer\\.resblocks\\.(\\d+)\\.");

  /** Only OpenAI's modified-ResNet image towers (RN50, RN101, RN50x4, ...) have these keys. */
  private static final String RESNET_MARKER = "visual.layer1.";

  private static final List<String> TEXT_NEEDED =
      List.of(
          "text_projection", "positional_embedding", "token_embedding.weight", "ln_final.weight");
  private static final List<String> VIT_NEEDED =
      List.of("visual.conv1.weight", "visual.positional_embedding");
  private static final List<String> RESNET_NEEDED =
      List.of("visual.layer1.0.conv1.weight", "visual.attnpool.positional_embedding");

  private ConfigInference() {}

  static ClipConfig infer(Map<String, long[]> shapes, ModelDescription description) {
    boolean resnet =
        !shapes.containsKey("visual.proj")
            && shapes.keySet().stream().anyMatch(name -> name.startsWith(RESNET_MARKER));
    requirePresent(shapes, TEXT_NEEDED);
    requirePresent(shapes, resnet ? RESNET_NEEDED : VIT_NEEDED);
    if (description.activation() == null) {
      throw new IncompatibleWeightsException(
          description.source()
              + " does not say which activation its MLPs use (quick_gelu in OpenAI's models, gelu"
              + " in most open_clip ones) and its tensors cannot tell: pass --activation"
              + " quick_gelu|gelu, or --config with the checkpoint's config JSON");
    }
    int textWidth = (int) dim(shapes, "ln_final.weight", 0);
    int embed = (int) dim(shapes, "text_projection", 1);
    int textHeads = orDefault(description.textHeads(), ClipConfig.headsFor(textWidth));
    double eps = description.layerNormEps() == null ? 0 : description.layerNormEps();
    int context = (int) dim(shapes, "positional_embedding", 0);
    int vocab = (int) dim(shapes, "token_embedding.weight", 0);
    int textLayers = layers(shapes, TEXT_BLOCK);
    if (resnet) {
      List<Integer> stages = new ArrayList<>();
      for (int stage = 1; stage <= 4; stage++) {
        stages.add(layers(shapes, Pattern.compile("^visual\\.layer" + stage + "\\.(\\d+)\\.")));
      }
      int width = (int) dim(shapes, "visual.layer1.0.conv1.weight", 0);
      int grid = squareGrid(shapes, "visual.attnpool.positional_embedding");
      return new ClipConfig(
          embed,
          grid * ModifiedResNet.DOWNSAMPLING,
          stages.stream().mapToInt(Integer::intValue).sum(),
          width,
          0,
          context,
          vocab,
          textWidth,
          textHeads,
          textLayers,
          stages,
          orDefault(
              description.visionHeads(),
              width * ModifiedResNet.FEATURE_RATIO / ClipConfig.HEAD_WIDTH),
          description.activation(),
          eps);
    }
    long[] conv1 = shapes.get("visual.conv1.weight");
    if (conv1.length != 4 || conv1[2] != conv1[3]) {
      throw new IncompatibleWeightsException(
          "visual.conv1.weight " + Arrays.toString(conv1) + " is not [width, 3, patch, patch]");
    }
    int patch = (int) conv1[3];
    int grid = squareGrid(shapes, "visual.positional_embedding");
    int width = (int) conv1[0];
    return new ClipConfig(
        embed,
        patch * grid,
        layers(shapes, VISION_BLOCK),
        width,
        patch,
        context,
        vocab,
        textWidth,
        textHeads,
        textLayers,
        List.of(),
        orDefault(description.visionHeads(), ClipConfig.headsFor(width)),
        description.activation(),
        eps);
  }

  /** The side of the grid a positional embedding of {@code side² + 1} rows covers. */
  private static int squareGrid(Map<String, long[]> shapes, String name) {
    long positions = dim(shapes, name, 0);
    long grid = Math.round(Math.sqrt(positions - 1));
    if (positions < 2 || grid * grid != positions - 1) {
      throw new IncompatibleWeightsException(
          name
              + " has "
              + positions
              + " rows: "
              + (positions - 1)
              + " positions after the class/mean token are not a square grid");
    }
    return (int) grid;
  }

  private static long dim(Map<String, long[]> shapes, String name, int axis) {
    long[] shape = shapes.get(name);
    if (shape.length <= axis) {
      throw new IncompatibleWeightsException(
          name + " " + Arrays.toString(shape) + " has no axis " + axis);
    }
    return shape[axis];
  }

  private static int orDefault(Integer stated, int rule) {
    return stated == null ? rule : stated;
  }

  private static void requirePresent(Map<String, long[]> shapes, List<String> needed) {
    List<String> missing = new ArrayList<>();
    for (String name : needed) {
      if (!shapes.containsKey(name)) {
        missing.add(name);
      }
    }
    if (!missing.isEmpty()) {
      throw new IncompatibleWeightsException(
          "not a CLIP state_dict in OpenAI's names: cannot infer its configuration without "
              + missing);
    }
  }

  /**
   * One more than the highest block index. OpenAI counts distinct block keys instead, which is the
   * same on a whole file; on a damaged one this way reports a lost tensor as missing rather than
   * its block's other tensors as extra.
   */
  private static int layers(Map<String, long[]> shapes, Pattern block) {
    int highest = -1;
    for (String name : shapes.keySet()) {
      Matcher matcher = block.matcher(name);
      if (matcher.find()) {
        highest = Math.max(highest, Integer.parseInt(matcher.group(1)));
      }
    }
    if (highest < 0) {
      throw new IncompatibleWeightsException(
          "not a CLIP state_dict in OpenAI's names: no '"
              + block.pattern().replace("\\", "").replace("(d+)", "N")
              + "' tensors");
    }
    return highest + 1;
  }
}
