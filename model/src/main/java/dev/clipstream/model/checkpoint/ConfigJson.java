package dev.clipstream.model.checkpoint;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.clipstream.model.IncompatibleWeightsException;
import dev.clipstream.model.ModelDescription;
import dev.clipstream.model.nn.Activation;
import dev.clipstream.model.vision.ModifiedResNet;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Reads a checkpoint's config JSON into a {@link ModelDescription}, telling the three kinds apart
 * by their keys: Hugging Face's {@code CLIPConfig} ({@code vision_config}, {@code text_config}),
 * open_clip's model config ({@code vision_cfg}, {@code text_cfg}, possibly wrapped in {@code
 * model_cfg} as in {@code open_clip_config.json}) and OpenAI's {@code CLIP(...)} arguments ({@code
 * vision_width}).
 *
 * <p>Each kind's own defaults apply to keys it leaves out, because its library applies them:
 * Hugging Face's {@code hidden_act} defaults to {@code quick_gelu} and {@code layer_norm_eps} to
 * 1e-5; open_clip's {@code quick_gelu} to false (exact GELU) and {@code head_width} to 64; OpenAI's
 * {@code CLIP} has QuickGELU built in, so its arguments describe a QuickGELU model unless the file
 * adds an {@code "activation"} key.
 */
public final class ConfigJson {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** Hugging Face's defaults (CLIPTextConfig and CLIPVisionConfig). */
  private static final String HF_ACTIVATION = "quick_gelu";

  private static final double HF_EPS = 1e-5;
  private static final int HF_TEXT_HEADS = 8;
  private static final int HF_VISION_HEADS = 12;

  /** open_clip's defaults (CLIPVisionCfg and CLIPTextCfg). */
  private static final int OPEN_CLIP_HEAD_WIDTH = 64;

  private static final int OPEN_CLIP_TEXT_HEADS = 8;

  /**
   * open_clip options that change the computation without changing tensor names, which clipstream
   * does not implement; refused when set to anything but open_clip's default.
   */
  private static final List<String> OPEN_CLIP_UNSUPPORTED =
      List.of(
          "timm_model_name",
          "hf_model_name",
          "attentional_pool",
          "no_ln_pre",
          "final_ln_after_pool",
          "input_patchnorm",
          "embed_cls",
          "output_tokens",
          "act_kwargs");

  private ConfigJson() {}

  /** Reads a config file; throws a one-line error naming the file and field when it cannot. */
  public static ModelDescription read(Path file) throws IOException {
    JsonNode root;
    try {
      root = JSON.readTree(file.toFile());
    } catch (IOException e) {
      throw new IncompatibleWeightsException(file + " is not JSON: " + firstLine(e.getMessage()));
    }
    if (root == null || !root.isObject()) {
      throw new IncompatibleWeightsException(file + " is not a JSON object");
    }
    try {
      return describe(root, file.toString());
    } catch (IllegalArgumentException e) {
      throw new IncompatibleWeightsException(file + ": " + e.getMessage());
    }
  }

  /** Describes an already parsed config. */
  public static ModelDescription describe(JsonNode root, String source) {
    if (root.has("vision_config") || root.has("text_config")) {
      return huggingFace(root, source);
    }
    if (root.has("model_cfg")) {
      return openClip(root.get("model_cfg"), source);
    }
    if (root.has("vision_cfg") || root.has("text_cfg")) {
      return openClip(root, source);
    }
    if (root.has("vision_width")) {
      return openAi(root, source);
    }
    throw new IllegalArgumentException(
        "neither a Hugging Face CLIPConfig (vision_config), an open_clip model config (vision_cfg)"
            + " nor OpenAI's CLIP arguments (vision_width)");
  }

  /** Whether a parsed config is Hugging Face's. */
  static boolean isHuggingFace(JsonNode root) {
    return root.has("vision_config") || root.has("text_config");
  }

  private static ModelDescription huggingFace(JsonNode root, String source) {
    JsonNode vision = root.path("vision_config");
    JsonNode text = root.path("text_config");
    String visionAct = vision.path("hidden_act").asText(HF_ACTIVATION);
    String textAct = text.path("hidden_act").asText(HF_ACTIVATION);
    if (!visionAct.equals(textAct)) {
      throw new IllegalArgumentException(
          "vision_config.hidden_act "
              + visionAct
              + " differs from text_config.hidden_act "
              + textAct
              + "; clipstream uses one activation for both towers");
    }
    double visionEps = vision.path("layer_norm_eps").asDouble(HF_EPS);
    double textEps = text.path("layer_norm_eps").asDouble(HF_EPS);
    if (visionEps != textEps) {
      throw new IllegalArgumentException(
          "vision_config.layer_norm_eps "
              + visionEps
              + " differs from text_config.layer_norm_eps "
              + textEps);
    }
    return new ModelDescription(
        activation("hidden_act", visionAct),
        vision.path("num_attention_heads").asInt(HF_VISION_HEADS),
        text.path("num_attention_heads").asInt(HF_TEXT_HEADS),
        visionEps,
        source);
  }

  private static ModelDescription openClip(JsonNode model, String source) {
    JsonNode vision = model.path("vision_cfg");
    JsonNode text = model.path("text_cfg");
    for (String key : OPEN_CLIP_UNSUPPORTED) {
      for (JsonNode tower : List.of(vision, text)) {
        JsonNode value = tower.get(key);
        if (value != null && !value.isNull() && !(value.isBoolean() && !value.asBoolean())) {
          throw new IllegalArgumentException(
              (tower == vision ? "vision_cfg." : "text_cfg.")
                  + key
                  + " = "
                  + value
                  + " is an open_clip option clipstream does not implement");
        }
      }
    }
    requireDefault(vision, "vision_cfg", "pool_type", "tok");
    requireDefault(text, "text_cfg", "pool_type", "argmax");
    Activation activation =
        model.path("quick_gelu").asBoolean(false) ? Activation.QUICK_GELU : Activation.GELU;
    int headWidth = vision.path("head_width").asInt(OPEN_CLIP_HEAD_WIDTH);
    int width = vision.path("width").asInt(0);
    boolean resnet = vision.path("layers").isArray();
    Integer visionHeads =
        width == 0 ? null : (resnet ? width * ModifiedResNet.FEATURE_RATIO : width) / headWidth;
    return new ModelDescription(
        activation, visionHeads, text.path("heads").asInt(OPEN_CLIP_TEXT_HEADS), null, source);
  }

  private static void requireDefault(JsonNode tower, String name, String key, String value) {
    JsonNode found = tower.get(key);
    if (found != null && !found.asText().equals(value)) {
      throw new IllegalArgumentException(
          name
              + "."
              + key
              + " = "
              + found
              + " is an open_clip option clipstream does not implement (only "
              + value
              + ")");
    }
  }

  private static ModelDescription openAi(JsonNode root, String source) {
    Activation activation =
        root.has("activation")
            ? activation("activation", root.get("activation").asText())
            : Activation.QUICK_GELU;
    return ModelDescription.ofActivation(activation, source);
  }

  private static Activation activation(String field, String value) {
    try {
      return Activation.parse(value);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(field + ": " + e.getMessage());
    }
  }

  private static String firstLine(String message) {
    int newline = message == null ? -1 : message.indexOf('\n');
    return newline < 0 ? String.valueOf(message) : message.substring(0, newline);
  }
}
