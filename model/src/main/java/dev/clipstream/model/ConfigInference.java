package dev.clipstream.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** OpenAI's {@code build_model}: the configuration a ViT CLIP's tensor shapes imply. */
final class ConfigInference {

  private static final Pattern VISION_BLOCK =
      Pattern.compile("^visual\\.transformer\\.resblocks\\.(\\d+)\\.");
  private static final Pattern TEXT_BLOCK = Pattern.compile("^transformer\\.resblocks\\.(\\d+)\\.");

  /** Only OpenAI's modified-ResNet image towers (RN50, RN101, RN50x4, ...) have these keys. */
  private static final String RESNET_MARKER = "visual.layer1.";

  private static final List<String> NEEDED =
      List.of(
          "visual.conv1.weight",
          "visual.positional_embedding",
          "text_projection",
          "positional_embedding",
          "token_embedding.weight",
          "ln_final.weight");

  private ConfigInference() {}

  static ClipConfig infer(Map<String, long[]> shapes) {
    if (shapes.keySet().stream().anyMatch(name -> name.startsWith(RESNET_MARKER))) {
      throw new IncompatibleWeightsException(
          "these are weights of OpenAI's modified-ResNet CLIP (RN50 family: 'visual.layer1...'),"
              + " which clipstream does not implement; use a ViT CLIP (ViT-B/32, ViT-B/16,"
              + " ViT-L/14, ...)");
    }
    List<String> missing = new ArrayList<>();
    for (String name : NEEDED) {
      if (!shapes.containsKey(name)) {
        missing.add(name);
      }
    }
    if (!missing.isEmpty()) {
      throw new IncompatibleWeightsException(
          "not a ViT CLIP state_dict: cannot infer its configuration without " + missing);
    }
    long[] conv1 = shapes.get("visual.conv1.weight");
    long positions = shapes.get("visual.positional_embedding")[0];
    int patch = (int) conv1[conv1.length - 1];
    int grid = (int) Math.round(Math.sqrt(positions - 1));
    int textWidth = (int) shapes.get("ln_final.weight")[0];
    return new ClipConfig(
        (int) shapes.get("text_projection")[1],
        patch * grid,
        layers(shapes, VISION_BLOCK),
        (int) conv1[0],
        patch,
        (int) shapes.get("positional_embedding")[0],
        (int) shapes.get("token_embedding.weight")[0],
        textWidth,
        ClipConfig.headsFor(textWidth),
        layers(shapes, TEXT_BLOCK));
  }

  /**
   * One more than the highest block index. OpenAI counts {@code attn.in_proj_weight} keys instead,
   * which is the same on a whole file; on a damaged one this way reports a lost tensor as missing
   * rather than its block's other tensors as extra.
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
          "not a ViT CLIP state_dict: no '" + block.pattern().replace("\\", "") + "' tensors");
    }
    return highest + 1;
  }
}
